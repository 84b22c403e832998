/**
 * Reads a PutRecords response into index-aligned record results. A 200 with failed records is never
 * success, and a response that contradicts itself is reported, not trusted.
 */
import type { PutRecordsOutput } from "@aws-sdk/client-kinesis"
import { type EntryResult, positionalResults } from "@eventport/core"
import { classifyEntryError } from "../KinesisError.ts"

/**
 * `Records[i]` answers request record `i` (PutRecords API reference: the response array "always
 * includes the same number of records as the request array", in request order): `SequenceNumber`
 * (the receipt) and `ShardId`, or `ErrorCode` and `ErrorMessage`.
 */
export const readPutRecordsResults = (sent: number, response: PutRecordsOutput): ReadonlyArray<EntryResult> =>
  positionalResults(
    sent,
    (response.Records ?? []).map((record) => ({
      receipt: record.SequenceNumber,
      errorCode: record.ErrorCode,
      errorMessage: record.ErrorMessage,
    })),
    response.FailedRecordCount,
    classifyEntryError,
    { operation: "PutRecords", entry: "record", receipt: "SequenceNumber", failedCount: "FailedRecordCount" },
  )
