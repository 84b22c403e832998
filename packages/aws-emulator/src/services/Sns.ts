/**
 * SNS PublishBatch (awsQuery: form body, XML answers). Model subset: botocore
 * `botocore/data/sns/2010-03-31/service-2.json` at 0e6e2404b85dc336dd2889814e089bde7d1a4c55 (error
 * codes and statuses from its `error` traits); the documented rules the model lacks (entry count,
 * ids, sizes, Subject, MessageStructure, FIFO) from the PublishBatch and Publish API references,
 * https://docs.aws.amazon.com/sns/latest/api/API_PublishBatch.html ,
 * https://docs.aws.amazon.com/sns/latest/api/API_Publish.html .
 */
import { createHash, randomUUID } from "node:crypto"
import { memberIndexes, parseForm, snsXmlNamespace, xmlElement } from "../internal/awsQuery.ts"
import { batchEntryIdPattern, checkMessageAttributes, fifoIdPattern } from "../internal/messageAttributes.ts"
import { describeViolations } from "../internal/modelValidation.ts"
import {
  type BatchItem,
  duplicateIds,
  type EntryFailure,
  isRecord,
  type Refused,
  requestError,
  type ServiceHandler,
  serviceModel,
} from "../internal/ServiceHandler.ts"
import model from "../models/sns-2010-03-31.PublishBatch.json" with { type: "json" }
import type { SnsMessage, StoredMessageAttribute } from "../Store.ts"

const { traits, validator } = serviceModel("sns", model)

/** "The maximum allowed individual message size and the maximum total payload size … are both 256 KiB (262,144 bytes)". */
export const maxSnsMessageBytes = 256 * 1024
export const maxSnsBatchEntries = 10
/**
 * Subject: "Must be ASCII text that begins with a letter, number, or punctuation mark; must not
 * include line breaks or control characters; and must be less than 100 characters long" (Publish).
 */
export const maxSubjectLength = 100
const subjectPattern = /^[\x21-\x7e][\x20-\x7e]*$/
/** Topic names: up to 256 of `[A-Za-z0-9_-]`, FIFO topics ending in `.fifo`. */
const topicArnPattern =
  /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:((?:[A-Za-z0-9_-]{1,251}\.fifo)|[A-Za-z0-9_-]{1,256})$/

/** Error codes and statuses as the model's `error` traits give them. */
const snsError = (code: string, status: number, message: string): Refused => ({
  ok: false,
  error: { code, status, message },
})

const invalidParameter = (message: string): EntryFailure => ({
  code: "InvalidParameter",
  message: `Invalid parameter: ${message}`,
  statusCode: 400,
  senderFault: true,
})

type Entry = Record<string, unknown>

/** The request's fields as the model names them, read from the awsQuery form. */
const readInput = (form: ReadonlyMap<string, string>): Record<string, unknown> => {
  const input: Record<string, unknown> = {}
  const topicArn = form.get("TopicArn")
  if (topicArn !== undefined) input.TopicArn = topicArn
  const listPrefix = "PublishBatchRequestEntries.member"
  const entries: Entry[] = []
  for (const n of memberIndexes(form, listPrefix)) {
    const at = `${listPrefix}.${n}.`
    const entry: Entry = {}
    for (const member of [
      "Id",
      "Message",
      "Subject",
      "MessageStructure",
      "MessageDeduplicationId",
      "MessageGroupId",
    ]) {
      const value = form.get(at + member)
      if (value !== undefined) entry[member] = value
    }
    const attributePrefix = `${at}MessageAttributes.entry`
    const attributeIndexes = memberIndexes(form, attributePrefix)
    if (attributeIndexes.length > 0) {
      const attributes: Record<string, unknown> = Object.create(null)
      for (const m of attributeIndexes) {
        const a = `${attributePrefix}.${m}.`
        const name = form.get(`${a}Name`) ?? ""
        const value: Record<string, string> = {}
        for (const member of ["DataType", "StringValue", "BinaryValue"]) {
          const v = form.get(`${a}Value.${member}`)
          if (v !== undefined) value[member] = v
        }
        attributes[name] = value
      }
      entry.MessageAttributes = attributes
    }
    entries.push(entry)
  }
  input.PublishBatchRequestEntries = entries
  return input
}

