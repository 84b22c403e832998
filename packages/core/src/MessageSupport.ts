/**
 * What message-queue and topic adapters (SQS, SNS) share: the message text made of an event, the
 * CloudEvents context attributes as message attributes, and message attributes as SQS and SNS define them (name, data type, one value), checked before sending
 * and counted in the message size. Sources: the SQS developer guide, "Message metadata for Amazon
 * SQS" (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html),
 * and the SNS developer guide, "Amazon SNS message attributes"
 * (https://docs.aws.amazon.com/sns/latest/dg/sns-message-attributes.html): up to 10 attributes; names
 * of up to 256 characters of `A-Za-z0-9_-.`, not starting with `AWS.` or `Amazon.` (any case), not
 * starting or ending with a period nor holding two in a row; every part counts toward the message size.
 * Also the bytes of a stream record (Kinesis, Firehose), and what SQS and SNS say alike of FIFO queues and topics (message group and de-duplication ids) and of
 * their batch answers (`Successful` and `Failed`, by the caller's batch entry `Id`).
 */
import type { EntryResult } from "./Adapter.ts"
import {
  checkJsonTree,
  checkString,
  deriveStableId,
  describeValue,
  type ErrorMapping,
  type ErrorTable,
  type IdRule,
  lookupErrorCode,
  type PerEvent,
  payloadBytes,
  resolveOption,
  resultsByEntryKey,
  runHook,
  sendWithDistinctKeys,
  sharedErrorCode,
  utf8Length,
  violation,
} from "./AdapterSupport.ts"
import { toCloudEvent } from "./CloudEvent.ts"
import { type DeliveryError, deliveryError } from "./DeliveryError.ts"
import type { Event, Violation } from "./Event.ts"

/** One attribute, field for field as the AWS SDK's `MessageAttributeValue` of SQS and SNS. */
export interface MessageAttributeValue {
  readonly DataType: string
  readonly StringValue?: string
  readonly BinaryValue?: Uint8Array
}

export type MessageAttributes = Readonly<Record<string, MessageAttributeValue>>

/** How one service reads attributes. */
export interface MessageAttributeRules {
  /** "Each message can have up to 10 attributes" (both guides). */
  readonly maxAttributes: number
  /** Base data types, e.g. `String`, `Number`, `Binary` (SNS adds `String.Array`). */
  readonly dataTypes: ReadonlyArray<string>
  /** SQS lets a custom label follow the base type (`Number.float`); SNS does not. */
  readonly customLabels: boolean
  /** Characters a String or Number value may hold (the service's body rule). */
  readonly allowedCharacters: RegExp
  readonly allowedCharactersText: string
}

export const maxAttributeNameLength = 256
export const maxAttributeDataTypeLength = 256

const namePattern = /^[A-Za-z0-9_.-]+$/
const numberPattern = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/

/** Why an attribute name is refused (as a violation of `field`), or undefined. */
export const attributeNameViolation = (field: string, name: string): Violation | undefined => {
  if (name.length === 0 || name.length > maxAttributeNameLength)
    return violation(field, "nameLength", `names must be 1 to ${maxAttributeNameLength} characters`)
  if (!namePattern.test(name))
    return violation(field, "namePattern", "names may contain only A-Z, a-z, 0-9, '_', '-' and '.'")
  if (/^(aws|amazon)\./i.test(name))
    return violation(field, "reservedPrefix", "names must not start with AWS. or Amazon. (reserved)")
  if (name.startsWith(".") || name.endsWith(".") || name.includes(".."))
    return violation(field, "namePeriods", "names must not start or end with a period, nor have two in a row")
  return undefined
}

const isJsonArrayText = (text: string): boolean => {
  try {
    return Array.isArray(JSON.parse(text))
  } catch {
    return false
  }
}

/**
 * Every rule the attributes break, each naming `field.<name>` (names are the caller's keys, not
 * payload). `attributes` is `unknown` because it comes from options and hooks.
 */
