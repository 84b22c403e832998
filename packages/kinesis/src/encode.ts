/**
 * One neutral event → one PutRecords record, or the reasons Kinesis would refuse it. Everything the
 * service would refuse (for PutRecords, always the whole request) is caught here, before any request.
 */
import type { PutRecordsRequestEntry } from "@aws-sdk/client-kinesis"
import {
  describeValue,
  type EncodeResult,
  type Event,
  encoded,
  payloadBytes,
  rejected,
  runHook,
  toCloudEvent,
  utf8Length,
  type Violation,
  violation,
} from "@eventport/core"
import type { KinesisOptions, RecordData } from "./KinesisOptions.ts"
import { explicitHashKey, partitionKey } from "./limits.ts"

/** What `encode` needs of the options, defaults applied. */
export interface EncodeOptions extends Pick<KinesisOptions, "partitionKey" | "explicitHashKey"> {
  readonly data: RecordData
}

/** A record as the adapter sends it: `Data` is always bytes. */
export type KinesisRecordEntry = PutRecordsRequestEntry & {
  readonly Data: Uint8Array
  readonly PartitionKey: string
}

/**
 * Kinesis's size rule for a record: the data blob before base64 plus the partition key (UTF-8 bytes),
 * against the stream's maximum record size and, summed, the request's (PutRecords API reference).
 */
export const putRecordsEntrySize = (entry: {
  readonly Data: Uint8Array
  readonly PartitionKey: string
}): number => entry.Data.length + utf8Length(entry.PartitionKey)

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

const codePointLength = (text: string): number => {
  let count = 0
  for (const _ of text) count++
  return count
}

/**
 * `PartitionKey`: a well-formed Unicode string of 1–256 characters (code points, as the model counts
 * them). `from` names where the key came from, so a default that does not fit says which option to set.
 */
export const partitionKeyViolation = (
  value: unknown,
  from = "the partitionKey option",
): Violation | undefined => {
  const field = "partitionKey"
  if (typeof value !== "string")
    return violation(field, "type", `(${from}) must be a string, got ${describeValue(value)}`)
  if (loneSurrogate.test(value))
    return violation(field, "wellFormed", `(${from}) must be well-formed Unicode (it holds a lone surrogate)`)
  const length = codePointLength(value)
  if (length < partitionKey.min)
    return violation(
      field,
      "minLength",
      `(${from}) must be at least ${partitionKey.min} character, got ${length}`,
    )
  if (length > partitionKey.max)
    return violation(
      field,
      "maxLength",
      `(${from}) must be at most ${partitionKey.max} characters, got ${length}${from === "the partitionKey option" ? "" : "; set the partitionKey option"}`,
    )
  return undefined
}

/** `ExplicitHashKey`: a decimal integer without leading zeros, 0 … 2^128 - 1. */
export const explicitHashKeyViolation = (value: unknown): Violation | undefined => {
  const field = "explicitHashKey"
  if (typeof value !== "string")
    return violation(field, "type", `must be a string, got ${describeValue(value)}`)
  if (!explicitHashKey.pattern.test(value))
    return violation(field, "pattern", "must be a decimal integer without leading zeros (0|([1-9]\\d{0,38}))")
  if (BigInt(value) > explicitHashKey.max) return violation(field, "max", "must be at most 2^128 - 1")
  return undefined
}

/** The record's data: the CloudEvents JSON of the event, or the data alone (JSON text, or its bytes). */
const recordData = (event: Event, data: RecordData): Uint8Array =>
  data === "cloudevent" ? Buffer.from(JSON.stringify(toCloudEvent(event)), "utf8") : payloadBytes(event)

/** Validates and translates one event. Never throws; hooks that throw reject the event. */
export const encode = (event: Event, options: EncodeOptions): EncodeResult<KinesisRecordEntry> => {
  const violations: Array<Violation> = []
  const note = (v: Violation | undefined) => {
    if (v !== undefined) violations.push(v)
  }

  let key: string | undefined
  if (options.partitionKey !== undefined) {
    const resolved = runHook("partitionKey", options.partitionKey, event)
    if (!resolved.ok) note(resolved.violation)
    else {
      const bad = partitionKeyViolation(resolved.value)
      note(bad)
      if (bad === undefined) key = resolved.value
    }
  } else {
    const [value, from] =
      event.subject === undefined ? [event.id, "the event's id"] : [event.subject, "the event's subject"]
    const bad = partitionKeyViolation(value, from)
    note(bad)
    if (bad === undefined) key = value
  }

  let hashKey: string | undefined
  if (options.explicitHashKey !== undefined) {
    const resolved = runHook("explicitHashKey", options.explicitHashKey, event)
    if (!resolved.ok) note(resolved.violation)
    else if (resolved.value !== undefined) {
      const bad = explicitHashKeyViolation(resolved.value)
      note(bad)
      if (bad === undefined) hashKey = resolved.value
    }
  }

  if (violations.length > 0 || key === undefined) return rejected(...violations)
  const entry: KinesisRecordEntry = {
    Data: recordData(event, options.data),
    PartitionKey: key,
    ...(hashKey === undefined ? {} : { ExplicitHashKey: hashKey }),
  }
  return encoded(entry, putRecordsEntrySize(entry))
}
