/**
 * One neutral event → one PutRecordBatch record, or the reasons Firehose would refuse it (an
 * oversized record fails the whole request), caught before any request.
 */
import type { _Record } from "@aws-sdk/client-firehose"
import {
  checkString,
  type EncodeResult,
  type Event,
  encoded,
  recordDataOf,
  rejected,
  type Violation,
  violation,
} from "@eventport/core"
import type { RecordData, RequestSizeRule } from "./FirehoseOptions.ts"
import { deliveryStreamName, maxEntryBytes } from "./limits.ts"

/** What `encode` needs of the options, defaults applied. */
export interface EncodeOptions {
  readonly data: RecordData
  /** The delimiter's UTF-8 bytes (empty for none). */
  readonly delimiter: Uint8Array
  readonly requestSize: RequestSizeRule
}

/** A record as the adapter sends it: `Data` is always bytes. */
export type FirehoseRecordEntry = _Record & { readonly Data: Uint8Array }

/** Bytes of `n` bytes in base64, as the JSON request carries the `Data` blob. */
const base64Length = (n: number): number => Math.ceil(n / 3) * 4

/**
 * A record's size by the request rule in force: its data as the request carries it (base64, the
 * default), or before base64 (`raw`). The per-record limit always counts the data before base64.
 */
export const entryBytes = (entry: { readonly Data: Uint8Array }, rule: RequestSizeRule = "base64"): number =>
  rule === "raw" ? entry.Data.length : base64Length(entry.Data.length)

/** `DeliveryStreamName`: 1–64 characters of `[a-zA-Z0-9_.-]`. */
export const checkDeliveryStreamName = (value: unknown): Violation | undefined =>
  checkString("deliveryStreamName", value, deliveryStreamName)

/** The record's data (core's `recordDataOf`), then the delimiter. */
const recordData = (event: Event, options: EncodeOptions): Uint8Array | Violation => {
  const body = recordDataOf(event, options.data)
  if (!(body instanceof Uint8Array)) return body
  return options.delimiter.length === 0 ? body : Buffer.concat([body, options.delimiter])
}

/** Validates and translates one event. Never throws. */
export const encode = (event: Event, options: EncodeOptions): EncodeResult<FirehoseRecordEntry> => {
  const data = recordData(event, options)
  if (!(data instanceof Uint8Array)) return rejected(data)
  if (data.length > maxEntryBytes)
    return rejected(
      violation(
        options.data === "cloudEvent" ? "(cloudevent)" : "data",
        "maxEntryBytes",
        `makes a record of ${data.length} bytes (delimiter included), over Firehose's ${maxEntryBytes} bytes per record before base64`,
      ),
    )
  const entry: FirehoseRecordEntry = { Data: data }
  return encoded(entry, entryBytes(entry, options.requestSize))
}
