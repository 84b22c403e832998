/**
 * Amazon Data Firehose PutRecordBatch (API 2015-08-04) limits, each with the public source it comes
 * from. "Model" is botocore's service model at a fixed commit (the file last changed 2026-06-12):
 * https://github.com/boto/botocore/blob/0e6e2404b85dc336dd2889814e089bde7d1a4c55/botocore/data/firehose/2015-08-04/service-2.json
 * "Op doc" is the PutRecordBatch API reference (read 2026):
 * https://docs.aws.amazon.com/firehose/latest/APIReference/API_PutRecordBatch.html
 */

/** Records per request: `PutRecordBatchRequestEntryList` max 500 in the model. */
export const maxRecordsPerRequest = 500

/** Bytes per record before base64: model `Data` max 1024000 ("as large as 1,000 KB (before base64 encoding)"). */
export const maxEntryBytes = 1_024_000

/**
 * "up to a limit of 4 MB for the entire request. These limits cannot be changed." Whether the 4 MB
 * counts the data before or after base64 is not documented: the safe reading (after, as the request
 * carries it) is the default size rule; 4 MiB is the figure the service quotas page gives.
 */
export const maxRequestBytes = 4 * 1024 * 1024

/** `DeliveryStreamName`: 1–64 characters of `[a-zA-Z0-9_.-]` (model, anchored here). */
export const deliveryStreamName = {
  min: 1,
  max: 64,
  pattern: /^[a-zA-Z0-9_.-]+$/,
  patternText: "[a-zA-Z0-9_.-]+",
} as const
