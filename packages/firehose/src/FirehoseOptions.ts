/**
 * Options of the Amazon Data Firehose adapter. The delivery stream is a constant (one per request);
 * what a record carries and how records are delimited are options.
 */
import type { FirehoseClient, FirehoseClientConfig } from "@aws-sdk/client-firehose"
import type { OptionNames, RecordContent } from "@eventport/core"
import { maxRequestBytes } from "./limits.ts"

/**
 * What a record's `Data` carries: the whole event in the CloudEvents JSON format (`"cloudEvent"`),
 * or the event's data alone (its JSON text, or its bytes when it is binary). Core's `RecordContent`.
 */
export type RecordData = RecordContent

/**
 * How a request's size is counted against `maxRequestBytes`: the `Data` blobs as the request carries
 * them, base64-encoded (`"base64"`, the safe reading), or their bytes before base64 (`"raw"`).
 */
export type RequestSizeRule = "base64" | "raw"

export interface FirehoseOptions {
  /**
   * A preconfigured client, used as given (its retry settings included) and never destroyed by the
   * adapter. Give either `client` or `clientConfig`.
   */
  readonly client?: FirehoseClient
  /**
   * Configuration for a client the adapter makes and destroys on close. `maxAttempts` is forced to 1:
   * the publisher retries only the failed records, so SDK retries would multiply requests.
   */
  readonly clientConfig?: FirehoseClientConfig
  /** The Firehose stream's name (`DeliveryStreamName`). */
  readonly deliveryStreamName: string
  /** What `Data` carries. Default {@link defaultRecordData}. */
  readonly data?: RecordData
  /**
   * Appended to every record's data (UTF-8): Firehose concatenates records at the destination, so
   * without one, consecutive JSON records run together. Default {@link defaultRecordDelimiter};
   * `""` for none (e.g. binary records with their own framing).
   */
  readonly recordDelimiter?: string
  /** Most bytes per request, counted by `requestSize`. Default {@link defaultMaxRequestBytes} (4 MiB). */
  readonly maxRequestBytes?: number
  /** How request bytes are counted. Default {@link defaultRequestSize}. */
  readonly requestSize?: RequestSizeRule
}

/** Every option's name, held to {@link FirehoseOptions} by the compiler: `firehose` refuses any other. */
export const firehoseOptionNames = {
  client: true,
  clientConfig: true,
  deliveryStreamName: true,
  data: true,
  recordDelimiter: true,
  maxRequestBytes: true,
  requestSize: true,
} as const satisfies OptionNames<FirehoseOptions>

/** Default of {@link FirehoseOptions.data}: the CloudEvents JSON of the event. */
export const defaultRecordData: RecordData = "cloudEvent"

/** Default of {@link FirehoseOptions.recordDelimiter}: a newline, so records land as NDJSON. */
export const defaultRecordDelimiter = "\n"

/** Default of {@link FirehoseOptions.maxRequestBytes}: 4 MiB, the documented limit. */
export const defaultMaxRequestBytes: number = maxRequestBytes

/** Default of {@link FirehoseOptions.requestSize}: base64, as the request carries the data. */
export const defaultRequestSize: RequestSizeRule = "base64"
