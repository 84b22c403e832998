/**
 * Reads a BatchPutMessage response into index-aligned entry results. Failures are keyed by
 * messageId, not by position (`batchPutMessageErrorEntries` in the model): core's `resultsByMessageId`
 * maps them back, and puts the unlisted messages in doubt when the response names a messageId that
 * was not sent.
 */
import type { BatchPutMessageResponse } from "@aws-sdk/client-iotanalytics"
import { type EntryResult, resultsByMessageId } from "@eventport/core"
import { classifyEntryError } from "../IotAnalyticsError.ts"

/** `messageIds` are the ids sent, in order, all different. */
export const readBatchPutMessageResults = (
  messageIds: ReadonlyArray<string>,
  response: BatchPutMessageResponse,
): ReadonlyArray<EntryResult> =>
  resultsByMessageId(messageIds, response.batchPutMessageErrorEntries, classifyEntryError)
