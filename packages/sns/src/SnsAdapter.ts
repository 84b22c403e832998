/**
 * `sns(options)`: an adapter that publishes events to an SNS topic with PublishBatch.
 * Id ← id (or a stable id derived from it), Message ← the CloudEvents JSON of the event (by
 * default); the topic, subject, structure, attributes and FIFO ids come from options.
 */
import { PublishBatchCommand, type PublishBatchRequestEntry, SNSClient } from "@aws-sdk/client-sns"
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
  encode,
  fifoIdViolation,
  isFifoTopicArn,
  messageAttributesViolations,
  messageStructureViolation,
  subjectViolation,
  topicArnViolation,
} from "./encode.ts"
import { readPublishBatchResults } from "./internal/PublishBatchResults.ts"
import { maxEntriesPerRequest } from "./limits.ts"
import { classifyRequestError } from "./SnsError.ts"
import { defaultMaxMessageBytes, type SnsOptions } from "./SnsOptions.ts"

const factory = "sns"

/** Bad constant options are the caller's bug: reported once, at construction. */
const checkConstantOptions = (options: SnsOptions): void => {
  checkPositiveOption(factory, "maxMessageBytes", options.maxMessageBytes)
  const constant = (bad: Violation | undefined) => {
    if (bad !== undefined) throw invalidOption(factory, bad)
  }
  if (typeof options.topicArn !== "function") constant(topicArnViolation(options.topicArn))
  const message = options.message
  if (
    message !== undefined &&
    message !== "cloudEvent" &&
    message !== "data" &&
    typeof message !== "function"
  )
    throw new TypeError(`${factory}: option message must be "cloudEvent", "data" or a function`)
  if (typeof options.subject === "string") constant(subjectViolation(options.subject))
  if (options.messageStructure !== undefined && typeof options.messageStructure !== "function")
    constant(messageStructureViolation(options.messageStructure))
  if (typeof options.messageGroupId === "string")
    constant(fifoIdViolation("messageGroupId", options.messageGroupId))
  if (typeof options.deduplicationId === "string")
    constant(fifoIdViolation("deduplicationId", options.deduplicationId))
  if (options.messageAttributes !== undefined && typeof options.messageAttributes !== "function")
    constant(messageAttributesViolations(options.messageAttributes)[0])
  if (typeof options.topicArn === "string") {
    const fifo = isFifoTopicArn(options.topicArn)
    if (fifo && options.messageGroupId === undefined)
      throw new TypeError(`${factory}: option messageGroupId is required for a FIFO topic (.fifo)`)
    if (!fifo && typeof options.deduplicationId === "string")
      throw new TypeError(`${factory}: option deduplicationId is for FIFO topics only (.fifo)`)
  }
}

/**
 * A batch entry `Id` must be unique within a request, or SNS refuses the whole request. Two events
 * with the same id in one batch: the first is sent, the others fail retryably and go in a later one.
 */
const duplicateEntry = (id: string): EntryResult =>
  entryFailed(
    deliveryError("InvalidRequest", {
      retryable: true,
      rawCode: "DuplicateBatchEntryId",
      rawMessage: `batch entry Id ${id} is already in this request; resend it in another one`,
    }),
  )

/** Makes an SNS adapter. Throws for invalid constant options. */
export const sns = (options: SnsOptions): Adapter<PublishBatchRequestEntry> => {
  checkConstantOptions(options)
  const { client, close } = adapterClient(factory, options, (config) => new SNSClient(config))
  const maxMessageBytes = options.maxMessageBytes ?? defaultMaxMessageBytes

  return defineAdapter<PublishBatchRequestEntry>({
    kind: "sns",
    limits: {
      maxEntries: maxEntriesPerRequest,
      maxRequestBytes: maxMessageBytes,
      maxEntryBytes: maxMessageBytes,
    },
    encode: (event) => encode(event, options),
    send: async (batch, { signal }) => {
      const results: Array<EntryResult | undefined> = []
      const sent: Array<PublishBatchRequestEntry> = []
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
      // The batch key is the topic ARN: the engine never mixes topics in one request.
      const response = await client.send(
        new PublishBatchCommand({ TopicArn: batch.batchKey, PublishBatchRequestEntries: sent }),
        { abortSignal: signal },
      )
      const sentResults = readPublishBatchResults(
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
