/**
 * `sqs(options)`: an adapter that sends events to an SQS queue with SendMessageBatch.
 * Id ← id (or a stable id derived from it), MessageBody ← the CloudEvents JSON of the event (by
 * default); the queue, attributes, delay and FIFO ids come from options.
 */
import { SendMessageBatchCommand, type SendMessageBatchRequestEntry, SQSClient } from "@aws-sdk/client-sqs"
import {
  type Adapter,
  adapterClient,
  checkConstantOption,
  checkConstantOptions,
  checkFifoOptions,
  checkOneOf,
  checkOptionNames,
  checkPositiveOption,
  defineAdapter,
  sendWithDistinctEntryIds,
  type Violation,
  violation,
} from "@eventport/core"
import {
  checkDeduplicationId,
  checkDelaySeconds,
  checkMessageAttributes,
  checkMessageGroupId,
  checkQueueUrl,
  type EncodeOptions,
  encode,
  isFifoQueueUrl,
} from "./encode.ts"
import { readSendMessageBatchResults } from "./internal/SendMessageBatchResults.ts"
import { maxEntriesPerRequest } from "./limits.ts"
import { classifyRequestError } from "./SqsError.ts"
import {
  defaultBody,
  defaultCloudEventAttributes,
  defaultMaxEntryBytes,
  defaultMaxRequestBytes,
  type SqsOptions,
  sqsOptionNames,
} from "./SqsOptions.ts"

const factory = "sqs"

/** FIFO rules a constant queue URL decides once: core's (group required, de-duplication only there), and no delay. */
const checkQueueKind = (options: SqsOptions): Violation | undefined => {
  if (typeof options.queueUrl !== "string") return undefined
  const fifo = isFifoQueueUrl(options.queueUrl)
  if (fifo && typeof options.delaySeconds === "number" && options.delaySeconds !== 0)
    return violation("delaySeconds", "fifoDelay", "is not allowed for a FIFO queue (set the queue's delay)")
  return checkFifoOptions({ kind: "queue", fifo }, options)
}

/** Makes an SQS adapter. Throws for invalid constant options. */
export const sqs = (options: SqsOptions): Adapter<SendMessageBatchRequestEntry> => {
  checkOptionNames(factory, options, sqsOptionNames)
  checkPositiveOption(factory, "maxRequestBytes", options.maxRequestBytes)
  checkPositiveOption(factory, "maxEntryBytes", options.maxEntryBytes)
  checkConstantOptions(factory, [
    checkConstantOption(options.queueUrl, checkQueueUrl),
    typeof options.body === "function" ? undefined : checkOneOf("body", options.body, ["cloudEvent", "data"]),
    checkConstantOption(options.delaySeconds, checkDelaySeconds),
    checkConstantOption(options.messageGroupId, checkMessageGroupId),
    checkConstantOption(options.deduplicationId, checkDeduplicationId),
    checkConstantOption(options.messageAttributes, (attributes) => checkMessageAttributes(attributes)[0]),
    checkQueueKind(options),
  ])
  const { client, close, sendOptions } = adapterClient(factory, options, (config) => new SQSClient(config))
  const maxRequestBytes = options.maxRequestBytes ?? defaultMaxRequestBytes
  const maxEntryBytes = options.maxEntryBytes ?? defaultMaxEntryBytes
  const encodeOptions: EncodeOptions = {
    ...options,
    body: options.body ?? defaultBody,
    cloudEventAttributes: options.cloudEventAttributes ?? defaultCloudEventAttributes,
  }

  return defineAdapter<SendMessageBatchRequestEntry>({
    kind: "sqs",
    limits: { maxEntries: maxEntriesPerRequest, maxRequestBytes, maxEntryBytes },
    encode: (event) => encode(event, encodeOptions),
    // Ids must be distinct in a request; the batch key is the queue URL (queues never share a request).
    send: (batch, { signal }) =>
      sendWithDistinctEntryIds(batch.entries, async (distinct, ids) => {
        const command = new SendMessageBatchCommand({ QueueUrl: batch.batchKey, Entries: [...distinct] })
        return readSendMessageBatchResults(ids, await client.send(command, sendOptions(command, signal)))
      }),
    classifyError: classifyRequestError,
    close,
  })
}
