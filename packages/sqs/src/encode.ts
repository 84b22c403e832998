/**
 * One neutral event → one SendMessageBatch entry, or the reasons SQS would refuse it. Everything the
 * service would refuse per entry (or worse, per request) is caught here, before any request.
 */
import type { SendMessageBatchRequestEntry } from "@aws-sdk/client-sqs"
import {
  checkString,
  cloudEventMessageAttributes,
  deriveStableId,
  describeValue,
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
  allowedCharacters,
  batchEntryId,
  delaySeconds as delayRule,
  fifoId,
  messageAttributeRules,
  queueName,
} from "./limits.ts"
import type { SqsOptions } from "./SqsOptions.ts"

/** What `encode` needs of the options. */
export type EncodeOptions = Pick<
  SqsOptions,
  | "queueUrl"
  | "body"
  | "messageAttributes"
  | "cloudEventAttributes"
  | "delaySeconds"
  | "messageGroupId"
  | "deduplicationId"
>

/**
 * Names of `Object.prototype` members: the SDK's batch checksum step looks each entry up by `Id` in a
 * plain object, so a failed entry whose `Id` is `constructor` or `toString` makes it throw for the
 * whole response. Such ids are sent derived instead.
 */
const prototypeMemberNames = Object.getOwnPropertyNames(Object.prototype).filter((name) =>
  batchEntryId.pattern.test(name),
)

const batchEntryIdRule = {
  ...batchEntryId,
  pattern: new RegExp(`^(?!(?:${prototypeMemberNames.join("|")})$)[A-Za-z0-9_-]+$`),
}

/**
 * The batch entry `Id` of an event: its id when it is 1–80 of `[A-Za-z0-9_-]` (and not the name of
 * an `Object.prototype` member); otherwise core's stable derived id (`sha256-` and 43 base64url
 * characters), so a retry sends the same `Id`. Reported as the outcome's `sentId` when it differs.
 */
export const batchEntryIdFor = (eventId: string): string => deriveStableId(eventId, batchEntryIdRule)

/** A FIFO `MessageDeduplicationId` from an event id: the id when it fits, else a derived one. */
export const deduplicationIdFor = (eventId: string): string => deriveStableId(eventId, fifoId)

/** The queue's name (the last path segment) when `queueUrl` is an absolute URL ending in a valid name. */
export const queueNameOf = (queueUrl: string): string | undefined => {
  let url: URL
  try {
    url = new URL(queueUrl)
  } catch {
    return undefined
  }
  const name = url.pathname.replace(/\/$/, "").split("/").pop() ?? ""
  return queueName.test(name) ? name : undefined
}

/** `queueUrl`: an absolute URL whose last path segment is a queue name (1–80 of `A-Za-z0-9_-`, `.fifo`). */
export const queueUrlViolation = (queueUrl: unknown): Violation | undefined => {
  const bad = checkString("queueUrl", queueUrl, { min: 1 })
  if (bad !== undefined) return bad
  if (queueNameOf(queueUrl as string) === undefined)
    return violation(
      "queueUrl",
      "queueUrl",
      "must be an absolute URL ending in a queue name (1–80 of A-Za-z0-9_- , FIFO names ending in .fifo)",
    )
  return undefined
}

export const isFifoQueueUrl = (queueUrl: string): boolean => queueNameOf(queueUrl)?.endsWith(".fifo") === true

/** `DelaySeconds`: an integer 0–900. */
export const delaySecondsViolation = (value: unknown): Violation | undefined =>
  typeof value === "number" && Number.isInteger(value) && value >= delayRule.min && value <= delayRule.max
    ? undefined
    : violation(
        "delaySeconds",
        "range",
        `must be an integer from ${delayRule.min} to ${delayRule.max}, got ${describeValue(value)}`,
      )

/** `MessageGroupId`/`MessageDeduplicationId`: 1–128 alphanumeric and punctuation characters. */
export const fifoIdViolation = (field: string, value: unknown): Violation | undefined =>
  checkString(field, value, {
    ...fifoId,
    patternText: "alphanumeric and punctuation characters (!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~)",
  })

