/**
 * SQS SendMessageBatch (awsJson1_0, `AmazonSQS.SendMessageBatch`). Model subset: botocore
 * `botocore/data/sqs/2012-11-05/service-2.json` at 0e6e2404b85dc336dd2889814e089bde7d1a4c55; the
 * documented rules the model lacks (entry count, ids, sizes, characters, FIFO) from the
 * SendMessageBatch API reference,
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html .
 */
import { createHash, randomUUID } from "node:crypto"
import {
  allowedMessageCharacters,
  batchEntryIdPattern,
  checkMessageAttributes,
  fifoIdPattern,
  md5Hex,
  md5OfMessageAttributes,
} from "../internal/messageAttributes.ts"
import { describeViolations } from "../internal/modelValidation.ts"
import {
  type BatchItem,
  duplicateIds,
  type EntryFailure,
  isRecord,
  parseJsonBody,
  type Refused,
  requestError,
  type ServiceHandler,
  serviceModel,
} from "../internal/ServiceHandler.ts"
import { sqsErrorStatus } from "../internal/sqsErrors.ts"
import model from "../models/sqs-2012-11-05.SendMessageBatch.json" with { type: "json" }
import type { ServiceError } from "../Service.ts"
import type { SqsMessage, StoredMessageAttribute } from "../Store.ts"

const { traits, validator } = serviceModel("sqs", model)

/** "The maximum allowed individual message size and the maximum total payload size (the sum of the individual lengths of all of the batched messages) are both 1 MiB (1,048,576 bytes)" (raised from 256 KiB in 2025-08). */
export const maxSqsMessageBytes = 1024 * 1024
export const maxSqsBatchEntries = 10
/** `DelaySeconds`: 0 to 900 (15 minutes). */
export const maxSqsDelaySeconds = 900

const queueNamePattern = /^(?:[A-Za-z0-9_-]{1,75}\.fifo|[A-Za-z0-9_-]{1,80})$/

const sqsError = (code: string, message: string): Refused => ({
  ok: false,
  error: { code, status: sqsErrorStatus[code] ?? 400, message },
})

/** The queue a URL names: `<scheme>://<host>/<12-digit account>/<queue name>`. */
export const parseQueueUrl = (
  queueUrl: string,
): { readonly account: string; readonly name: string } | ServiceError => {
  let url: URL
  try {
    url = new URL(queueUrl)
  } catch {
    return { code: "InvalidAddress", status: 404, message: "The address is not valid for this endpoint." }
  }
  const match = /^\/(\d{12})\/([^/]+)\/?$/.exec(url.pathname)
  if (match === null || !queueNamePattern.test(match[2]!))
    return { code: "QueueDoesNotExist", status: 400, message: "The specified queue does not exist." }
  return { account: match[1]!, name: match[2]! }
}

const entryFailure = (code: string, message: string): EntryFailure => ({
  code,
  message,
  statusCode: 400,
  senderFault: true,
})

type Entry = Readonly<Record<string, unknown>>

interface CheckedEntry {
  readonly rejection?: EntryFailure
  readonly attributes: Readonly<Record<string, StoredMessageAttribute>>
  readonly systemAttributes: Readonly<Record<string, StoredMessageAttribute>>
  /** Body and attribute bytes: the message size SQS counts. */
  readonly bytes: number
}

