/**
 * Options of the SQS adapter. Destination specifics are options, never event fields: a constant, or
 * a function of the event (core `PerEvent`).
 */
import type { SQSClient, SQSClientConfig } from "@aws-sdk/client-sqs"
import type { MessageAttributes, MessageText, OptionNames, PerEvent } from "@eventport/core"
import { documentedMaxMessageBytes } from "./limits.ts"

/**
 * What the message body carries: the event in the CloudEvents JSON format (`"cloudEvent"`), the
 * event's data as JSON text (`"data"`; binary data is refused, as a body is text), or what a
 * function makes of the event.
 */
export type SqsBody = MessageText

export interface SqsOptions {
  /**
   * The queue URL, e.g. `https://sqs.us-east-1.amazonaws.com/123456789012/orders`. Per request: events
   * for different queues never share one. A name ending in `.fifo` makes it a FIFO queue.
   */
  readonly queueUrl: PerEvent<string>
  /**
   * A preconfigured client, used as given (its retry settings included) and never destroyed by the
   * adapter. Give either `client` or `clientConfig`.
   */
  readonly client?: SQSClient
  /**
   * Configuration for a client the adapter makes and destroys on close. `maxAttempts` is forced to 1:
   * the publisher retries only the failed entries, so SDK retries would multiply requests.
   */
  readonly clientConfig?: SQSClientConfig
  /** The message body. Default {@link defaultBody}: the CloudEvents JSON of the event. */
  readonly body?: SqsBody
  /** `MessageAttributes` of each message. Default: none. */
  readonly messageAttributes?: PerEvent<MessageAttributes | undefined>
  /**
   * Also send the event's CloudEvents context attributes as String message attributes, `ce_`
   * followed by the attribute name (`ce_specversion`, `ce_id`, `ce_source`, `ce_type`, `ce_time`,
   * and `ce_subject`, `ce_datacontenttype` when set), so consumers can route without reading the
   * body; pair it with `body: "data"` for a binary-mode message. `messageAttributes` of the same
   * name win. Default {@link defaultCloudEventAttributes}.
   */
  readonly cloudEventAttributes?: boolean
  /** `DelaySeconds` of each message: 0–900. Standard queues only. Default: the queue's delay. */
  readonly delaySeconds?: PerEvent<number | undefined>
  /** FIFO queues: `MessageGroupId` of each message (required there). Order is kept within a group. */
  readonly messageGroupId?: PerEvent<string | undefined>
  /**
   * FIFO queues: `MessageDeduplicationId` of each message. Default: the event id (or an id derived
   * from it when it does not fit the rule), so a retried event is not delivered twice within
   * SQS's five-minute window. Return `undefined` to rely on the queue's content-based de-duplication.
   */
  readonly deduplicationId?: PerEvent<string | undefined>
  /**
   * Most bytes per request, by SQS's size rule (each body plus every attribute's name, data type and
   * value). Default {@link defaultMaxRequestBytes} (1 MiB).
   */
  readonly maxRequestBytes?: number
  /**
   * Most bytes per message, by the same rule. Default {@link defaultMaxEntryBytes} (1 MiB). Lower it
   * for a queue whose `MaximumMessageSize` is smaller, e.g. 262,144 for one still at the pre-2025 limit.
   */
  readonly maxEntryBytes?: number
}

/** Every option's name, held to {@link SqsOptions} by the compiler: `sqs` refuses any other. */
export const sqsOptionNames = {
  queueUrl: true,
  client: true,
  clientConfig: true,
  body: true,
  messageAttributes: true,
  cloudEventAttributes: true,
  delaySeconds: true,
  messageGroupId: true,
  deduplicationId: true,
  maxRequestBytes: true,
  maxEntryBytes: true,
} as const satisfies OptionNames<SqsOptions>

/** Default of {@link SqsOptions.body}. */
export const defaultBody: SqsBody = "cloudEvent"

/** Default of {@link SqsOptions.cloudEventAttributes}. */
export const defaultCloudEventAttributes = false

/** Default of {@link SqsOptions.maxRequestBytes}: 1 MiB (1,048,576 bytes), as documented since August 2025. */
export const defaultMaxRequestBytes: number = documentedMaxMessageBytes

/** Default of {@link SqsOptions.maxEntryBytes}: 1 MiB, the same documented figure. */
export const defaultMaxEntryBytes: number = documentedMaxMessageBytes
