/**
 * `eventBridge(options)`: an adapter that publishes events with EventBridge PutEvents.
 * Source ← source, DetailType ← type, Detail ← data (a JSON object), Time ← time; the bus, resources
 * and trace header come from options, per entry.
 */
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from "@aws-sdk/client-eventbridge"
import { type Adapter, checkString, defineAdapter, type Violation } from "@eventport/core"
import { classifyRequestError } from "./EventBridgeError.ts"
import {
  defaultMaxRequestBytes,
  defaultWrapNonObjectData,
  type EventBridgeOptions,
} from "./EventBridgeOptions.ts"
import { encode, eventBusNameViolation, resourcesViolations, traceHeaderViolation } from "./encode.ts"
import { readPutEventsResults } from "./internal/PutEventsResults.ts"
import { endpointId as endpointIdRule, maxEntriesPerRequest } from "./limits.ts"

const fail = (violation: Violation): never => {
  throw new TypeError(`eventBridge: option ${violation.field} ${violation.message} (${violation.rule})`)
}

/** Bad constant options are the caller's bug: reported once, at construction. */
const checkConstantOptions = (options: EventBridgeOptions): void => {
  if (options.client !== undefined && options.clientConfig !== undefined)
    throw new TypeError("eventBridge: give either client or clientConfig, not both")
  const { maxRequestBytes } = options
  if (maxRequestBytes !== undefined && !(maxRequestBytes > 0))
    throw new RangeError(
      `eventBridge: option maxRequestBytes must be a positive number, got ${maxRequestBytes}`,
    )
  if (options.endpointId !== undefined) {
    const bad = checkString("endpointId", options.endpointId, {
      ...endpointIdRule,
      patternText: "<name>.<suffix> (letters, digits and -)",
    })
    if (bad !== undefined) fail(bad)
  }
  if (typeof options.eventBusName === "string") {
    const bad = eventBusNameViolation(options.eventBusName)
    if (bad !== undefined) fail(bad)
  }
  if (typeof options.traceHeader === "string") {
    const bad = traceHeaderViolation(options.traceHeader)
    if (bad !== undefined) fail(bad)
  }
  if (options.resources !== undefined && typeof options.resources !== "function") {
    const bad = resourcesViolations(options.resources)[0]
    if (bad !== undefined) fail(bad)
  }
}

/** Makes an EventBridge adapter. Throws for invalid constant options. */
export const eventBridge = (options: EventBridgeOptions = {}): Adapter<PutEventsRequestEntry> => {
  checkConstantOptions(options)
  const owned = options.client === undefined
  // SDK retries off: the publisher retries only the failed entries.
  const client = options.client ?? new EventBridgeClient({ ...options.clientConfig, maxAttempts: 1 })
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
    close: () => {
      if (owned) client.destroy()
    },
  })
}
