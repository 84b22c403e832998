/**
 * One neutral event → one PublishBatch entry, or the reasons SNS would refuse it. Everything the
 * service would refuse per entry (or worse, per request) is caught here, before any request.
 */
import type { PublishBatchRequestEntry } from "@aws-sdk/client-sns"
import {
  checkString,
  cloudEventMessageAttributes,
  deriveStableId,
  type EncodeResult,
  type Event,
  encoded,
  type MessageAttributes,
  messageAttributesBytes,
  messageAttributeViolations,
  messageTextOf,
  rejected,
  runHook,
  utf8Length,
  type Violation,
  violation,
} from "@eventport/core"
import {
  batchEntryId,
  fifoId,
  messageAttributeRules,
  messageStructureJson,
  subject as subjectRule,
  topicArn as topicArnPattern,
  wellFormedText,
} from "./limits.ts"
import type { SnsOptions } from "./SnsOptions.ts"

/** What `encode` needs of the options. */
export type EncodeOptions = Pick<
  SnsOptions,
  | "topicArn"
  | "message"
  | "subject"
  | "messageStructure"
  | "messageAttributes"
  | "cloudEventAttributes"
  | "messageGroupId"
  | "deduplicationId"
>

/**
 * The batch entry `Id` of an event: its id when it is 1–80 of `[A-Za-z0-9_-]`, otherwise core's
 * stable derived id (`sha256-` and 43 base64url characters). Reported as `sentId` when it differs.
 */
export const batchEntryIdFor = (eventId: string): string => deriveStableId(eventId, batchEntryId)

/** A FIFO `MessageDeduplicationId` from an event id: the id when it fits, else a derived one. */
export const deduplicationIdFor = (eventId: string): string => deriveStableId(eventId, fifoId)

/** `topicArn`: `arn:<partition>:sns:<region>:<12-digit account>:<topic name>`. */
export const topicArnViolation = (value: unknown): Violation | undefined =>
  checkString("topicArn", value, {
    pattern: topicArnPattern,
    patternText:
      "arn:aws:sns:<region>:<12-digit account>:<name> (names of 1–256 A-Za-z0-9_-, FIFO ending in .fifo)",
  })

export const isFifoTopicArn = (topicArn: string): boolean => topicArn.endsWith(".fifo")

/** `subject`: printable ASCII starting with a non-space, under 100 characters. */
export const subjectViolation = (value: unknown): Violation | undefined =>
  checkString("subject", value, {
    ...subjectRule,
    patternText: "printable ASCII beginning with a letter, digit or punctuation, without line breaks",
  })

export const messageStructureViolation = (value: unknown): Violation | undefined =>
  value === messageStructureJson
    ? undefined
    : violation("messageStructure", "enum", 'must be "json" (or absent)')

/** `MessageGroupId`/`MessageDeduplicationId`: 1–128 alphanumeric and punctuation characters. */
export const fifoIdViolation = (field: string, value: unknown): Violation | undefined =>
  checkString(field, value, {
    ...fifoId,
    patternText: "alphanumeric and punctuation characters (!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~)",
  })

export const messageAttributesViolations = (attributes: unknown): ReadonlyArray<Violation> =>
  messageAttributeViolations("messageAttributes", attributes, messageAttributeRules)

/** `MessageStructure: json` needs the message to be a JSON object with a string `default`. */
const hasStringDefault = (message: string): boolean => {
  try {
    const parsed: unknown = JSON.parse(message)
    return (
      typeof parsed === "object" &&
      parsed !== null &&
      !Array.isArray(parsed) &&
      typeof (parsed as Record<string, unknown>).default === "string"
    )
  } catch {
    return false
  }
}

/** The last topic ARN found valid: a publisher sends to one topic (or a few). A pure check's answer. */
let validTopicArn: string | undefined

const checkedTopicArn = (value: unknown): Violation | undefined => {
  if (value === validTopicArn) return undefined
  const bad = topicArnViolation(value)
  if (bad === undefined) validTopicArn = value as string
  return bad
}

