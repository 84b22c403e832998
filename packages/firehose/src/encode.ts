/**
 * One neutral event → one PutRecordBatch record, or the reasons Firehose would refuse it (an
 * oversized record fails the whole request), caught before any request.
 */
import type { _Record } from "@aws-sdk/client-firehose"
import {
  type EncodeResult,
  type Event,
  encoded,
  payloadBytes,
  rejected,
  toCloudEvent,
  violation,
} from "@eventport/core"
import type { RecordData, RequestSizeRule } from "./FirehoseOptions.ts"
import { base64Length, maxRecordBytes } from "./limits.ts"

/** What `encode` needs of the options, defaults applied. */
export interface EncodeOptions {
  readonly data: RecordData
  /** The delimiter's UTF-8 bytes (empty for none). */
  readonly delimiter: Uint8Array
  readonly requestSize: RequestSizeRule
}

/** A record as the adapter sends it: `Data` is always bytes. */
export type FirehoseRecordEntry = _Record & { readonly Data: Uint8Array }

/**
 * A record's size by the request rule in force: its data as the request carries it (base64), or
 * before base64 (`raw`). The per-record limit always counts the data before base64.
 */
export const putRecordBatchEntrySize = (
  entry: { readonly Data: Uint8Array },
  rule: RequestSizeRule,
): number => (rule === "raw" ? entry.Data.length : base64Length(entry.Data.length))

/** The record's data: the CloudEvents JSON of the event, or the data alone, then the delimiter. */
const recordData = (event: Event, options: EncodeOptions): Uint8Array => {
  const body =
    options.data === "cloudevent"
      ? Buffer.from(JSON.stringify(toCloudEvent(event)), "utf8")
      : payloadBytes(event)
  return options.delimiter.length === 0 ? body : Buffer.concat([body, options.delimiter])
}

/** Validates and translates one event. Never throws. */
export const encode = (event: Event, options: EncodeOptions): EncodeResult<FirehoseRecordEntry> => {
  const data = recordData(event, options)
  if (data.length > maxRecordBytes)
    return rejected(
      violation(
        options.data === "cloudevent" ? "(cloudevent)" : "data",
        "maxRecordBytes",
        `makes a record of ${data.length} bytes (delimiter included), over Firehose's ${maxRecordBytes} bytes per record before base64`,
      ),
    )
  const entry: FirehoseRecordEntry = { Data: data }
  return encoded(entry, putRecordBatchEntrySize(entry, options.requestSize))
}
