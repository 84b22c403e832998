/**
 * `pinpoint(options)`: the Amazon Pinpoint PutEvents adapter. It only translates; packing, retries
 * and fan-out are the publisher's.
 */
import { type EventsBatch, PinpointClient, PutEventsCommand } from "@aws-sdk/client-pinpoint"
import { type Adapter, defineAdapter } from "@eventport/core"
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

/** Makes a Pinpoint adapter. Throws for options that can never work (e.g. an empty constant applicationId). */
export const pinpoint = (options: PinpointOptions): Adapter<PinpointEntry> => {
  if (options.client !== undefined && options.clientConfig !== undefined)
    throw new TypeError("pinpoint: give either client or clientConfig, not both")
  if (
    typeof options.applicationId !== "function" &&
    (typeof options.applicationId !== "string" || options.applicationId.length === 0)
  )
    throw new TypeError(
      "pinpoint: option applicationId must be a non-empty string or a function of the event",
    )
  if (typeof options.endpointId === "string" && options.endpointId.length === 0)
    throw new TypeError("pinpoint: option endpointId must not be empty")

  const ownsClient = options.client === undefined
  // SDK retries off: the publisher retries only the failed entries.
  const client = options.client ?? new PinpointClient({ ...options.clientConfig, maxAttempts: 1 })

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
    close: () => {
      if (ownsClient) client.destroy()
    },
  })
}