export const messageAttributeViolations = (
  field: string,
  attributes: unknown,
  rules: MessageAttributeRules,
): ReadonlyArray<Violation> => {
  if (typeof attributes !== "object" || attributes === null || Array.isArray(attributes))
    return [violation(field, "type", `must be a record of attributes, got ${describeValue(attributes)}`)]
  const names = Object.keys(attributes)
  if (names.length > rules.maxAttributes)
    return [
      violation(
        field,
        "maxAttributes",
        `holds ${names.length} attributes, at most ${rules.maxAttributes} are allowed`,
      ),
    ]
  const found: Array<Violation> = []
  for (const name of names) {
    const at = `${field}.${name}`
    const badName = attributeNameViolation(at, name)
    if (badName !== undefined) {
      found.push(badName)
      continue
    }
    const value: unknown = (attributes as Record<string, unknown>)[name]
    if (typeof value !== "object" || value === null) {
      found.push(
        violation(at, "type", `must be { DataType, StringValue | BinaryValue }, got ${describeValue(value)}`),
      )
      continue
    }
    const { DataType, StringValue, BinaryValue } = value as Record<string, unknown>
    if (typeof DataType !== "string") {
      found.push(violation(`${at}.DataType`, "type", `must be a string, got ${describeValue(DataType)}`))
      continue
    }
    const base = rules.dataTypes.includes(DataType)
      ? DataType
      : rules.customLabels
        ? rules.dataTypes.find((type) => DataType.startsWith(`${type}.`) && DataType.length > type.length + 1)
        : undefined
    if (base === undefined || DataType.length > maxAttributeDataTypeLength) {
      found.push(
        violation(
          `${at}.DataType`,
          "dataType",
          `must be one of ${rules.dataTypes.join(", ")}${rules.customLabels ? " (optionally followed by .label)" : ""}, at most ${maxAttributeDataTypeLength} characters`,
        ),
      )
      continue
    }
    if (base === "Binary") {
      if (!(BinaryValue instanceof Uint8Array) || BinaryValue.byteLength === 0 || StringValue !== undefined)
        found.push(
          violation(
            at,
            "binaryValue",
            "a Binary attribute needs a non-empty BinaryValue (bytes) and no StringValue",
          ),
        )
      continue
    }
    if (typeof StringValue !== "string" || StringValue.length === 0 || BinaryValue !== undefined) {
      found.push(
        violation(at, "stringValue", `a ${base} attribute needs a non-empty StringValue and no BinaryValue`),
      )
      continue
    }
    if (!rules.allowedCharacters.test(StringValue))
      found.push(
        violation(`${at}.StringValue`, "allowedCharacters", `may hold only ${rules.allowedCharactersText}`),
      )
    else if (base === "Number" && !numberPattern.test(StringValue))
      found.push(violation(`${at}.StringValue`, "number", "must be a number for the Number data type"))
    else if (base === "String.Array" && !isJsonArrayText(StringValue))
      found.push(
        violation(`${at}.StringValue`, "stringArray", "must be a JSON array for the String.Array data type"),
      )
  }
  return found
}

/** Bytes the attributes add to a message: each name, data type and value (UTF-8, or the bytes). */
export const messageAttributesBytes = (attributes: MessageAttributes | undefined): number => {
  if (attributes === undefined) return 0
  let bytes = 0
  for (const name of Object.keys(attributes)) {
    const value = attributes[name]!
    bytes += utf8Length(name) + utf8Length(value.DataType)
    if (value.BinaryValue !== undefined) bytes += value.BinaryValue.byteLength
    if (value.StringValue !== undefined) bytes += utf8Length(value.StringValue)
  }
  return bytes
}

/**
 * A message's size as SQS and SNS count it: the UTF-8 bytes of its text plus every attribute's
 * name, data type and value ({@link messageAttributesBytes}).
 */
export const messageBytes = (text: string | undefined, attributes: MessageAttributes | undefined): number =>
  utf8Length(text ?? "") + messageAttributesBytes(attributes)

/**
 * One event's message attributes: its CloudEvents context attributes when `cloudEventAttributes`
 * ({@link cloudEventMessageAttributes}), overlaid by the caller's `messageAttributes` (a constant
 * or a function of the event; the caller's win by name), checked as one map against the service's
 * `rules` ({@link messageAttributeViolations}, field `messageAttributes`). A throwing function
 * rejects the event (rule `hook`).
 */
