/**
 * IoT Analytics BatchPutMessage (API 2017-11-27) limits, each with the public source it comes from.
 * "Model" is botocore's last model before the client was removed (2026-02-17):
 * https://github.com/boto/botocore/blob/cb07fe673070c453ece194edabe4511db47ccaeb/botocore/data/iotanalytics/2017-11-27/service-2.json
 */

/**
 * Messages per request. The model has no max; 100 is shown by the IoT rule action's batch mode
 * ("can't have more than 100 messages",
 * https://docs.aws.amazon.com/iot/latest/developerguide/iotanalytics-rule-action.html).
 */
export const maxMessagesPerRequest = 100

/**
 * Per-message payload size: 128 KB, unverified (the quota table,
 * https://docs.aws.amazon.com/general/latest/gr/iot-analytics.html, could not be read), so it is
 * an option.
 */
export const unverifiedMaxMessageBytes = 128 * 1024

/** @deprecated The default lives in the options: `defaultMaxEntryBytes`. */
export const defaultMaxMessageBytes: number = unverifiedMaxMessageBytes

/** `channelName` length 1–128 (model `ChannelName`). */
export const channelNameMinLength = 1
export const channelNameMaxLength = 128

/**
 * `channelName` pattern, verbatim from the model: alphanumerics and `_`, not starting with `__`.
 * Self-anchored, so it means the same as the Smithy model's anchored variant.
 */
export const channelNamePattern = /(^(?!_{2}))(^[a-zA-Z0-9_]+$)/
export const channelNamePatternText = "(^(?!_{2}))(^[a-zA-Z0-9_]+$)"

/** The `channelName` rule as one object (the figures above). */
export const channelName = {
  min: channelNameMinLength,
  max: channelNameMaxLength,
  pattern: channelNamePattern,
  patternText: `${channelNamePatternText} (letters, digits and _, not starting with __)`,
} as const

/** `messageId` length 1–128, pattern `\p{ASCII}*` (model; it needs the `u` flag in JS). */
export const messageIdMaxLength = 128
export const messageIdPattern = /^\p{ASCII}+$/u

/** The `messageId` rule as one object (the figures above). */
export const messageId = { min: 1, max: messageIdMaxLength, pattern: messageIdPattern } as const

/** Payload field names: at most 255 characters (the `messages` doc in the model). */
export const fieldNameMaxLength = 255

/**
 * Payload field-name rule as the prose of the `messages` doc in the model states it: only
 * alphanumerics and `_`, beginning with a letter or a single `_`. The prose wins over the regex.
 */
export const fieldNameProsePattern = /^(?!__)[A-Za-z_][A-Za-z0-9_]*$/

/**
 * The regex in the same doc, verbatim. It contradicts the prose (rejects `a_b`, `T_1`); which rule
 * the service enforces is unverified, so it is available as `fieldNameRule: "documentedRegex"`.
 */
export const fieldNameDocumentedPattern = /^[A-Za-z_]([A-Za-z0-9]*|[A-Za-z0-9][A-Za-z0-9_]*)$/
