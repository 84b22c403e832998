/**
 * SNS PublishBatch (API 2010-03-31) limits. Sources: the botocore model
 * https://github.com/boto/botocore/blob/0e6e2404b85dc336dd2889814e089bde7d1a4c55/botocore/data/sns/2010-03-31/service-2.json
 * (file last changed 2026-06-04), whose member and operation docs carry the figures below, and the API
 * references https://docs.aws.amazon.com/sns/latest/api/API_PublishBatch.html and
 * https://docs.aws.amazon.com/sns/latest/api/API_Publish.html . The model has no length or pattern
 * traits for these members.
 */
import type { MessageAttributeRules } from "@eventport/core"

/** Entries per request: "up to 10 messages" (PublishBatch). */
export const maxEntriesPerRequest = 10

/**
 * "The maximum allowed individual message size and the maximum total payload size (the sum of the
 * individual lengths of all of the batched messages) are both 256 KiB (262,144 bytes)" (PublishBatch;
 * not raised with SQS in 2025). Message attributes count ("All parts of the message attribute,
 * including name, type, and value, are included in the message size restriction", SNS developer
 * guide, https://docs.aws.amazon.com/sns/latest/dg/sns-message-attributes.html).
 */
export const documentedMaxMessageBytes = 262_144

/** Batch entry `Id`: up to 80 alphanumeric characters, hyphens and underscores, unique per request. */
export const batchEntryId = { min: 1, max: 80, pattern: /^[A-Za-z0-9_-]+$/ } as const

/**
 * `Subject`: "Must be ASCII text that begins with a letter, number, or punctuation mark; must not
 * include line breaks or control characters; and must be less than 100 characters long" (Publish).
 * Newer text allows UTF-8; the ASCII reading is the safe one.
 */
export const subject = { min: 1, max: 99, pattern: /^[\x21-\x7e][\x20-\x7e]*$/ } as const

/** `MessageStructure`: the only valid value is `json`, and the message must then have a string `default`. */
export const messageStructureJson = "json"

/**
 * `MessageGroupId` and `MessageDeduplicationId`: up to 128 alphanumeric and punctuation
 * characters (!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~).
 */
export const fifoId = {
  min: 1,
  max: 128,
  pattern: /^[A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]+$/,
} as const

/** Topic ARNs: `arn:<partition>:sns:<region>:<account>:<name>`, names of up to 256 `A-Za-z0-9_-`, FIFO ending in `.fifo`. */
export const topicArn =
  /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:(?:[A-Za-z0-9_-]{1,251}\.fifo|[A-Za-z0-9_-]{1,256})$/

/**
 * Text SNS can carry: well-formed Unicode. A lone surrogate cannot be UTF-8 encoded: the SDK's form
 * encoding throws on it, failing the whole request.
 */
export const wellFormedText = /^[^\uD800-\uDFFF]*$/u

/** Message attributes: up to 10; String, String.Array, Number, Binary (no custom labels). */
export const messageAttributeRules: MessageAttributeRules = {
  maxAttributes: 10,
  dataTypes: ["String", "String.Array", "Number", "Binary"],
  customLabels: false,
  allowedCharacters: wellFormedText,
  allowedCharactersText: "well-formed Unicode (no lone surrogates)",
}
