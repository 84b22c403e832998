/**
 * IoT Analytics BatchPutMessage limits. Each names its source in
 * /work/shared/aws-models/FACTS.md (botocore iotanalytics 2017-11-27 model and the IoT docs).
 */

/**
 * Messages per request. The model has no max; 100 is shown by the IoT rule action's batch mode
 * ("can't have more than 100 messages"). FACTS §3.3.
 */
export const maxMessagesPerRequest = 100

/** Per-message payload size: 128 KB, UNVERIFIED (quota table unreadable), so it is an option. FACTS §3.3. */
export const defaultMaxMessageBytes = 128 * 1024

/** `channelName` length 1–128. FACTS §3.2 (botocore `ChannelName`). */
export const channelNameMinLength = 1
export const channelNameMaxLength = 128

/**
 * `channelName` pattern, verbatim from botocore: alphanumerics and `_`, not starting with `__`.
 * Self-anchored, so it means the same as Smithy's anchored variant. FACTS §3.2.
 */
export const channelNamePattern = /(^(?!_{2}))(^[a-zA-Z0-9_]+$)/
export const channelNamePatternText = "(^(?!_{2}))(^[a-zA-Z0-9_]+$)"

/** `messageId` length 1–128, pattern `\p{ASCII}*` (needs the `u` flag in JS). FACTS §3.2, §0. */
export const messageIdMaxLength = 128
export const messageIdPattern = /^\p{ASCII}+$/u

/** Payload field names: at most 255 characters. FACTS §3.2. */
export const fieldNameMaxLength = 255

/**
 * Payload field-name rule as the prose states it: only alphanumerics and `_`, beginning with a
 * letter or a single `_`. FACTS §3.2/§3.5: the prose wins over the documented regex.
 */
export const fieldNameProsePattern = /^(?!__)[A-Za-z_][A-Za-z0-9_]*$/

/**
 * The documented regex, verbatim. It contradicts the prose (rejects `a_b`, `T_1`); which rule the
 * service enforces is unverified, so it is available as `fieldNameRule: "documentedRegex"`. FACTS §3.5.
 */
export const fieldNameDocumentedPattern = /^[A-Za-z_]([A-Za-z0-9]*|[A-Za-z0-9][A-Za-z0-9_]*)$/