export const messageAttributesViolations = (attributes: unknown): ReadonlyArray<Violation> =>
  messageAttributeViolations("messageAttributes", attributes, messageAttributeRules)

/**
 * The last queue URL found valid: a publisher sends to one queue (or a few), so the URL needs parsing
 * once, not for every event. Only a pure check's answer is remembered.
 */
let validQueueUrl: string | undefined

const checkedQueueUrl = (value: unknown): Violation | undefined => {
  if (value === validQueueUrl) return undefined
  const bad = queueUrlViolation(value)
  if (bad === undefined) validQueueUrl = value as string
  return bad
}

/** Validates and translates one event. Never throws; hooks that throw reject the event. */
export const encode = (event: Event, options: EncodeOptions): EncodeResult<SendMessageBatchRequestEntry> => {
  const violations: Array<Violation> = []
  const note = (v: Violation | undefined) => {
    if (v !== undefined) violations.push(v)
  }

  const url = runHook("queueUrl", options.queueUrl, event)
  let fifo = false
  let queueUrl: string | undefined
  if (!url.ok) note(url.violation)
  else {
    const bad = checkedQueueUrl(url.value)
    note(bad)
    if (bad === undefined) {
      queueUrl = url.value
      fifo = isFifoQueueUrl(queueUrl)
    }
  }

  const body = messageTextOf(event, options.body ?? "cloudEvent", "body")
  if (typeof body !== "string") note(body)
  else if (body.length === 0) note(violation("body", "minLength", "must not be empty"))
  else if (!allowedCharacters.test(body))
    note(
      violation(
        "body",
        "allowedCharacters",
        `may hold only ${"#x9, #xA, #xD, #x20 to #xD7FF, #xE000 to #xFFFD, #x10000 to #x10FFFF"} (SQS refuses others)`,
      ),
    )

  let attributes: MessageAttributes | undefined
  if (options.cloudEventAttributes === true) attributes = cloudEventMessageAttributes(event)
  if (options.messageAttributes !== undefined) {
    const own = runHook("messageAttributes", options.messageAttributes, event)
    if (!own.ok) note(own.violation)
    else if (own.value !== undefined)
      attributes = attributes === undefined ? own.value : { ...attributes, ...own.value }
  }
  if (attributes !== undefined) violations.push(...messageAttributesViolations(attributes))

  const entry: SendMessageBatchRequestEntry = {
    Id: batchEntryIdFor(event.id),
    MessageBody: typeof body === "string" ? body : "",
  }
  if (attributes !== undefined && Object.keys(attributes).length > 0)
    entry.MessageAttributes = attributes as SendMessageBatchRequestEntry["MessageAttributes"]

  if (options.delaySeconds !== undefined) {
    const delay = runHook("delaySeconds", options.delaySeconds, event)
    if (!delay.ok) note(delay.violation)
    else if (delay.value !== undefined) {
      const bad = delaySecondsViolation(delay.value)
      note(bad)
      if (bad === undefined && fifo && delay.value !== 0)
        note(
          violation(
            "delaySeconds",
            "fifoDelay",
            "FIFO queues take no per-message delay (set the queue's delay instead)",
          ),
        )
      else if (bad === undefined) entry.DelaySeconds = delay.value
    }
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
    note(violation("messageGroupId", "required", "is required for a FIFO queue (.fifo)"))

  if (options.deduplicationId !== undefined) {
    const dedup = runHook("deduplicationId", options.deduplicationId, event)
    if (!dedup.ok) note(dedup.violation)
    else if (dedup.value !== undefined) {
      if (!fifo && queueUrl !== undefined)
        note(
          violation("deduplicationId", "fifoOnly", "is for FIFO queues only; this queue is a standard queue"),
        )
      else {
        note(fifoIdViolation("deduplicationId", dedup.value))
        entry.MessageDeduplicationId = dedup.value
      }
    }
  } else if (fifo) entry.MessageDeduplicationId = deduplicationIdFor(event.id)

  if (violations.length > 0) return rejected(...violations)
  const bytes = utf8Length(entry.MessageBody!) + messageAttributesBytes(attributes)
  return encoded(entry, bytes, {
    batchKey: queueUrl,
    sentId: entry.Id === event.id ? undefined : entry.Id,
  })
}