/** Validates and translates one event. Never throws; hooks that throw reject the event. */
export const encode = (event: Event, options: EncodeOptions): EncodeResult<PublishBatchRequestEntry> => {
  const violations: Array<Violation> = []
  const note = (v: Violation | undefined) => {
    if (v !== undefined) violations.push(v)
  }

  const arn = runHook("topicArn", options.topicArn, event)
  let topicArn: string | undefined
  if (!arn.ok) note(arn.violation)
  else {
    const bad = checkedTopicArn(arn.value)
    note(bad)
    if (bad === undefined) topicArn = arn.value
  }
  const fifo = topicArn !== undefined && isFifoTopicArn(topicArn)

  const message = messageTextOf(event, options.message ?? "cloudEvent", "message")
  if (typeof message !== "string") note(message)
  else if (message.length === 0) note(violation("message", "minLength", "must not be empty"))
  else if (!wellFormedText.test(message))
    note(violation("message", "wellFormed", "must be well-formed Unicode (it holds a lone surrogate)"))

  const entry: PublishBatchRequestEntry = {
    Id: batchEntryIdFor(event.id),
    Message: typeof message === "string" ? message : "",
  }

  if (options.messageStructure !== undefined) {
    const structure = runHook("messageStructure", options.messageStructure, event)
    if (!structure.ok) note(structure.violation)
    else if (structure.value !== undefined) {
      const bad = messageStructureViolation(structure.value)
      note(bad)
      if (bad === undefined) {
        entry.MessageStructure = structure.value
        if (typeof message === "string" && !hasStringDefault(message))
          note(
            violation(
              "message",
              "jsonDefault",
              'must be a JSON object with a string "default" when messageStructure is "json"',
            ),
          )
      }
    }
  }

  if (options.subject !== undefined) {
    const subject = runHook("subject", options.subject, event)
    if (!subject.ok) note(subject.violation)
    else if (subject.value !== undefined) {
      note(subjectViolation(subject.value))
      entry.Subject = subject.value
    }
  }

  let attributes: MessageAttributes | undefined
  if (options.cloudEventAttributes === true) attributes = cloudEventMessageAttributes(event)
  if (options.messageAttributes !== undefined) {
    const own = runHook("messageAttributes", options.messageAttributes, event)
    if (!own.ok) note(own.violation)
    else if (own.value !== undefined)
      attributes = attributes === undefined ? own.value : { ...attributes, ...own.value }
  }
  if (attributes !== undefined) {
    violations.push(...messageAttributesViolations(attributes))
    if (Object.keys(attributes).length > 0)
      entry.MessageAttributes = attributes as PublishBatchRequestEntry["MessageAttributes"]
  }

  if (options.messageGroupId !== undefined) {
    const group = runHook("messageGroupId", options.messageGroupId, event)
    if (!group.ok) note(group.violation)
    else if (group.value !== undefined) {
      note(fifoIdViolation("messageGroupId", group.value))
      entry.MessageGroupId = group.value
    }
  }
  if (fifo && entry.MessageGroupId === undefined && !violations.some((v) => v.field === "messageGroupId"))
    note(violation("messageGroupId", "required", "is required for a FIFO topic (.fifo)"))

  if (options.deduplicationId !== undefined) {
    const dedup = runHook("deduplicationId", options.deduplicationId, event)
    if (!dedup.ok) note(dedup.violation)
    else if (dedup.value !== undefined) {
      if (!fifo && topicArn !== undefined)
        note(
          violation("deduplicationId", "fifoOnly", "is for FIFO topics only; this topic is a standard topic"),
        )
      else {
        note(fifoIdViolation("deduplicationId", dedup.value))
        entry.MessageDeduplicationId = dedup.value
      }
    }
  } else if (fifo) entry.MessageDeduplicationId = deduplicationIdFor(event.id)

  if (violations.length > 0) return rejected(...violations)
  const bytes = utf8Length(entry.Message!) + messageAttributesBytes(attributes)
  return encoded(entry, bytes, { batchKey: topicArn, sentId: entry.Id === event.id ? undefined : entry.Id })
}
