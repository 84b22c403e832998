/**
 * Options of the SNS adapter. Destination specifics are options, never event fields: a constant, or
 * a function of the event (core `PerEvent`).
 */
import type { SNSClient, SNSClientConfig } from "@aws-sdk/client-sns"
import type { MessageAttributes, MessageText, OptionNames, PerEvent } from "@eventport/core"
import { documentedMaxMessageBytes } from "./limits.ts"

/**
 * What the message carries: the event in the CloudEvents JSON format (`"cloudEvent"`), the event's
 * data as JSON text (`"data"`; binary data is refused, as a message is text), or what a function
 * makes of the event.
 */
export type SnsMessageBody = MessageText

export interface SnsOptions {
  /**
   * The topic ARN, e.g. `arn:aws:sns:us-east-1:123456789012:orders`. Per request: events for
   * different topics never share one. A name ending in `.fifo` makes it a FIFO topic.
   */
  readonly topicArn: PerEvent<string>
  /**
   * A preconfigured client, used as given (its retry settings included) and never destroyed by the
   * adapter. Give either `client` or `clientConfig`.
   */
  readonly client?: SNSClient
  /**
   * Configuration for a client the adapter makes and destroys on close. `maxAttempts` is forced to 1:
   * the publisher retries only the failed entries, so SDK retries would multiply requests.
   */
  readonly clientConfig?: SNSClientConfig
  /** The `Message`. Default {@link defaultMessage}: the CloudEvents JSON of the event. */
  readonly message?: SnsMessageBody
  /** `Subject` of each message (used by email subscriptions): printable ASCII, under 100 characters. */
  readonly subject?: PerEvent<string | undefined>
  /**
   * `MessageStructure`: `"json"` to send a different message per protocol; the message must then be
   * a JSON object with a string `default` (build it with a `message` function). Default: none.
   */
  readonly messageStructure?: PerEvent<"json" | undefined>
  /** `MessageAttributes` of each message. Default: none. */
  readonly messageAttributes?: PerEvent<MessageAttributes | undefined>
  /**
   * Also send the event's CloudEvents context attributes as String message attributes (`ce_id`,
   * `ce_source`, …), as the SQS adapter does. `messageAttributes` of the same name win. Default
   * {@link defaultCloudEventAttributes}.
   */
  readonly cloudEventAttributes?: boolean
  /** FIFO topics: `MessageGroupId` of each message (required there). */
  readonly messageGroupId?: PerEvent<string | undefined>
  /**
   * FIFO topics: `MessageDeduplicationId`. Default: the event id (or an id derived from it when it
   * does not fit). Return `undefined` to rely on the topic's content-based de-duplication.
   */
  readonly deduplicationId?: PerEvent<string | undefined>
  /** Most bytes per request by SNS's size rule (each message plus its attributes). Default 256 KiB. */
  readonly maxRequestBytes?: number
  /** Most bytes per message by the same rule. Default 256 KiB. */
  readonly maxEntryBytes?: number
}

/** Every option's name, held to {@link SnsOptions} by the compiler: `sns` refuses any other. */
export const snsOptionNames = {
  topicArn: true,
  client: true,
  clientConfig: true,
  message: true,
  subject: true,
  messageStructure: true,
  messageAttributes: true,
  cloudEventAttributes: true,
  messageGroupId: true,
  deduplicationId: true,
  maxRequestBytes: true,
  maxEntryBytes: true,
} as const satisfies OptionNames<SnsOptions>

/** Default of {@link SnsOptions.message}. */
export const defaultMessage: SnsMessageBody = "cloudEvent"

/** Default of {@link SnsOptions.cloudEventAttributes}. */
export const defaultCloudEventAttributes = false

/** Default of {@link SnsOptions.maxRequestBytes}: 256 KiB (262,144 bytes), as documented. */
export const defaultMaxRequestBytes: number = documentedMaxMessageBytes

/** Default of {@link SnsOptions.maxEntryBytes}: 256 KiB, the same documented figure. */
export const defaultMaxEntryBytes: number = documentedMaxMessageBytes
