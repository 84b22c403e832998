/**
 * `eventBridge(options)`: an adapter that publishes events with EventBridge PutEvents.
 * Source ← source, DetailType ← type, Detail ← data (a JSON object), Time ← time; the bus, resources
 * and trace header come from options, per entry.
 */
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from "@aws-sdk/client-eventbridge"
import {
  type Adapter,
  adapterClient,
  checkPositiveOption,
  checkString,
  defineAdapter,
  invalidOption,
  type Violation,
} from "@eventport/core"
import { classifyRequestError } from "./EventBridgeError.ts"
import {
  defaultMaxRequestBytes,
  defaultWrapNonObjectData,
  type EventBridgeOptions,
} from "./EventBridgeOptions.ts"
import { encode, eventBusNameViolation, resourcesViolations, traceHeaderViolation } from "./encode.ts"
import { readPutEventsResults } from "./internal/PutEventsResults.ts"
import { endpointId as endpointIdRule, maxEntriesPerRequest } from "./limits.ts"

const factory = "eventBridge"

/** Bad constant options are the caller's bug: reported once, at construction. */
const checkConstantOptions = (options: EventBridgeOptions): void => {
  checkPositiveOption(factory, "maxRequestBytes", options.maxRequestBytes)
  const constant = (bad: Violation | undefined) => {
    if (bad !== undefined) throw invalidOption(factory, bad)
  }
  if (options.endpointId !== undefined)
    constant(
      checkString("endpointId", options.endpointId, {
        ...endpointIdRule,
        patternText: "<name>.<suffix> (letters, digits and -)",
      }),
    )
  if (typeof options.eventBusName === "string") constant(eventBusNameViolation(options.eventBusName))
  if (typeof options.traceHeader === "string") constant(traceHeaderViolation(options.traceHeader))
  if (options.resources !== undefined && typeof options.resources !== "function")
    constant(resourcesViolations(options.resources)[0])
}

/** Makes an EventBridge adapter. Throws for invalid constant options. */
export const eventBridge = (options: EventBridgeOptions = {}): Adapter<PutEventsRequestEntry> => {
  checkConstantOptions(options)
  const { client, close } = adapterClient(factory, options, (config) => new EventBridgeClient(config))
  const maxRequestBytes = options.maxRequestBytes ?? defaultMaxRequestBytes
  const encodeOptions = {
    ...options,
    wrapNonObjectData: options.wrapNonObjectData ?? defaultWrapNonObjectData,
  }
  const endpoint = options.endpointId === undefined ? {} : { EndpointId: options.endpointId }

  return defineAdapter<PutEventsRequestEntry>({
    kind: "eventbridge",
    limits: { maxEntries: maxEntriesPerRequest, maxRequestBytes, maxEntryBytes: maxRequestBytes },
    encode: (event) => encode(event, encodeOptions),
    send: async (batch, { signal }) => {
      const response = await client.send(new PutEventsCommand({ Entries: [...batch.entries], ...endpoint }), {
        abortSignal: signal,
      })
      return readPutEventsResults(batch.entries.length, response)
    },
    classifyError: classifyRequestError,
    close,
  })
}
