/**
 * One neutral event → one PublishBatch entry, or the reasons SNS would refuse it. Everything the
 * service would refuse per entry (or worse, per request) is caught here, before any request.
 */
import type { PublishBatchRequestEntry } from "@aws-sdk/client-sns"
import {
  checkFifoId,
  checkOneOf,
  checkString,
  deriveStableId,
  type EncodeResult,
  type Event,
  encoded,
  fifoOrderingKey,
  type MessageAttributes,
  messageAttributeViolations,
  messageBytes,
  messageTextOf,
  rejected,
  resolveFifoIds,
  resolveMessageAttributes,
  resolveOption,
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

/** What `encode` needs: the options with the factory's defaults applied. */
export type EncodeOptions = Pick<
  SnsOptions,
  "topicArn" | "subject" | "messageStructure" | "messageAttributes" | "messageGroupId" | "deduplicationId"
> & {
  readonly message: NonNullable<SnsOptions["message"]>
  readonly cloudEventAttributes: boolean
}

/**
 * The batch entry `Id` of an event: its id when it is 1–80 of `[A-Za-z0-9_-]`, otherwise core's
 * stable derived id (`sha256-` and 43 base64url characters). Reported as `sentId` when it differs.
 */
export const batchEntryIdFor = (eventId: string): string => deriveStableId(eventId, batchEntryId)

/** A FIFO `MessageDeduplicationId` from an event id: the id when it fits, else a derived one. */
export const deduplicationIdFor = (eventId: string): string => deriveStableId(eventId, fifoId)

/** FIFO topic names end in `.fifo`. */
export const isFifoTopicArn = (topicArn: string): boolean => topicArn.endsWith(".fifo")

/** `topicArn`: `arn:<partition>:sns:<region>:<12-digit account>:<topic name>`. */
export const checkTopicArn = (value: unknown): Violation | undefined =>
  checkString("topicArn", value, {
    pattern: topicArnPattern,
    patternText:
      "arn:aws:sns:<region>:<12-digit account>:<name> (names of 1–256 A-Za-z0-9_-, FIFO ending in .fifo)",
  })

/** `Subject`: printable ASCII starting with a non-space, under 100 characters. */
export const checkSubject = (value: unknown): Violation | undefined =>
  value === undefined
    ? undefined
    : checkString("subject", value, {
        ...subjectRule,
        patternText: "printable ASCII beginning with a letter, digit or punctuation, without line breaks",
      })

/** `MessageStructure`: `json` or absent. */
export const checkMessageStructure = (value: unknown): Violation | undefined =>
  checkOneOf("messageStructure", value, [messageStructureJson])

/** `MessageGroupId`: 1–128 alphanumeric and punctuation characters. */
export const checkMessageGroupId = (value: unknown): Violation | undefined =>
  checkFifoId("messageGroupId", value, fifoId)

/** `MessageDeduplicationId`: 1–128 alphanumeric and punctuation characters. */
export const checkDeduplicationId = (value: unknown): Violation | undefined =>
  checkFifoId("deduplicationId", value, fifoId)

/** `MessageAttributes`: every rule the attributes break (see core `messageAttributeViolations`). */
export const checkMessageAttributes = (attributes: unknown): ReadonlyArray<Violation> =>
  attributes === undefined
    ? []
    : messageAttributeViolations("messageAttributes", attributes, messageAttributeRules)

/** The message: not empty, well-formed Unicode (a lone surrogate has no UTF-8 form). */
export const checkMessage = (message: string): Violation | undefined =>
  message.length === 0
    ? violation("message", "minLength", "must not be empty")
    : wellFormedText.test(message)
      ? undefined
      : violation("message", "wellFormed", "must be well-formed Unicode (it holds a lone surrogate)")

/** `MessageStructure: json` needs the message to be a JSON object with a string `default`. */
export const checkJsonMessageStructure = (message: string): Violation | undefined => {
  let parsed: unknown
  try {
    parsed = JSON.parse(message)
  } catch {
    parsed = undefined
  }
  return typeof parsed === "object" &&
    parsed !== null &&
    !Array.isArray(parsed) &&
    typeof (parsed as Record<string, unknown>).default === "string"
    ? undefined
    : violation(
        "message",
        "jsonDefault",
        'must be a JSON object with a string "default" when messageStructure is "json"',
      )
}

/** SNS's message size: the UTF-8 bytes of the message plus every attribute's name, data type and value. */
export const entryBytes = (entry: PublishBatchRequestEntry): number =>
  messageBytes(entry.Message, entry.MessageAttributes as MessageAttributes | undefined)

/**
 * The ordering key of a FIFO topic's message: the topic and the message group, since order is kept
 * per group within one topic.
 */
export const orderingKeyOf = (topicArn: string, messageGroupId: string): string =>
  fifoOrderingKey(topicArn, messageGroupId)

/** Validates and translates one event. Never throws; hooks that throw reject the event. */
export const encode = (event: Event, options: EncodeOptions): EncodeResult<PublishBatchRequestEntry> => {
  const violations: Array<Violation> = []
  const note = (v: Violation | undefined) => {
    if (v !== undefined) violations.push(v)
  }

  const arn = resolveOption("topicArn", options.topicArn, event, checkTopicArn)
  const topicArn = arn.ok ? arn.value : undefined
  if (!arn.ok) note(arn.violation)
  const fifo = topicArn !== undefined && isFifoTopicArn(topicArn)

  const message = messageTextOf(event, options.message, "message")
  if (typeof message !== "string") note(message)
  else note(checkMessage(message))

  const entry: PublishBatchRequestEntry = {
    Id: batchEntryIdFor(event.id),
    Message: typeof message === "string" ? message : "",
  }

  if (options.messageStructure !== undefined) {
    const structure = resolveOption(
      "messageStructure",
      options.messageStructure,
      event,
      checkMessageStructure,
    )
    if (!structure.ok) note(structure.violation)
    else if (structure.value !== undefined) {
      entry.MessageStructure = structure.value
      if (typeof message === "string") note(checkJsonMessageStructure(message))
    }
  }

  if (options.subject !== undefined) {
    const subject = resolveOption("subject", options.subject, event, checkSubject)
    if (!subject.ok) note(subject.violation)
    else if (subject.value !== undefined) entry.Subject = subject.value
  }

  const { attributes, violations: badAttributes } = resolveMessageAttributes(
    event,
    options,
    messageAttributeRules,
  )
  violations.push(...badAttributes)
  if (attributes !== undefined && Object.keys(attributes).length > 0)
    entry.MessageAttributes = attributes as PublishBatchRequestEntry["MessageAttributes"]

  const fifoIds = resolveFifoIds(
    event,
    options,
    topicArn === undefined ? undefined : { kind: "topic", fifo },
    fifoId,
  )
  violations.push(...fifoIds.violations)
  if (fifoIds.messageGroupId !== undefined) entry.MessageGroupId = fifoIds.messageGroupId
  if (fifoIds.deduplicationId !== undefined) entry.MessageDeduplicationId = fifoIds.deduplicationId

  if (violations.length > 0) return rejected(...violations)
  return encoded(entry, entryBytes(entry), {
    batchKey: topicArn,
    sentId: entry.Id === event.id ? undefined : entry.Id,
    // A FIFO topic keeps order per message group: the key for the engine's ordered mode.
    orderingKey: fifo ? orderingKeyOf(topicArn!, entry.MessageGroupId!) : undefined,
  })
}