const checkEntry = (entry: Entry, fifo: boolean, contentBased: boolean): CheckedEntry => {
  const body = entry.MessageBody as string
  let bytes = Buffer.byteLength(body, "utf8")
  const checkedAttributes = checkMessageAttributes(entry.MessageAttributes, "sqs")
  const attributes = "violation" in checkedAttributes ? {} : checkedAttributes.attributes
  if (!("violation" in checkedAttributes)) bytes += checkedAttributes.bytes
  const systemAttributes = checkMessageAttributes(entry.MessageSystemAttributes, "sqs")
  const reject = (rejection: EntryFailure): CheckedEntry => ({
    rejection,
    attributes,
    systemAttributes: "violation" in systemAttributes ? {} : systemAttributes.attributes,
    bytes,
  })
  if (body.length === 0)
    return reject(entryFailure("InvalidParameterValue", "The message body must be at least one character."))
  if (!allowedMessageCharacters.test(body))
    return reject(
      entryFailure(
        "InvalidMessageContents",
        "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF",
      ),
    )
  if ("violation" in checkedAttributes)
    return reject(entryFailure("InvalidParameterValue", checkedAttributes.violation))
  if ("violation" in systemAttributes)
    return reject(entryFailure("InvalidParameterValue", systemAttributes.violation))
  const trace = systemAttributes.attributes.AWSTraceHeader
  if (trace !== undefined && trace.dataType !== "String")
    return reject(entryFailure("InvalidParameterValue", "AWSTraceHeader must have the data type String."))
  const delay = entry.DelaySeconds as number | undefined
  if (delay !== undefined && (delay < 0 || delay > maxSqsDelaySeconds))
    return reject(
      entryFailure("InvalidParameterValue", `DelaySeconds must be between 0 and ${maxSqsDelaySeconds}.`),
    )
  const groupId = entry.MessageGroupId as string | undefined
  const deduplicationId = entry.MessageDeduplicationId as string | undefined
  if (groupId !== undefined && !fifoIdPattern.test(groupId))
    return reject(
      entryFailure(
        "InvalidParameterValue",
        "MessageGroupId can contain up to 128 alphanumeric and punctuation characters.",
      ),
    )
  if (deduplicationId !== undefined && !fifoIdPattern.test(deduplicationId))
    return reject(
      entryFailure(
        "InvalidParameterValue",
        "MessageDeduplicationId can contain up to 128 alphanumeric and punctuation characters.",
      ),
    )
  if (fifo) {
    if (groupId === undefined)
      return reject(
        entryFailure("MissingParameter", "The request must contain the parameter MessageGroupId."),
      )
    if (delay !== undefined && delay !== 0)
      return reject(
        entryFailure(
          "InvalidParameterValue",
          "Value for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.",
        ),
      )
    if (deduplicationId === undefined && !contentBased)
      return reject(
        entryFailure(
          "InvalidParameterValue",
          "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly",
        ),
      )
  } else if (deduplicationId !== undefined) {
    return reject(
      entryFailure(
        "InvalidParameterValue",
        "Value for parameter MessageDeduplicationId is invalid. Reason: The request include parameter that is not valid for this queue type.",
      ),
    )
  }
  return { attributes, systemAttributes: systemAttributes.attributes, bytes }
}

interface Answer {
  messageId: string
  sequenceNumber?: string
}

