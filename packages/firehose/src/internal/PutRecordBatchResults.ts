/**
 * Reads a PutRecordBatch response into index-aligned record results. A 200 with failed records is
 * never success, and a response that contradicts itself is reported, not trusted.
 */
import type { PutRecordBatchOutput } from "@aws-sdk/client-firehose"
import { type EntryResult, positionalResults } from "@eventport/core"
import { classifyEntryError } from "../FirehoseError.ts"

/**
 * `RequestResponses[i]` answers request record `i` (PutRecordBatch API reference: each entry "in the
 * request and response arrays" is matched by position): `RecordId` (the receipt), or `ErrorCode` and
 * `ErrorMessage`.
 */
export const readPutRecordBatchResults = (
  sent: number,
  response: PutRecordBatchOutput,
): ReadonlyArray<EntryResult> =>
  positionalResults(
    sent,
    (response.RequestResponses ?? []).map((answer) => ({
      receipt: answer.RecordId,
      errorCode: answer.ErrorCode,
      errorMessage: answer.ErrorMessage,
    })),
    response.FailedPutCount,
    classifyEntryError,
    { operation: "PutRecordBatch", entry: "record", receipt: "RecordId", failedCount: "FailedPutCount" },
  )