const hasStringDefault = (message: string): boolean => {
  try {
    const parsed: unknown = JSON.parse(message)
    return isRecord(parsed) && typeof parsed.default === "string"
  } catch {
    return false
  }
}

interface CheckedEntry {
  readonly rejection?: EntryFailure
  readonly attributes: Readonly<Record<string, StoredMessageAttribute>>
  readonly bytes: number
}

const checkEntry = (entry: Entry, fifo: boolean, contentBased: boolean): CheckedEntry => {
  const message = entry.Message as string
  const checkedAttributes = checkMessageAttributes(entry.MessageAttributes, "sns")
  const attributes = "violation" in checkedAttributes ? {} : checkedAttributes.attributes
  const bytes =
    Buffer.byteLength(message, "utf8") + ("violation" in checkedAttributes ? 0 : checkedAttributes.bytes)
  const reject = (rejection: EntryFailure): CheckedEntry => ({ rejection, attributes, bytes })
  if (message.length === 0) return reject(invalidParameter("Empty message"))
  const subject = entry.Subject as string | undefined
  if (subject !== undefined && (subject.length >= maxSubjectLength || !subjectPattern.test(subject)))
    return reject(invalidParameter("Subject"))
  const structure = entry.MessageStructure as string | undefined
  if (structure !== undefined && structure !== "json") return reject(invalidParameter("MessageStructure"))
  if (structure === "json" && !hasStringDefault(message))
    return reject(invalidParameter("Message Structure - No default entry in JSON message body"))
  if ("violation" in checkedAttributes) return reject(invalidParameter(checkedAttributes.violation))
  const groupId = entry.MessageGroupId as string | undefined
  const deduplicationId = entry.MessageDeduplicationId as string | undefined
  if (groupId !== undefined && !fifoIdPattern.test(groupId)) return reject(invalidParameter("MessageGroupId"))
  if (deduplicationId !== undefined && !fifoIdPattern.test(deduplicationId))
    return reject(invalidParameter("MessageDeduplicationId"))
  if (fifo) {
    if (groupId === undefined)
      return reject(invalidParameter("The MessageGroupId parameter is required for FIFO topics"))
    if (deduplicationId === undefined && !contentBased)
      return reject(
        invalidParameter(
          "The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly",
        ),
      )
  } else if (deduplicationId !== undefined) {
    return reject(
      invalidParameter(
        "MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type",
      ),
    )
  }
  return { attributes, bytes }
}

interface Answer {
  messageId: string
  sequenceNumber?: string
}

