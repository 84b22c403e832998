/**
 * Reads a BatchPutMessage response into index-aligned entry results. Failures are keyed by
 * messageId, not by position; messages the response does not list were accepted.
 */
import type { BatchPutMessageResponse } from "@aws-sdk/client-iot-events-data"
import { deliveryError, type EntryResult, entryFailed, entryOk } from "@eventport/core"
import { classifyEntryError } from "../IotEventsError.ts"

const unknownOutcome = (rawMessage: string): EntryResult =>
  entryFailed(
    deliveryError("Unknown", {
      retryable: false,
      outcomeUnknown: true,
      rawCode: "InconsistentResponse",
      rawMessage,
    }),
  )

/**
 * `messageIds` are the ids sent, in order, all different. An error entry naming an id that was not
 * sent (or none) means the response cannot be matched to the request: the messages it does not
 * list as failed then have an unknown outcome instead of being taken as accepted.
 */
export const readBatchPutMessageResults = (
  messageIds: ReadonlyArray<string>,
  response: BatchPutMessageResponse,
): ReadonlyArray<EntryResult> => {
  const indexOf = new Map(messageIds.map((id, i) => [id, i]))
  const results: Array<EntryResult> = messageIds.map(() => entryOk())
  const strays: Array<string> = []
  for (const error of response.BatchPutMessageErrorEntries ?? []) {
    const index = error.messageId === undefined ? undefined : indexOf.get(error.messageId)
    if (index === undefined) strays.push(error.messageId ?? "(no messageId)")
    else
      results[index] = entryFailed(
        classifyEntryError(error.errorCode ?? "(no errorCode)", error.errorMessage),
      )
  }
  if (strays.length === 0) return results
  const reason = `the response reports errors for messageIds that were not sent: ${strays.join(", ")}`
  return results.map((result) => (result.ok ? unknownOutcome(reason) : result))
}
