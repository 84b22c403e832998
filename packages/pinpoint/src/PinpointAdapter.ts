/**
 * `pinpoint(options)`: an adapter that records events in Amazon Pinpoint with PutEvents.
 * EventType ← type, Timestamp ← time, Attributes and Metrics ← data's flat fields, grouped by
 * endpoint id (default: subject); the application comes from options, per request (the batch key).
 */
import { type EventsBatch, PinpointClient, PutEventsCommand } from "@aws-sdk/client-pinpoint"
import {
  type Adapter,
  adapterClient,
  checkString,
  defineAdapter,
  invalidOption,
  type Violation,
} from "@eventport/core"
import { encode, type PinpointEntry } from "./encode.ts"
import { readPutEventsResults } from "./internal/PutEventsResults.ts"
import { maxEventsPerRequest, maxRequestBytes, requestOverheadBytes } from "./limits.ts"
import { classifyRequestError } from "./PinpointError.ts"
import type { PinpointOptions } from "./PinpointOptions.ts"

/**
 * The request body's `BatchItem`: one EventsBatch per endpoint id, in first-seen order. The first
 * entry of an endpoint id gives the batch its Endpoint object.
 */
export const groupByEndpoint = (entries: ReadonlyArray<PinpointEntry>): Record<string, EventsBatch> => {
  const batches = new Map<
    string,
    { Endpoint: EventsBatch["Endpoint"]; Events: Array<[string, PinpointEntry["event"]]> }
  >()
  for (const entry of entries) {
    const batch = batches.get(entry.endpointId)
    if (batch === undefined)
      batches.set(entry.endpointId, { Endpoint: entry.endpoint, Events: [[entry.eventId, entry.event]] })
    else batch.Events.push([entry.eventId, entry.event])
  }
  // fromEntries defines own properties, so ids such as `__proto__` stay plain keys.
  return Object.fromEntries(
    [...batches].map(([endpointId, batch]) => [
      endpointId,
      { Endpoint: batch.Endpoint, Events: Object.fromEntries(batch.Events) },
    ]),
  )
}

const factory = "pinpoint"

/** Bad constant options are the caller's bug: reported once, at construction. */
const checkConstantOptions = (options: PinpointOptions): void => {
  const constant = (bad: Violation | undefined) => {
    if (bad !== undefined) throw invalidOption(factory, bad)
  }
  if (typeof options.applicationId !== "function")
    constant(checkString("applicationId", options.applicationId, { min: 1 }))
  if (typeof options.endpointId === "string")
    constant(checkString("endpointId", options.endpointId, { min: 1 }))
}

/** Makes a Pinpoint adapter. Throws for invalid constant options. */
export const pinpoint = (options: PinpointOptions): Adapter<PinpointEntry> => {
  checkConstantOptions(options)
  const { client, close } = adapterClient(factory, options, (config) => new PinpointClient(config))

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
      const response = await client.send(
        new PutEventsCommand({
          ApplicationId: batch.batchKey ?? first.applicationId,
          EventsRequest: { BatchItem: groupByEndpoint(batch.entries) },
        }),
        { abortSignal: signal },
      )
      return readPutEventsResults(batch.entries, response)
    },
    classifyError: classifyRequestError,
    close,
  })
}
