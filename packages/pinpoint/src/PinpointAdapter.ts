/**
 * `pinpoint(options)`: an adapter that records events in Amazon Pinpoint with PutEvents.
 * EventType ← type, Timestamp ← time, Attributes and Metrics ← data's flat fields, grouped by
 * endpoint id (default: subject); the application comes from options, per request (the batch key).
 */
import { PinpointClient, PutEventsCommand } from "@aws-sdk/client-pinpoint"
import {
  type Adapter,
  adapterClient,
  checkConstantOption,
  checkConstantOptions,
  checkOptionNames,
  defineAdapter,
} from "@eventport/core"
import {
  checkEndpointOption,
  checkRequiredOption,
  checkSessionOption,
  encode,
  type PinpointEntry,
} from "./encode.ts"
import { groupByEndpoint } from "./internal/PutEventsRequest.ts"
import { readPutEventsResults } from "./internal/PutEventsResults.ts"
import { maxEventsPerRequest, maxRequestBytes, requestOverheadBytes } from "./limits.ts"
import { classifyRequestError } from "./PinpointError.ts"
import { type PinpointOptions, pinpointOptionNames } from "./PinpointOptions.ts"

const factory = "pinpoint"

/** Makes a Pinpoint adapter. Throws for invalid constant options, checked here once. */
export const pinpoint = (options: PinpointOptions): Adapter<PinpointEntry> => {
  checkOptionNames(factory, options, pinpointOptionNames)
  // applicationId is required: a constant is checked here, absent included.
  checkConstantOptions(factory, [
    typeof options.applicationId === "function"
      ? undefined
      : checkRequiredOption("applicationId")(options.applicationId),
    checkConstantOption(options.endpointId, checkRequiredOption("endpointId")),
    checkConstantOption(options.endpoint, checkEndpointOption),
    checkConstantOption(options.eventType, checkRequiredOption("eventType")),
    checkConstantOption(options.session, checkSessionOption),
  ])
  const { client, close, sendOptions } = adapterClient(
    factory,
    options,
    (config) => new PinpointClient(config),
  )

  return defineAdapter<PinpointEntry>({
    kind: "pinpoint",
    limits: {
      maxEntries: maxEventsPerRequest,
      maxRequestBytes,
      // The 1,000 KB per-event quota is checked by encode on the event alone; an entry also carries
      // its endpoint framing, so the most one entry may take is what fits in a request.
      maxEntryBytes: maxRequestBytes - requestOverheadBytes,
      requestOverheadBytes,
    },
    encode: (event) => encode(event, options),
    send: async (batch, { signal }) => {
      const first = batch.entries[0]
      if (first === undefined) return []
      const command = new PutEventsCommand({
        ApplicationId: batch.batchKey ?? first.applicationId,
        EventsRequest: { BatchItem: groupByEndpoint(batch.entries) },
      })
      const response = await client.send(command, sendOptions(command, signal))
      return readPutEventsResults(batch.entries, response)
    },
    classifyError: classifyRequestError,
    close,
  })
}
