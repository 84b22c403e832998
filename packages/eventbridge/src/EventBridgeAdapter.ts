/**
 * `eventBridge(options)`: an adapter that publishes events with EventBridge PutEvents.
 * Source ← source, DetailType ← type, Detail ← data (a JSON object), Time ← time; the bus, resources
 * and trace header come from options, per entry.
 */
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from "@aws-sdk/client-eventbridge"
import {
  type Adapter,
  adapterClient,
  checkConstantOption,
  checkConstantOptions,
  checkOptionNames,
  checkPositiveOption,
  checkString,
  defineAdapter,
} from "@eventport/core"
import { classifyRequestError } from "./EventBridgeError.ts"
import {
  defaultMaxRequestBytes,
  defaultWrapNonObjectData,
  type EventBridgeOptions,
  eventBridgeOptionNames,
} from "./EventBridgeOptions.ts"
import { checkEventBusName, checkResources, checkTraceHeader, type EncodeOptions, encode } from "./encode.ts"
import { readPutEventsResults } from "./internal/PutEventsResults.ts"
import { endpointId as endpointIdRule, maxEntriesPerRequest } from "./limits.ts"

const factory = "eventBridge"

/** Makes an EventBridge adapter. Throws for invalid constant options, checked here once. */
export const eventBridge = (options: EventBridgeOptions = {}): Adapter<PutEventsRequestEntry> => {
  checkOptionNames(factory, options, eventBridgeOptionNames)
  checkPositiveOption(factory, "maxRequestBytes", options.maxRequestBytes)
  checkConstantOptions(factory, [
    checkConstantOption(options.endpointId, (id) => checkString("endpointId", id, endpointIdRule)),
    checkConstantOption(options.eventBusName, checkEventBusName),
    checkConstantOption(options.traceHeader, checkTraceHeader),
    checkConstantOption(options.resources, (resources) => checkResources(resources)[0]),
  ])
  const { client, close, sendOptions } = adapterClient(
    factory,
    options,
    (config) => new EventBridgeClient(config),
  )
  const maxRequestBytes = options.maxRequestBytes ?? defaultMaxRequestBytes
  const encodeOptions: EncodeOptions = {
    ...options,
    wrapNonObjectData: options.wrapNonObjectData ?? defaultWrapNonObjectData,
  }
  const endpoint = options.endpointId === undefined ? {} : { EndpointId: options.endpointId }

  return defineAdapter<PutEventsRequestEntry>({
    kind: "eventbridge",
    limits: { maxEntries: maxEntriesPerRequest, maxRequestBytes, maxEntryBytes: maxRequestBytes },
    encode: (event) => encode(event, encodeOptions),
    send: async (batch, { signal }) => {
      const command = new PutEventsCommand({ Entries: [...batch.entries], ...endpoint })
      const response = await client.send(command, sendOptions(command, signal))
      return readPutEventsResults(batch.entries.length, response)
    },
    classifyError: classifyRequestError,
    close,
  })
}
