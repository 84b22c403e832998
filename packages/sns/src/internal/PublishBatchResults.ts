/**
 * Reads a PublishBatch response into index-aligned entry results. The response lists every entry
 * by the caller's `Id`, in `Successful` or `Failed`: core's `resultsByBatchEntryId` maps them back and
 * reports an entry listed in neither (or both), or an `Id` that was not sent, as unknown.
 */
import type { PublishBatchResponse } from "@aws-sdk/client-sns"
import { type EntryResult, resultsByBatchEntryId } from "@eventport/core"
import { classifyEntryError } from "../SnsError.ts"

/** `ids` are the batch entry Ids sent, in order, all different. The receipt is the MessageId. */
export const readPublishBatchResults = (
  ids: ReadonlyArray<string>,
  response: PublishBatchResponse,
): ReadonlyArray<EntryResult> => resultsByBatchEntryId(ids, response, classifyEntryError)
