/**
 * Reads a BatchPutMessage response into index-aligned entry results. Failures are keyed by
 * messageId, not by position (FACTS §3.4); messages the response does not list were accepted.
 */
import type { BatchPutMessageResponse } from "@aws-sdk/client-iotanalytics"
import { type EntryResult, entryFailed, entryOk } from "@eventport/core"
import type { IotAnalyticsEntry } from "../encode.ts"
import { classifyEntryError } from "../IotAnalyticsError.ts"

export const readBatchPutMessageResults = (
  entries: ReadonlyArray<IotAnalyticsEntry>,
  response: BatchPutMessageResponse,
): ReadonlyArray<EntryResult> => {
  const indexById = new Map(entries.map((entry, i) => [entry.messageId, i]))
  const results: Array<EntryResult> = entries.map(() => entryOk())
  for (const failure of response.batchPutMessageErrorEntries ?? []) {
    const index = failure.messageId === undefined ? undefined : indexById.get(failure.messageId)
    if (index !== undefined)
      results[index] = entryFailed(classifyEntryError(failure.errorCode, failure.errorMessage))
  }
  return results
}
