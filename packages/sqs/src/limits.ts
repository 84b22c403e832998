/**
 * SQS SendMessageBatch (API 2012-11-05) limits. Sources: the botocore model
 * https://github.com/boto/botocore/blob/0e6e2404b85dc336dd2889814e089bde7d1a4c55/botocore/data/sqs/2012-11-05/service-2.json
 * (file last changed 2025-09-19), whose member and operation docs carry every figure below, and the
 * SendMessageBatch API reference,
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html .
 * The model itself has no length or pattern traits for these members.
 */
import type { MessageAttributeRules } from "@eventport/core"

/** Entries per request: "You can send up to 10 messages" (SendMessageBatch). */
export const maxEntriesPerRequest = 10

/**
 * "The maximum allowed individual message size and the maximum total payload size (the sum of the
 * individual lengths of all of the batched messages) are both 1 MiB (1,048,576 bytes)"; raised
 * from 256 KiB (262,144 bytes) in August 2025. Message attributes count toward a message's size
 * (developer guide, message metadata: "All components of a message attribute are included in the
 * 1 MiB message size restriction").
 */
export const documentedMaxMessageBytes = 1_048_576

/** The figure before the August 2025 raise, for queues whose `MaximumMessageSize` is still 256 KiB. */
export const previousMaxMessageBytes = 262_144

/**
 * Batch entry `Id`: "can have up to 80 characters … alphanumeric characters, hyphens(-), and
 * underscores (_)", unique within the request.
 */
export const batchEntryId = { min: 1, max: 80, pattern: /^[A-Za-z0-9_-]+$/ } as const

/** `DelaySeconds`: 0 to 900 (15 minutes); FIFO queues take no per-message delay. */
export const delaySeconds = { min: 0, max: 900 } as const

/**
 * `MessageGroupId` and `MessageDeduplicationId`: "up to 128 characters", alphanumeric characters
 * and punctuation (!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~).
 */
export const fifoId = {
  min: 1,
  max: 128,
  pattern: /^[A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]+$/,
} as const

/** Queue names: 1–80 of `A-Za-z0-9_-`; FIFO queue names end in `.fifo` (CreateQueue reference). */
export const queueName = /^(?:[A-Za-z0-9_-]{1,75}\.fifo|[A-Za-z0-9_-]{1,80})$/

/**
 * Characters SQS accepts in a message body and in String attribute values: "#x9 | #xA | #xD |
 * #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF"; others fail with InvalidMessageContents.
 */
export const allowedCharacters = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u

export const allowedCharactersText = "#x9, #xA, #xD, #x20 to #xD7FF, #xE000 to #xFFFD, #x10000 to #x10FFFF"

/** Message attributes: up to 10; String, Number and Binary, each with an optional custom label. */
export const messageAttributeRules: MessageAttributeRules = {
  maxAttributes: 10,
  dataTypes: ["String", "Number", "Binary"],
  customLabels: true,
  allowedCharacters,
  allowedCharactersText,
}