export const snsHandler: ServiceHandler<"sns"> = {
  traits,
  prepare(request, limits) {
    const form = parseForm(request.body)
    if (form === undefined) return requestError(traits, "Could not parse the request body.")
    const action = form.get("Action")
    if (action !== "PublishBatch")
      return snsError(
        "InvalidAction",
        400,
        `Could not find operation ${action ?? "(none)"} for version ${form.get("Version") ?? "(none)"}`,
      )
    if (form.get("Version") !== "2010-03-31")
      return snsError("NoSuchVersion", 400, "The requested version is not valid.")
    const input = readInput(form)
    const violations = validator.validate("PublishBatchInput", input)
    if (violations.length > 0) return requestError(traits, describeViolations(violations))
    const topicArn = input.TopicArn as string
    const topicName = topicArnPattern.exec(topicArn)?.[1]
    if (topicName === undefined) return requestError(traits, "Invalid parameter: TopicArn")
    const entries = input.PublishBatchRequestEntries as Entry[]
    if (entries.length === 0)
      return snsError("EmptyBatchRequest", 400, "The batch request doesn't contain any entries.")
    if (entries.length > maxSnsBatchEntries)
      return snsError(
        "TooManyEntriesInBatchRequest",
        400,
        `The batch request contains more entries than permissible (${maxSnsBatchEntries}).`,
      )
    const ids = entries.map((e) => e.Id as string)
    if (duplicateIds(ids).length > 0)
      return snsError(
        "BatchEntryIdsNotDistinct",
        400,
        "Two or more batch entries in the request have the same Id.",
      )
    if (ids.some((id) => !batchEntryIdPattern.test(id)))
      return snsError(
        "InvalidBatchEntryId",
        400,
        "The Id of a batch entry in a batch request doesn't abide by the specification.",
      )
    const fifo = topicName.endsWith(".fifo")
    const contentBased = limits.contentBasedDeduplication.has(topicName)
    const checked = entries.map((entry) => checkEntry(entry, fifo, contentBased))
    const total = checked.reduce((sum, c) => sum + c.bytes, 0)
    if (total > maxSnsMessageBytes)
      return snsError(
        "BatchRequestTooLong",
        400,
        `The length of all the messages put together is more than the limit (${maxSnsMessageBytes} bytes).`,
      )
    const answers: Answer[] = []
    const items: BatchItem<SnsMessage>[] = entries.map((entry, i) => {
      const { rejection, attributes } = checked[i]!
      const answer: Answer = { messageId: randomUUID() }
      answers.push(answer)
      const message = entry.Message as string
      const optional = (member: string) => entry[member] as string | undefined
      const subject = optional("Subject")
      const structure = optional("MessageStructure")
      const groupId = optional("MessageGroupId")
      const deduplicationId = optional("MessageDeduplicationId")
      const accepted: SnsMessage = {
        target: topicArn,
        requestId: request.requestId,
        receivedAt: request.receivedAt,
        topicArn,
        id: ids[i]!,
        messageId: answer.messageId,
        message,
        messageAttributes: attributes,
        ...(subject === undefined ? {} : { subject }),
        ...(structure === undefined ? {} : { messageStructure: structure }),
        ...(groupId === undefined ? {} : { messageGroupId: groupId }),
        ...(deduplicationId === undefined ? {} : { messageDeduplicationId: deduplicationId }),
      }
      return {
        view: { service: "sns", target: topicArn, id: ids[i]!, fields: entry },
        accepted,
        ...(rejection === undefined ? {} : { rejection }),
        ...(fifo
          ? {
              accept: () => {
                const key = deduplicationId ?? createHash("sha256").update(message, "utf8").digest("hex")
                const now = request.receivedAt.getTime()
                const first = request.fifo.duplicateOf(topicArn, key, now)
                if (first !== undefined) {
                  Object.assign(answer, first)
                  return undefined
                }
                const recorded = request.fifo.record(topicArn, key, answer.messageId, now)
                answer.sequenceNumber = recorded.sequenceNumber
                return { ...accepted, sequenceNumber: recorded.sequenceNumber }
              },
            }
          : {}),
      }
    })
    return {
      ok: true,
      batch: {
        items,
        render(failures) {
          let successful = ""
          let failed = ""
          items.forEach((_, i) => {
            const failure = failures[i]
            if (failure !== undefined) {
              failed +=
                `<member>${xmlElement("Id", ids[i])}${xmlElement("Code", failure.code)}` +
                `${xmlElement("Message", failure.message)}` +
                `${xmlElement("SenderFault", failure.senderFault ?? failure.statusCode < 500)}</member>`
              return
            }
            const answer = answers[i]!
            successful +=
              `<member>${xmlElement("Id", ids[i])}${xmlElement("MessageId", answer.messageId)}` +
              `${xmlElement("SequenceNumber", answer.sequenceNumber)}</member>`
          })
          const body =
            `<?xml version="1.0"?><PublishBatchResponse xmlns="${snsXmlNamespace}"><PublishBatchResult>` +
            `<Successful>${successful}</Successful><Failed>${failed}</Failed></PublishBatchResult>` +
            `<ResponseMetadata>${xmlElement("RequestId", request.requestId)}</ResponseMetadata></PublishBatchResponse>`
          return { status: 200, body }
        },
      },
    }
  },
}
