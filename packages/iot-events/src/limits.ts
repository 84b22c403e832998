/**
 * IoT Events Data BatchPutMessage (API 2018-10-23) limits, each with the public source it comes
 * from. "Model" is botocore's last model before the client was removed:
 * https://github.com/boto/botocore/blob/3b27a77a78f6e8f9015ce52ba3784f0a225be1e2/botocore/data/iotevents-data/2018-10-23/service-2.json
 * "API reference" is https://docs.aws.amazon.com/iotevents/latest/apireference/API_iotevents-data_BatchPutMessage.html
 */

/**
 * Messages per request: 10, from the API reference's "The following limits apply"; the model itself
 * has no maximum.
 */
export const maxMessagesPerRequest = 10

/**
 * "Maximum message payload per batch: 1024 Bytes (1 KiB)" (API reference). Unverified: whether per
 * batch or per message, and before or after base64. Read literally here: payload bytes (before the
 * SDK's transport base64) summed over one request.
 */
export const documentedMaxBatchPayloadBytes = 1024

/** `MessageId`: 1–64 characters, `^[a-zA-Z0-9_-]+$`, unique within a batch (model). */
export const messageId = { min: 1, max: 64, pattern: /^[a-zA-Z0-9_-]+$/ } as const

/** `EphemeralInputName`: 1–128 characters, `^[a-zA-Z0-9][a-zA-Z0-9_.-]*$` (model). */
export const inputName = { min: 1, max: 128, pattern: /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/ } as const

/** `EpochMilliTimestamp`: 1 … 9223372036854775807 ms (model). */
export const minTimeInMillis = 1