export const sqsHandler: ServiceHandler<"sqs"> = {
  traits,
  prepare(request, limits) {
    const input = parseJsonBody(request.body)
    if (!isRecord(input))
      return {
        ok: false,
        error: { code: "SerializationException", status: 400, message: "Could not parse the request body." },
      }
    const violations = validator.validate("SendMessageBatchRequest", input)
    if (violations.length > 0) return requestError(traits, describeViolations(violations))
    const queueUrl = input.QueueUrl as string
    const queue = parseQueueUrl(queueUrl)
    if ("code" in queue) return { ok: false, error: queue }
    const entries = input.Entries as Entry[]
    if (entries.length === 0)
      return sqsError(
        "EmptyBatchRequest",
        "There should be at least one SendMessageBatchRequestEntry in the request.",
      )
    if (entries.length > maxSqsBatchEntries)
      return sqsError(
        "TooManyEntriesInBatchRequest",
        `Maximum number of entries per request are ${maxSqsBatchEntries}. You have sent ${entries.length}.`,
      )
    const ids = entries.map((e) => e.Id as string)
    const repeated = duplicateIds(ids)
    if (repeated.length > 0) return sqsError("BatchEntryIdsNotDistinct", `Id ${repeated[0]} repeated.`)
    const badId = ids.find((id) => !batchEntryIdPattern.test(id))
    if (badId !== undefined)
      return sqsError(
        "InvalidBatchEntryId",
        "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.",
      )
    const fifo = queue.name.endsWith(".fifo")
    const contentBased = limits.contentBasedDeduplication.has(queue.name)
    const checked = entries.map((entry) => checkEntry(entry, fifo, contentBased))
    let total = 0
    for (const c of checked) total += c.bytes
    if (total > maxSqsMessageBytes)
      return sqsError(
        "BatchRequestTooLong",
        `Batch requests cannot be longer than ${maxSqsMessageBytes} bytes. You have sent ${total} bytes.`,
      )
    const ledgerKey = `${queue.account}/${queue.name}`
    const answers: Answer[] = []
    const items: BatchItem<SqsMessage>[] = entries.map((entry, i) => {
      const { rejection, attributes, systemAttributes } = checked[i]!
      const body = entry.MessageBody as string
      const answer: Answer = { messageId: randomUUID() }
      answers.push(answer)
      const groupId = entry.MessageGroupId as string | undefined
      const deduplicationId = entry.MessageDeduplicationId as string | undefined
      const accepted: SqsMessage = {
        target: queue.name,
        requestId: request.requestId,
        receivedAt: request.receivedAt,
        queueName: queue.name,
        queueUrl,
        id: ids[i]!,
        messageId: answer.messageId,
        body,
        messageAttributes: attributes,
        ...(entry.DelaySeconds === undefined ? {} : { delaySeconds: entry.DelaySeconds as number }),
        ...(groupId === undefined ? {} : { messageGroupId: groupId }),
        ...(deduplicationId === undefined ? {} : { messageDeduplicationId: deduplicationId }),
        ...(systemAttributes.AWSTraceHeader?.stringValue === undefined
          ? {}
          : { traceHeader: systemAttributes.AWSTraceHeader.stringValue }),
      }
      return {
        view: { service: "sqs", target: queue.name, id: ids[i]!, fields: entry },
        accepted,
        ...(rejection === undefined ? {} : { rejection }),
        ...(fifo
          ? {
              accept: () => {
                const key = deduplicationId ?? createHash("sha256").update(body, "utf8").digest("hex")
                const now = request.receivedAt.getTime()
                const first = request.fifo.duplicateOf(ledgerKey, key, now)
                if (first !== undefined) {
                  // Accepted again but not delivered twice: the first delivery's answer.
                  Object.assign(answer, first)
                  return undefined
                }
                const recorded = request.fifo.record(ledgerKey, key, answer.messageId, now)
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
          const successful: Record<string, unknown>[] = []
          const failed: Record<string, unknown>[] = []
          items.forEach((item, i) => {
            const failure = failures[i]
            const id = ids[i]!
            if (failure !== undefined) {
              failed.push({
                Id: id,
                SenderFault: failure.senderFault ?? failure.statusCode < 500,
                Code: failure.code,
                Message: failure.message,
              })
              return
            }
            const answer = answers[i]!
            const { attributes, systemAttributes } = checked[i]!
            successful.push({
              Id: id,
              MessageId: answer.messageId,
              MD5OfMessageBody: md5Hex(item.accepted.body),
              ...(Object.keys(attributes).length === 0
                ? {}
                : { MD5OfMessageAttributes: md5OfMessageAttributes(attributes) }),
              ...(Object.keys(systemAttributes).length === 0
                ? {}
                : { MD5OfMessageSystemAttributes: md5OfMessageAttributes(systemAttributes) }),
              ...(answer.sequenceNumber === undefined ? {} : { SequenceNumber: answer.sequenceNumber }),
            })
          })
          return { status: 200, body: { Successful: successful, Failed: failed } }
        },
      },
    }
  },
}
