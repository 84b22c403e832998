/**
 * Reads a SendMessageBatch response into index-aligned entry results. The response lists every
 * entry by the caller's `Id`, in `Successful` or `Failed`: core's `resultsByBatchEntryId` maps them back
 * and reports an entry listed in neither (or both), or an `Id` that was not sent, as unknown.
 */
import type { SendMessageBatchResult } from "@aws-sdk/client-sqs"
import { type EntryResult, resultsByBatchEntryId } from "@eventport/core"
import { classifyEntryError } from "../SqsError.ts"

/** `ids` are the batch entry Ids sent, in order, all different. The receipt is the MessageId. */
export const readSendMessageBatchResults = (
  ids: ReadonlyArray<string>,
  response: SendMessageBatchResult,
): ReadonlyArray<EntryResult> => resultsByBatchEntryId(ids, response, classifyEntryError)
