/**
 * One neutral event → one PutRecords record, or the reasons Kinesis would refuse it. Everything the
 * service would refuse (for PutRecords, always the whole request) is caught here, before any request.
 */
import type { PutRecordsRequestEntry } from "@aws-sdk/client-kinesis"
import {
  checkString,
  describeValue,
  type EncodeResult,
  type Event,
  encoded,
  recordDataOf,
  rejected,
  resolveOption,
  utf8Length,
  type Violation,
  violation,
} from "@eventport/core"
import type { KinesisOptions, RecordData } from "./KinesisOptions.ts"
import { explicitHashKey, partitionKey, streamArn, streamName } from "./limits.ts"

/** What `encode` needs of the options, defaults applied. Constants were checked by the factory. */
export interface EncodeOptions extends Pick<KinesisOptions, "partitionKey" | "explicitHashKey"> {
  readonly data: RecordData
}

/** A record as the adapter sends it: `Data` is always bytes. */
export type KinesisRecordEntry = PutRecordsRequestEntry & {
  readonly Data: Uint8Array
  readonly PartitionKey: string
}

/**
 * Kinesis's size rule for a record: the data blob before base64 plus the partition key (UTF-8
 * bytes), against the stream's maximum record size and, summed, the request's (op doc).
 */
export const entryBytes = (entry: { readonly Data: Uint8Array; readonly PartitionKey: string }): number =>
  entry.Data.length + utf8Length(entry.PartitionKey)

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
export const checkPartitionKey = (
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
export const checkExplicitHashKey = (value: unknown): Violation | undefined => {
  const bad = checkString("explicitHashKey", value, explicitHashKey)
  if (bad !== undefined) return bad
  return BigInt(value as string) > explicitHashKey.largest
    ? violation("explicitHashKey", "max", "must be at most 2^128 - 1")
    : undefined
}

/** `StreamName`: 1–128 characters of `[a-zA-Z0-9_.-]`. */
export const checkStreamName = (value: unknown): Violation | undefined =>
  checkString("streamName", value, streamName)

/** `StreamARN`: 1–2048 characters, a Kinesis stream ARN. */
export const checkStreamArn = (value: unknown): Violation | undefined =>
  checkString("streamArn", value, streamArn)

/** Validates and translates one event. Never throws; options that throw reject the event. */
export const encode = (event: Event, options: EncodeOptions): EncodeResult<KinesisRecordEntry> => {
  const violations: Array<Violation> = []
  const note = (v: Violation | undefined) => {
    if (v !== undefined) violations.push(v)
  }

  let key: string | undefined
  if (options.partitionKey !== undefined) {
    const resolved = resolveOption("partitionKey", options.partitionKey, event, (value) =>
      checkPartitionKey(value),
    )
    if (resolved.ok) key = resolved.value
    else note(resolved.violation)
  } else {
    const [value, from] =
      event.subject === undefined ? [event.id, "the event's id"] : [event.subject, "the event's subject"]
    const bad = checkPartitionKey(value, from)
    note(bad)
    if (bad === undefined) key = value
  }

  let hashKey: string | undefined
  if (options.explicitHashKey !== undefined) {
    const resolved = resolveOption("explicitHashKey", options.explicitHashKey, event, (value) =>
      value === undefined ? undefined : checkExplicitHashKey(value),
    )
    if (resolved.ok) hashKey = resolved.value
    else note(resolved.violation)
  }

  const data = recordDataOf(event, options.data)
  if (!(data instanceof Uint8Array)) note(data)

  if (violations.length > 0 || key === undefined || !(data instanceof Uint8Array))
    return rejected(...violations)
  const entry: KinesisRecordEntry = {
    Data: data,
    PartitionKey: key,
    ...(hashKey === undefined ? {} : { ExplicitHashKey: hashKey }),
  }
  // Records of one partition key share a shard, which keeps their order: the key is the ordering key.
  return encoded(entry, entryBytes(entry), { orderingKey: key })
}
