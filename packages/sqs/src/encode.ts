/**
 * One neutral event → one SendMessageBatch entry, or the reasons SQS would refuse it. Everything the
 * service would refuse per entry (or worse, per request) is caught here, before any request.
 */
import type { SendMessageBatchRequestEntry } from "@aws-sdk/client-sqs"
import {
  checkFifoId,
  checkString,
  deriveStableId,
  describeValue,
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
  allowedCharacters,
  allowedCharactersText,
  batchEntryId,
  delaySeconds as delayRule,
  fifoId,
  messageAttributeRules,
  queueName,
} from "./limits.ts"
import type { SqsOptions } from "./SqsOptions.ts"

/** What `encode` needs: the options with the factory's defaults applied. */
export type EncodeOptions = Pick<
  SqsOptions,
  "queueUrl" | "messageAttributes" | "delaySeconds" | "messageGroupId" | "deduplicationId"
> & {
  readonly body: NonNullable<SqsOptions["body"]>
  readonly cloudEventAttributes: boolean
}

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

/** FIFO queue names end in `.fifo`. */
export const isFifoQueueUrl = (queueUrl: string): boolean => /\.fifo\/?$/.test(queueUrl)

/** `queueUrl`: an absolute URL whose last path segment is a queue name (1–80 of `A-Za-z0-9_-`, `.fifo`). */
export const checkQueueUrl = (queueUrl: unknown): Violation | undefined => {
  const bad = checkString("queueUrl", queueUrl, { min: 1 })
  if (bad !== undefined) return bad
  return queueNameOf(queueUrl as string) === undefined
    ? violation(
        "queueUrl",
        "queueUrl",
        "must be an absolute URL ending in a queue name (1–80 of A-Za-z0-9_- , FIFO names ending in .fifo)",
      )
    : undefined
}

/** `DelaySeconds`: an integer 0–900. */
export const checkDelaySeconds = (value: unknown): Violation | undefined =>
  value === undefined ||
  (typeof value === "number" && Number.isInteger(value) && value >= delayRule.min && value <= delayRule.max)
    ? undefined
    : violation(
        "delaySeconds",
        "range",
        `must be an integer from ${delayRule.min} to ${delayRule.max}, got ${describeValue(value)}`,
      )

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

/** The message body: not empty, only the characters SQS accepts. */
export const checkBody = (body: string): Violation | undefined =>
  body.length === 0
    ? violation("body", "minLength", "must not be empty")
    : allowedCharacters.test(body)
      ? undefined
      : violation("body", "allowedCharacters", `may hold only ${allowedCharactersText} (SQS refuses others)`)

/**
 * SQS's message size: the UTF-8 bytes of the body plus every attribute's name, data type and value.
 * `MessageSystemAttributes` do not count.
 */
export const entryBytes = (entry: SendMessageBatchRequestEntry): number =>
  messageBytes(entry.MessageBody, entry.MessageAttributes as MessageAttributes | undefined)

/**
 * The ordering key of a FIFO queue's message: the queue and the message group, since order is
 * kept per group within one queue.
 */
export const orderingKeyOf = (queueUrl: string, messageGroupId: string): string =>
  fifoOrderingKey(queueUrl, messageGroupId)

/** Validates and translates one event. Never throws; hooks that throw reject the event. */
export const encode = (event: Event, options: EncodeOptions): EncodeResult<SendMessageBatchRequestEntry> => {
  const violations: Array<Violation> = []
  const note = (v: Violation | undefined) => {
    if (v !== undefined) violations.push(v)
  }

  const url = resolveOption("queueUrl", options.queueUrl, event, checkQueueUrl)
  const queueUrl = url.ok ? url.value : undefined
  if (!url.ok) note(url.violation)
  const fifo = queueUrl !== undefined && isFifoQueueUrl(queueUrl)

  const body = messageTextOf(event, options.body, "body")
  if (typeof body !== "string") note(body)
  else note(checkBody(body))

  const { attributes, violations: badAttributes } = resolveMessageAttributes(
    event,
    options,
    messageAttributeRules,
  )
  violations.push(...badAttributes)

  const entry: SendMessageBatchRequestEntry = {
    Id: batchEntryIdFor(event.id),
    MessageBody: typeof body === "string" ? body : "",
  }
  if (attributes !== undefined && Object.keys(attributes).length > 0)
    entry.MessageAttributes = attributes as SendMessageBatchRequestEntry["MessageAttributes"]

  if (options.delaySeconds !== undefined) {
    const delay = resolveOption("delaySeconds", options.delaySeconds, event, checkDelaySeconds)
    if (!delay.ok) note(delay.violation)
    else if (delay.value !== undefined) {
      if (fifo && delay.value !== 0)
        note(
          violation(
            "delaySeconds",
            "fifoDelay",
            "FIFO queues take no per-message delay (set the queue's delay)",
          ),
        )
      // A FIFO queue takes no DelaySeconds at all: a delay of 0 there is simply not sent.
      else if (!fifo) entry.DelaySeconds = delay.value
    }
  }

  const fifoIds = resolveFifoIds(
    event,
    options,
    queueUrl === undefined ? undefined : { kind: "queue", fifo },
    fifoId,
  )
  violations.push(...fifoIds.violations)
  if (fifoIds.messageGroupId !== undefined) entry.MessageGroupId = fifoIds.messageGroupId
  if (fifoIds.deduplicationId !== undefined) entry.MessageDeduplicationId = fifoIds.deduplicationId

  if (violations.length > 0) return rejected(...violations)
  return encoded(entry, entryBytes(entry), {
    batchKey: queueUrl,
    sentId: entry.Id === event.id ? undefined : entry.Id,
    // A FIFO queue keeps order per message group: the key for the engine's ordered mode.
    orderingKey: fifo ? orderingKeyOf(queueUrl!, entry.MessageGroupId!) : undefined,
  })
}
