/**
 * `sns(options)`: an adapter that publishes events to an SNS topic with PublishBatch.
 * Id ← id (or a stable id derived from it), Message ← the CloudEvents JSON of the event (by
 * default); the topic, subject, structure, attributes and FIFO ids come from options.
 */
import { PublishBatchCommand, type PublishBatchRequestEntry, SNSClient } from "@aws-sdk/client-sns"
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
} from "@eventport/core"
import {
  checkDeduplicationId,
  checkMessageAttributes,
  checkMessageGroupId,
  checkMessageStructure,
  checkSubject,
  checkTopicArn,
  type EncodeOptions,
  encode,
  isFifoTopicArn,
} from "./encode.ts"
import { readPublishBatchResults } from "./internal/PublishBatchResults.ts"
import { maxEntriesPerRequest } from "./limits.ts"
import { classifyRequestError } from "./SnsError.ts"
import {
  defaultCloudEventAttributes,
  defaultMaxEntryBytes,
  defaultMaxRequestBytes,
  defaultMessage,
  type SnsOptions,
  snsOptionNames,
} from "./SnsOptions.ts"

const factory = "sns"

/** FIFO rules a constant topic ARN decides once (core's: group required, de-duplication only there). */
const checkTopicKind = (options: SnsOptions): Violation | undefined =>
  typeof options.topicArn === "string"
    ? checkFifoOptions({ kind: "topic", fifo: isFifoTopicArn(options.topicArn) }, options)
    : undefined

/** Makes an SNS adapter. Throws for invalid constant options. */
export const sns = (options: SnsOptions): Adapter<PublishBatchRequestEntry> => {
  checkOptionNames(factory, options, snsOptionNames)
  checkPositiveOption(factory, "maxRequestBytes", options.maxRequestBytes)
  checkPositiveOption(factory, "maxEntryBytes", options.maxEntryBytes)
  checkConstantOptions(factory, [
    checkConstantOption(options.topicArn, checkTopicArn),
    typeof options.message === "function"
      ? undefined
      : checkOneOf("message", options.message, ["cloudEvent", "data"]),
    checkConstantOption(options.subject, checkSubject),
    checkConstantOption(options.messageStructure, checkMessageStructure),
    checkConstantOption(options.messageGroupId, checkMessageGroupId),
    checkConstantOption(options.deduplicationId, checkDeduplicationId),
    checkConstantOption(options.messageAttributes, (attributes) => checkMessageAttributes(attributes)[0]),
    checkTopicKind(options),
  ])
  const { client, close, sendOptions } = adapterClient(factory, options, (config) => new SNSClient(config))
  const maxRequestBytes = options.maxRequestBytes ?? defaultMaxRequestBytes
  const maxEntryBytes = options.maxEntryBytes ?? defaultMaxEntryBytes
  const encodeOptions: EncodeOptions = {
    ...options,
    message: options.message ?? defaultMessage,
    cloudEventAttributes: options.cloudEventAttributes ?? defaultCloudEventAttributes,
  }

  return defineAdapter<PublishBatchRequestEntry>({
    kind: "sns",
    limits: { maxEntries: maxEntriesPerRequest, maxRequestBytes, maxEntryBytes },
    encode: (event) => encode(event, encodeOptions),
    // Ids must be distinct in a request; the batch key is the topic ARN (topics never share a request).
    send: (batch, { signal }) =>
      sendWithDistinctEntryIds(batch.entries, async (distinct, ids) => {
        const command = new PublishBatchCommand({
          TopicArn: batch.batchKey,
          PublishBatchRequestEntries: [...distinct],
        })
        return readPublishBatchResults(ids, await client.send(command, sendOptions(command, signal)))
      }),
    classifyError: classifyRequestError,
    close,
  })
}
