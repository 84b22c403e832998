/**
 * Options of the Kinesis Data Streams adapter. Destination specifics are options, never event
 * fields: the stream is a constant (one per request), the partition and hash keys are per event.
 */
import type { KinesisClient, KinesisClientConfig } from "@aws-sdk/client-kinesis"
import type { OptionNames, PerEvent, RecordContent } from "@eventport/core"
import { maxEntryBytes, maxRequestBytes } from "./limits.ts"

/**
 * What a record's `Data` carries: the whole event in the CloudEvents JSON format (`"cloudEvent"`),
 * or the event's data alone (its JSON text, or its bytes when it is binary). Core's `RecordContent`.
 */
export type RecordData = RecordContent

export interface KinesisOptions {
  /**
   * A preconfigured client, used as given (its retry settings included) and never destroyed by the
   * adapter. Give either `client` or `clientConfig`.
   */
  readonly client?: KinesisClient
  /**
   * Configuration for a client the adapter makes and destroys on close. `maxAttempts` is forced to 1:
   * the publisher retries only the failed records, so SDK retries would multiply requests.
   */
  readonly clientConfig?: KinesisClientConfig
  /** The stream's name. Give exactly one of `streamName` and `streamArn`. */
  readonly streamName?: string
  /** The stream's ARN (AWS recommends it over the name). Give exactly one of `streamName` and `streamArn`. */
  readonly streamArn?: string
  /**
   * Each record's `PartitionKey` (1–256 Unicode characters): it picks the shard, and records of one
   * key keep their order within it. Default: the event's `subject`, else its `id`.
   */
  readonly partitionKey?: PerEvent<string>
  /** Each record's `ExplicitHashKey` (a decimal 0 … 2^128 - 1), overriding the partition key's hash. Default: none. */
  readonly explicitHashKey?: PerEvent<string | undefined>
  /** What `Data` carries. Default {@link defaultRecordData}. */
  readonly data?: RecordData
  /**
   * Most bytes per record, data plus partition key (the service's size rule). Default
   * {@link defaultMaxEntryBytes} (1 MiB); up to 10 MiB for streams whose `MaxRecordSizeInKiB` allows it.
   */
  readonly maxEntryBytes?: number
  /**
   * Most bytes per request, data plus partition keys. Default {@link defaultMaxRequestBytes} (5 MiB,
   * the safe reading); up to 10 MiB, which the current API reference states.
   */
  readonly maxRequestBytes?: number
}

/** Every option's name, held to {@link KinesisOptions} by the compiler: `kinesis` refuses any other. */
export const kinesisOptionNames = {
  client: true,
  clientConfig: true,
  streamName: true,
  streamArn: true,
  partitionKey: true,
  explicitHashKey: true,
  data: true,
  maxEntryBytes: true,
  maxRequestBytes: true,
} as const satisfies OptionNames<KinesisOptions>

/** Default of {@link KinesisOptions.data}: the CloudEvents JSON of the event. */
export const defaultRecordData: RecordData = "cloudEvent"

/** Default of {@link KinesisOptions.maxEntryBytes}: 1 MiB. */
export const defaultMaxEntryBytes: number = maxEntryBytes

/** Default of {@link KinesisOptions.maxRequestBytes}: 5 MiB. */
export const defaultMaxRequestBytes: number = maxRequestBytes
