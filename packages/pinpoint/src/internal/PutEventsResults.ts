/**
 * Reads a PutEvents response into index-aligned entry results. Results are nested maps keyed by
 * endpoint id, then event id (the model's `EventsResponse`); a 202 only means "accepted for processing", so
 * each event's own StatusCode decides, and an event the response does not mention has an unknown
 * outcome.
 */
import type { PutEventsResponse } from "@aws-sdk/client-pinpoint"
import { type EntryResult, entryFailed, entryOk } from "@eventport/core"
import type { PinpointEntry } from "../encode.ts"
import { acceptedStatusCode, classifyEntryError, missingResultError } from "../PinpointError.ts"

const own = <T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined =>
  record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined

export const readPutEventsResults = (
  entries: ReadonlyArray<PinpointEntry>,
  response: PutEventsResponse,
): ReadonlyArray<EntryResult> => {
  const results = response.EventsResponse?.Results
  return entries.map((entry) => {
    const item = own(own(results, entry.endpointId)?.EventsItemResponse, entry.eventId)
    if (item === undefined) return entryFailed(missingResultError())
    return item.StatusCode === acceptedStatusCode
      ? entryOk()
      : entryFailed(classifyEntryError(item.StatusCode, item.Message))
  })
}