export const resolveMessageAttributes = (
  event: Event,
  options: {
    readonly cloudEventAttributes: boolean
    readonly messageAttributes?: PerEvent<MessageAttributes | undefined> | undefined
  },
  rules: MessageAttributeRules,
): { readonly attributes: MessageAttributes | undefined; readonly violations: ReadonlyArray<Violation> } => {
  let attributes: MessageAttributes | undefined = options.cloudEventAttributes
    ? cloudEventMessageAttributes(event)
    : undefined
  if (options.messageAttributes !== undefined) {
    // Checked below with the CloudEvents attributes, as one map.
    const own = resolveOption("messageAttributes", options.messageAttributes, event, () => undefined)
    if (!own.ok) return { attributes: undefined, violations: [own.violation] }
    if (own.value !== undefined)
      attributes = attributes === undefined ? own.value : { ...attributes, ...own.value }
  }
  return {
    attributes,
    violations:
      attributes === undefined ? [] : messageAttributeViolations("messageAttributes", attributes, rules),
  }
}

/**
 * What a message carries: the event in the CloudEvents JSON format, the event's data as JSON text,
 * or what a function makes of the event.
 */
export type MessageText = "cloudEvent" | "data" | ((event: Event) => string)

/**
 * The text of an event's message, or why there is none: binary data has no text form with `"data"`
 * (the CloudEvents form carries it as `data_base64`); a function must return a string; a function
 * that throws rejects the event (rule `hook`). `field` names the option in violations.
 */
export const messageTextOf = (event: Event, option: MessageText, field: string): string | Violation => {
  if (option === "cloudEvent" || option === "data") {
    // JSON.stringify recurses: data nested past core's limit is refused before it overflows the stack.
    const tooDeep = checkJsonTree(event.data, "data")
    if (tooDeep !== undefined) return tooDeep
  }
  if (option === "cloudEvent") return JSON.stringify(toCloudEvent(event))
  if (option === "data") {
    if (event.data instanceof Uint8Array)
      return violation(
        "data",
        "binaryData",
        `is binary and a message is text: use ${field} "cloudEvent" (data_base64) or a ${field} function`,
      )
    return JSON.stringify(event.data)
  }
  const built = runHook(field, option, event)
  if (!built.ok) return built.violation
  return typeof built.value === "string"
    ? built.value
    : violation(field, "type", `must return a string, got ${describeValue(built.value)}`)
}

/**
 * What a stream record's `Data` carries (Kinesis, Firehose): the whole event in the CloudEvents JSON
 * format (`"cloudEvent"`), or the event's data alone (its JSON text, or its bytes when it is binary).
 * Spelled as the SQS and SNS adapters' `body` and `message` ({@link MessageText}).
 */
export type RecordContent = "cloudEvent" | "data"

/**
 * The bytes of an event's stream record, as {@link RecordContent} says. JSON data is walked first
 * ({@link checkJsonTree}), so data nested past core's limit is refused by rule `maxDepth` instead of
 * overflowing the stack in `JSON.stringify`.
 */
export const recordDataOf = (event: Event, content: RecordContent): Uint8Array | Violation => {
  if (!(event.data instanceof Uint8Array)) {
    const tooDeep = checkJsonTree(event.data, "data")
    if (tooDeep !== undefined) return tooDeep
  }
  return content === "cloudEvent"
    ? Buffer.from(JSON.stringify(toCloudEvent(event)), "utf8")
    : payloadBytes(event)
}

/**
 * The event's CloudEvents context attributes as String message attributes named `ce_<attribute>`:
 * `ce_specversion`, `ce_id`, `ce_source`, `ce_type`, `ce_time`, and `ce_subject`,
 * `ce_datacontenttype` when set (at most 7 of the 10 attributes a message may have).
 */
export const cloudEventMessageAttributes = (event: Event): Record<string, MessageAttributeValue> => {
  const text = (value: string): MessageAttributeValue => ({ DataType: "String", StringValue: value })
  const attributes: Record<string, MessageAttributeValue> = {
    ce_specversion: text("1.0"),
    ce_id: text(event.id),
    ce_source: text(event.source),
    ce_type: text(event.type),
    ce_time: text(event.time.toISOString()),
  }
  if (event.subject !== undefined) attributes.ce_subject = text(event.subject)
  if (event.dataContentType !== undefined) attributes.ce_datacontenttype = text(event.dataContentType)
  return attributes
}

