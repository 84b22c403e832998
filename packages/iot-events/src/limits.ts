/**
 * IoT Events Data BatchPutMessage (API 2018-10-23) limits. Each figure names its source: the last
 * botocore model `botocore/data/iotevents-data/2018-10-23/service-2.json` and the API reference, as
 * collected in the project's aws-models/FACTS.md (section numbers below).
 */

/**
 * Messages per request: 10, from the API reference's "The following limits apply" (FACTS §2.3); the
 * model itself has no maximum.
 */
export const maxMessagesPerRequest = 10

/**
 * "Maximum message payload per batch: 1024 Bytes (1 KiB)" (FACTS §2.3, API reference). Unverified:
 * whether per batch or per message, and before or after base64. Read literally here: payload bytes
 * (before the SDK's transport base64) summed over one request.
 */
export const documentedMaxBatchPayloadBytes = 1024

/** `MessageId`: 1–64 characters, `^[a-zA-Z0-9_-]+$`, unique within a batch (FACTS §2.2). */
export const messageId = { min: 1, max: 64, pattern: /^[a-zA-Z0-9_-]+$/ } as const

/** `EphemeralInputName`: 1–128 characters, `^[a-zA-Z0-9][a-zA-Z0-9_.-]*$` (FACTS §2.2). */
export const inputName = { min: 1, max: 128, pattern: /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/ } as const

/** `EpochMilliTimestamp`: 1 … 9223372036854775807 ms (FACTS §2.2). */
export const minTimeInMillis = 1
