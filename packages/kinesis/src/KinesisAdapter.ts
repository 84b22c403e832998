/**
 * `kinesis(options)`: an adapter that publishes events with Kinesis Data Streams PutRecords.
 * Data ← the event as CloudEvents JSON (or its data alone), PartitionKey ← the partitionKey option
 * (default the subject, else the id), ExplicitHashKey ← option; the stream is one per adapter.
 */
import { KinesisClient, PutRecordsCommand } from "@aws-sdk/client-kinesis"
import {
  type Adapter,
  adapterClient,
  checkConstantOption,
  checkConstantOptions,
  checkOneOf,
  checkOptionNames,
  defineAdapter,
} from "@eventport/core"
import {
  checkExplicitHashKey,
  checkPartitionKey,
  checkStreamArn,
  checkStreamName,
  type EncodeOptions,
  encode,
  type KinesisRecordEntry,
} from "./encode.ts"
import { readPutRecordsResults } from "./internal/PutRecordsResults.ts"
import { classifyRequestError } from "./KinesisError.ts"
import {
  defaultMaxEntryBytes,
  defaultMaxRequestBytes,
  defaultRecordData,
  type KinesisOptions,
  kinesisOptionNames,
} from "./KinesisOptions.ts"
import { largestMaxEntryBytes, largestMaxRequestBytes, maxRecordsPerRequest } from "./limits.ts"

const factory = "kinesis"

/** A byte limit is an integer up to what the service can be configured for. */
const checkByteOption = (name: string, value: number | undefined, largest: number): void => {
  if (value === undefined) return
  if (!(Number.isInteger(value) && value > 0 && value <= largest))
    throw new RangeError(`${factory}: option ${name} must be an integer from 1 to ${largest}, got ${value}`)
}

/** Makes a Kinesis Data Streams adapter. Throws for invalid constant options, checked here once. */
export const kinesis = (options: KinesisOptions): Adapter<KinesisRecordEntry> => {
  checkOptionNames(factory, options, kinesisOptionNames)
  if ((options.streamName === undefined) === (options.streamArn === undefined))
    throw new TypeError(`${factory}: give exactly one of streamName and streamArn`)
  checkConstantOptions(factory, [
    checkConstantOption(options.streamName, checkStreamName),
    checkConstantOption(options.streamArn, checkStreamArn),
    checkConstantOption(options.partitionKey, (key) => checkPartitionKey(key)),
    checkConstantOption(options.explicitHashKey, (key) =>
      key === undefined ? undefined : checkExplicitHashKey(key),
    ),
    checkOneOf("data", options.data, ["cloudEvent", "data"]),
  ])
  checkByteOption("maxEntryBytes", options.maxEntryBytes, largestMaxEntryBytes)
  checkByteOption("maxRequestBytes", options.maxRequestBytes, largestMaxRequestBytes)
  const { client, close, sendOptions } = adapterClient(
    factory,
    options,
    (config) => new KinesisClient(config),
  )
  const maxRequestBytes = options.maxRequestBytes ?? defaultMaxRequestBytes
  // A record must also fit a request.
  const maxEntryBytes = Math.min(options.maxEntryBytes ?? defaultMaxEntryBytes, maxRequestBytes)
  const encodeOptions: EncodeOptions = {
    data: options.data ?? defaultRecordData,
    ...(options.partitionKey === undefined ? {} : { partitionKey: options.partitionKey }),
    ...(options.explicitHashKey === undefined ? {} : { explicitHashKey: options.explicitHashKey }),
  }
  const stream =
    options.streamArn === undefined ? { StreamName: options.streamName } : { StreamARN: options.streamArn }

  return defineAdapter<KinesisRecordEntry>({
    kind: "kinesis",
    limits: { maxEntries: maxRecordsPerRequest, maxRequestBytes, maxEntryBytes },
    encode: (event) => encode(event, encodeOptions),
    send: async (batch, { signal }) => {
      const command = new PutRecordsCommand({ ...stream, Records: [...batch.entries] })
      const response = await client.send(command, sendOptions(command, signal))
      return readPutRecordsResults(batch.entries.length, response)
    },
    classifyError: classifyRequestError,
    close,
  })
}
