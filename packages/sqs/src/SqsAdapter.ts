/**
 * `sqs(options)`: an adapter that sends events to an SQS queue with SendMessageBatch.
 * Id ← id (or a stable id derived from it), MessageBody ← the CloudEvents JSON of the event (by
 * default); the queue, attributes, delay and FIFO ids come from options.
 */
import { SendMessageBatchCommand, type SendMessageBatchRequestEntry, SQSClient } from "@aws-sdk/client-sqs"
import {
  type Adapter,
  adapterClient,
  checkPositiveOption,
  defineAdapter,
  deliveryError,
  type EntryResult,
  entryFailed,
  invalidOption,
  type Violation,
} from "@eventport/core"
import {
  delaySecondsViolation,
  encode,
  fifoIdViolation,
  isFifoQueueUrl,
  messageAttributesViolations,
  queueUrlViolation,
} from "./encode.ts"
import { readSendMessageBatchResults } from "./internal/SendMessageBatchResults.ts"
import { maxEntriesPerRequest } from "./limits.ts"
import { classifyRequestError } from "./SqsError.ts"
import { defaultMaxMessageBytes, type SqsOptions } from "./SqsOptions.ts"

const factory = "sqs"

/** Bad constant options are the caller's bug: reported once, at construction. */
const checkConstantOptions = (options: SqsOptions): void => {
  checkPositiveOption(factory, "maxMessageBytes", options.maxMessageBytes)
  const constant = (bad: Violation | undefined) => {
    if (bad !== undefined) throw invalidOption(factory, bad)
  }
  if (typeof options.queueUrl !== "function") constant(queueUrlViolation(options.queueUrl))
  const body = options.body
  if (body !== undefined && body !== "cloudEvent" && body !== "data" && typeof body !== "function")
    throw new TypeError(`${factory}: option body must be "cloudEvent", "data" or a function`)
  if (options.delaySeconds !== undefined && typeof options.delaySeconds !== "function")
    constant(delaySecondsViolation(options.delaySeconds))
  if (typeof options.messageGroupId === "string")
    constant(fifoIdViolation("messageGroupId", options.messageGroupId))
  if (typeof options.deduplicationId === "string")
    constant(fifoIdViolation("deduplicationId", options.deduplicationId))
  if (options.messageAttributes !== undefined && typeof options.messageAttributes !== "function")
    constant(messageAttributesViolations(options.messageAttributes)[0])
  if (typeof options.queueUrl === "string") {
    const fifo = isFifoQueueUrl(options.queueUrl)
    if (fifo && options.messageGroupId === undefined)
      throw new TypeError(`${factory}: option messageGroupId is required for a FIFO queue (.fifo)`)
    if (fifo && typeof options.delaySeconds === "number" && options.delaySeconds !== 0)
      throw new TypeError(
        `${factory}: option delaySeconds is not allowed for a FIFO queue (set the queue's delay)`,
      )
    if (!fifo && typeof options.deduplicationId === "string")
      throw new TypeError(`${factory}: option deduplicationId is for FIFO queues only (.fifo)`)
  }
}

/**
 * A batch entry `Id` must be unique within a request, or the service refuses the whole request. Two
 * events with the same id in one batch: the first is sent, the others fail retryably and go in a
 * later request.
 */
const duplicateEntry = (id: string): EntryResult =>
  entryFailed(
    deliveryError("InvalidRequest", {
      retryable: true,
      rawCode: "DuplicateBatchEntryId",
      rawMessage: `batch entry Id ${id} is already in this request; resend it in another one`,
    }),
  )

/** Makes an SQS adapter. Throws for invalid constant options. */
export const sqs = (options: SqsOptions): Adapter<SendMessageBatchRequestEntry> => {
  checkConstantOptions(options)
  const { client, close } = adapterClient(factory, options, (config) => new SQSClient(config))
  const maxMessageBytes = options.maxMessageBytes ?? defaultMaxMessageBytes

  return defineAdapter<SendMessageBatchRequestEntry>({
    kind: "sqs",
    limits: {
      maxEntries: maxEntriesPerRequest,
      maxRequestBytes: maxMessageBytes,
      maxEntryBytes: maxMessageBytes,
    },
    encode: (event) => encode(event, options),
    send: async (batch, { signal }) => {
      const results: Array<EntryResult | undefined> = []
      const sent: Array<SendMessageBatchRequestEntry> = []
      const seen = new Set<string>()
      for (const entry of batch.entries) {
        const id = entry.Id!
        if (seen.has(id)) results.push(duplicateEntry(id))
        else {
          seen.add(id)
          sent.push(entry)
          results.push(undefined)
        }
      }
      // The batch key is the queue URL: the engine never mixes queues in one request.
      const response = await client.send(
        new SendMessageBatchCommand({ QueueUrl: batch.batchKey, Entries: sent }),
        {
          abortSignal: signal,
        },
      )
      const sentResults = readSendMessageBatchResults(
        sent.map((entry) => entry.Id!),
        response,
      )
      let next = 0
      return results.map((result) => result ?? sentResults[next++]!)
    },
    classifyError: classifyRequestError,
    close,
  })
}