const senderFaultMapping: ErrorMapping = { code: "InvalidRequest", retryable: false }
const serviceFaultMapping: ErrorMapping = { code: "InternalFailure", retryable: true }
const unknownMapping: ErrorMapping = { code: "Unknown", retryable: false }

/**
 * Classifies one failed entry of a batch answer that says whose fault it is (SQS and SNS
 * `BatchResultErrorEntry.SenderFault`): `true` (the caller's) is never retried, `false` (the
 * service's) always is. The table picks the normalized `code`; an unlisted code is `InvalidRequest`
 * for the sender's fault, `InternalFailure` for the service's. Without `SenderFault`, the table's
 * own retryability applies, and an unlisted code is `Unknown`, not retried. A credential error the
 * table does not list is what it is for every service (core's {@link sharedErrorCode}):
 * `AccessDenied`, never retried, whatever `SenderFault` says.
 */
export const classifyBySenderFault = (
  table: ErrorTable,
  code: string | undefined,
  senderFault: boolean | undefined,
  message: string | undefined,
): DeliveryError => {
  const listed = code === undefined ? undefined : lookupErrorCode(table, code)
  const shared = listed === undefined && code !== undefined ? sharedErrorCode(code) : undefined
  const mapping =
    listed ??
    shared ??
    (senderFault === true ? senderFaultMapping : senderFault === false ? serviceFaultMapping : unknownMapping)
  return deliveryError(mapping.code, {
    retryable: senderFault === undefined || shared !== undefined ? mapping.retryable : !senderFault,
    ...(code === undefined ? {} : { rawCode: code }),
    ...(message === undefined ? {} : { rawMessage: message }),
  })
}

// ---------------------------------------------------------------------------------------------
// FIFO queues and topics

/** How the rule of `MessageGroupId` and `MessageDeduplicationId` reads in a violation (SQS and SNS alike). */
export const fifoIdPatternText =
  "alphanumeric and punctuation characters (!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~)"

/**
 * Checks a `MessageGroupId` or `MessageDeduplicationId` (`field` names the option) against the
 * service's `rule` (1–128 alphanumeric and punctuation characters for SQS and SNS); absent is valid.
 */
export const checkFifoId = (field: string, value: unknown, rule: IdRule): Violation | undefined =>
  value === undefined ? undefined : checkString(field, value, { ...rule, patternText: fifoIdPatternText })

/** The FIFO options of a message adapter (SQS `sqs`, SNS `sns`). */
export interface FifoOptions {
  readonly messageGroupId?: PerEvent<string | undefined> | undefined
  readonly deduplicationId?: PerEvent<string | undefined> | undefined
}

/** What a queue or topic is, for the FIFO rules: its kind's name, and whether it is FIFO (`.fifo`). */
export interface FifoDestination {
  readonly kind: "queue" | "topic"
  readonly fifo: boolean
}

/**
 * The FIFO rules a constant destination decides once, at construction: a FIFO one needs a message
 * group; a de-duplication id is for FIFO ones only.
 */
export const checkFifoOptions = (
  destination: FifoDestination,
  options: FifoOptions,
): Violation | undefined => {
  if (destination.fifo && options.messageGroupId === undefined)
    return violation("messageGroupId", "required", `is required for a FIFO ${destination.kind} (.fifo)`)
  if (!destination.fifo && typeof options.deduplicationId === "string")
    return violation("deduplicationId", "fifoOnly", `is for FIFO ${destination.kind}s only (.fifo)`)
  return undefined
}

/**
 * The ordering key of a FIFO queue's or topic's message: the destination and the message group,
 * since order is kept per group within one destination.
 */
export const fifoOrderingKey = (destination: string, messageGroupId: string): string =>
  `${destination} ${messageGroupId}`

/** The FIFO ids of one message, and the rules the event broke. */
export interface FifoIds {
  readonly messageGroupId: string | undefined
  readonly deduplicationId: string | undefined
  readonly violations: ReadonlyArray<Violation>
}

/**
 * Resolves one event's FIFO ids for `destination` (`undefined` when the destination itself is
 * invalid): the message group from `options` (required by a FIFO destination), the de-duplication
 * id from `options` (refused by a standard destination) or, for a FIFO destination, the event id
 * made to fit `rule` (core's stable derived id), so a retried event is de-duplicated. Each
 * option's result is checked against `rule`; a throwing option rejects the event (rule `hook`).
 */
