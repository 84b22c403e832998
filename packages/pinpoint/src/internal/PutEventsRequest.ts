/**
 * The PutEvents request body built from the entries of one batch.
 */
import type { EventsBatch } from "@aws-sdk/client-pinpoint"
import type { PinpointEntry } from "../encode.ts"

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
