/**
 * Kinesis Data Streams PutRecords (API 2013-12-02) limits, each with the public source it comes from.
 * "Model" is botocore's service model at a fixed commit (the file last changed 2026-02-03):
 * https://github.com/boto/botocore/blob/0e6e2404b85dc336dd2889814e089bde7d1a4c55/botocore/data/kinesis/2013-12-02/service-2.json
 * "Op doc" is the PutRecords API reference (read 2026):
 * https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecords.html
 */

/** Records per request: `PutRecordsRequestEntryList` max 500 in the model. */
export const maxRecordsPerRequest = 500

const mebibyte = 1024 * 1024

/**
 * Record size: the data blob (before base64) plus the partition key "must not exceed the maximum
 * record size (1 MiB)" by default (`PutRecordsRequestEntry.Data` doc); a stream configured with a
 * larger `MaxRecordSizeInKiB` takes up to 10 MiB (model `Data` max 10485760, added 2025-10).
 */
export const maxEntryBytes = mebibyte
/** The largest record size a stream can be configured for (`MaxRecordSizeInKiB`). */
export const largestMaxEntryBytes = 10 * mebibyte

/**
 * Request size, partition keys included. The current op doc says 10 MiB "for the entire request";
 * older text said 5 MiB, and whether 10 MiB applies to every stream is not documented: 5 MiB is the
 * safe default, raisable to 10 MiB.
 */
export const maxRequestBytes = 5 * mebibyte
/** The request size the current op doc states. */
export const largestMaxRequestBytes = 10 * mebibyte

/**
 * `PartitionKey`: 1–256 Unicode characters (model min/max; the op doc says "Unicode strings"),
 * counted here in code points as the service counts characters.
 */
export const partitionKey = { min: 1, max: 256 } as const

/**
 * `HashKey` (`ExplicitHashKey`): the model pattern `0|([1-9]\d{0,38})`, anchored here; the hash key
 * space is 0 … 2^128 - 1 (op doc: MD5 maps partition keys to 128-bit integer values).
 */
export const explicitHashKey = {
  pattern: /^(?:0|[1-9]\d{0,38})$/,
  patternText: "a decimal integer without leading zeros (0|([1-9]\\d{0,38}))",
  largest: 2n ** 128n - 1n,
} as const

/** `StreamName`: 1–128 characters of `[a-zA-Z0-9_.-]` (model, anchored here). */
export const streamName = {
  min: 1,
  max: 128,
  pattern: /^[a-zA-Z0-9_.-]+$/,
  patternText: "[a-zA-Z0-9_.-]+",
} as const

/** `StreamARN`: 1–2048 characters and the model pattern `arn:aws.*:kinesis:.*:\d{12}:stream/\S+`, anchored. */
export const streamArn = {
  min: 1,
  max: 2048,
  pattern: /^arn:aws.*:kinesis:.*:\d{12}:stream\/\S+$/,
  patternText: "arn:aws…:kinesis:<region>:<account>:stream/<name>",
} as const
