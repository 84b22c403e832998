/**
 * `pinpoint(options)`: the Amazon Pinpoint PutEvents adapter. It only translates; packing, retries
 * and fan-out are the publisher's.
 */
import { type EventsBatch, PinpointClient, PutEventsCommand } from "@aws-sdk/client-pinpoint"
import { type Adapter, defineAdapter, type EntryResult, entryFailed, entryOk } from "@eventport/core"
import { encode, type PinpointEntry } from "./encode.ts"
import { maxEventsPerRequest, maxRequestBytes, requestOverheadBytes } from "./limits.ts"
import {
  acceptedStatusCode,
  classifyEntryError,
  classifyRequestError,
  missingResultError,
} from "./PinpointError.ts"
import type { PinpointOptions } from "./PinpointOptions.ts"

/** Thrown by {@link pinpoint} for options that can never work. */
export class PinpointOptionsError extends TypeError {
  override readonly name = "PinpointOptionsError"
}

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

const own = <T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined =>
  record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined

/** Makes a Pinpoint adapter. Throws {@link PinpointOptionsError} for an empty constant applicationId. */
export const pinpoint = (options: PinpointOptions): Adapter<PinpointEntry> => {
  if (
    typeof options.applicationId !== "function" &&
    (typeof options.applicationId !== "string" || options.applicationId.length === 0)
  )
    throw new PinpointOptionsError(
      "pinpoint: options.applicationId must be a non-empty string or a function of the event",
    )
  if (typeof options.endpointId === "string" && options.endpointId.length === 0)
    throw new PinpointOptionsError("pinpoint: options.endpointId must not be empty")

  const ownsClient = options.client === undefined
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
      // A 202 only means "accepted for processing": each event's own status decides.
      const results = response.EventsResponse?.Results
      return batch.entries.map((entry): EntryResult => {
        const item = own(own(results, entry.endpointId)?.EventsItemResponse, entry.eventId)
        if (item === undefined) return entryFailed(missingResultError())
        return item.StatusCode === acceptedStatusCode
          ? entryOk()
          : entryFailed(classifyEntryError(item.StatusCode, item.Message))
      })
    },
    classifyError: classifyRequestError,
    close: () => {
      if (ownsClient) client.destroy()
    },
  })
}
