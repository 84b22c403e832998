/**
 * Reads a BatchPutMessage response into index-aligned entry results. Failures are keyed by
 * messageId, not by position (`BatchPutMessageErrorEntries` in the model): core's `resultsByKey` maps them back, and puts the
 * unlisted messages in doubt when the response names a messageId that was not sent.
 */
import type { BatchPutMessageResponse } from "@aws-sdk/client-iot-events-data"
import { type EntryResult, resultsByKey } from "@eventport/core"
import { classifyEntryError } from "../IotEventsError.ts"

/** `messageIds` are the ids sent, in order, all different. */
export const readBatchPutMessageResults = (
  messageIds: ReadonlyArray<string>,
  response: BatchPutMessageResponse,
): ReadonlyArray<EntryResult> =>
  resultsByKey(
    messageIds,
    (response.BatchPutMessageErrorEntries ?? []).map((failure) => ({
      key: failure.messageId,
      error: classifyEntryError(failure.errorCode, failure.errorMessage),
    })),
    "messageId",
  )