export const resolveFifoIds = (
  event: Event,
  options: FifoOptions,
  destination: FifoDestination | undefined,
  rule: IdRule,
): FifoIds => {
  const violations: Array<Violation> = []
  const fifo = destination?.fifo === true
  let messageGroupId: string | undefined
  let deduplicationId: string | undefined
  if (options.messageGroupId !== undefined) {
    const group = resolveOption("messageGroupId", options.messageGroupId, event, (value) =>
      checkFifoId("messageGroupId", value, rule),
    )
    if (!group.ok) violations.push(group.violation)
    else messageGroupId = group.value
  }
  if (fifo && messageGroupId === undefined && violations.length === 0)
    violations.push(
      violation("messageGroupId", "required", `is required for a FIFO ${destination!.kind} (.fifo)`),
    )
  if (options.deduplicationId !== undefined) {
    const dedup = resolveOption("deduplicationId", options.deduplicationId, event, (value) =>
      checkFifoId("deduplicationId", value, rule),
    )
    if (!dedup.ok) violations.push(dedup.violation)
    else if (dedup.value !== undefined) {
      if (destination !== undefined && !fifo)
        violations.push(
          violation(
            "deduplicationId",
            "fifoOnly",
            `is for FIFO ${destination.kind}s only; this ${destination.kind} is a standard ${destination.kind}`,
          ),
        )
      else deduplicationId = dedup.value
    }
  } else if (fifo) deduplicationId = deriveStableId(event.id, rule)
  return { messageGroupId, deduplicationId, violations }
}

// ---------------------------------------------------------------------------------------------
// Batch answers by batch entry Id

/** An entry a batch answer reports as accepted (SQS `SendMessageBatchResultEntry`, SNS `PublishBatchResultEntry`). */
export interface BatchResultSuccess {
  readonly Id?: string | undefined
  readonly MessageId?: string | undefined
}

/** An entry a batch answer reports as failed (`BatchResultErrorEntry` of SQS and SNS). */
export interface BatchResultFailure {
  readonly Id?: string | undefined
  readonly Code?: string | undefined
  readonly SenderFault?: boolean | undefined
  readonly Message?: string | undefined
}

/** A batch answer that lists every entry by the caller's `Id`, successes and failures apart. */
export interface BatchResultLists {
  readonly Successful?: ReadonlyArray<BatchResultSuccess> | undefined
  readonly Failed?: ReadonlyArray<BatchResultFailure> | undefined
}

/**
 * Index-aligned results of a batch answer by `Id` (`ids` are the Ids sent, in order, all
 * different): the receipt is the `MessageId`, a failure is classified by the service's `classify`
 * (code, SenderFault, message). Core's {@link resultsByEntryKey} reports an entry listed in neither
 * list or in both, or an `Id` that was not sent, as unknown.
 */
export const resultsByBatchEntryId = (
  ids: ReadonlyArray<string>,
  answer: BatchResultLists,
  classify: (code: string | undefined, senderFault: boolean | undefined, message?: string) => DeliveryError,
): ReadonlyArray<EntryResult> =>
  resultsByEntryKey(
    ids,
    (answer.Successful ?? []).map((success) => ({ key: success.Id, receipt: success.MessageId })),
    (answer.Failed ?? []).map((failure) => ({
      key: failure.Id,
      error: classify(failure.Code, failure.SenderFault, failure.Message),
    })),
    "Id",
  )

/**
 * Sends a batch whose entries must have distinct `Id`s in one request (SQS and SNS refuse the whole
 * request otherwise): core's {@link sendWithDistinctKeys} by `Id` (raw code `DuplicateBatchEntryId`
 * for a later duplicate, sent in a later request); `send` gets the distinct entries and their Ids.
 */
export const sendWithDistinctEntryIds = <Entry extends { readonly Id?: string | undefined }>(
  entries: ReadonlyArray<Entry>,
  send: (distinct: ReadonlyArray<Entry>, ids: ReadonlyArray<string>) => Promise<ReadonlyArray<EntryResult>>,
): Promise<ReadonlyArray<EntryResult>> =>
  sendWithDistinctKeys(
    entries,
    (entry) => entry.Id ?? "",
    "batchEntryId",
    (distinct) =>
      send(
        distinct,
        distinct.map((entry) => entry.Id ?? ""),
      ),
  )
