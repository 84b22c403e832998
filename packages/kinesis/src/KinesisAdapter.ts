/**
 * `kinesis(options)`: an adapter that publishes events with Kinesis Data Streams PutRecords.
 * Data ← the event as CloudEvents JSON (or its data alone), PartitionKey ← the partitionKey option
 * (default the subject, else the id), ExplicitHashKey ← option; the stream is one per adapter.
 */
import { KinesisClient, PutRecordsCommand } from "@aws-sdk/client-kinesis"
import {
  type Adapter,
  adapterClient,
  checkString,
  defineAdapter,
  invalidOption,
  type Violation,
} from "@eventport/core"
import { encode, explicitHashKeyViolation, type KinesisRecordEntry, partitionKeyViolation } from "./encode.ts"
import { readPutRecordsResults } from "./internal/PutRecordsResults.ts"
import { classifyRequestError } from "./KinesisError.ts"
import {
  defaultMaxRecordBytes,
  defaultMaxRequestBytes,
  defaultRecordData,
  type KinesisOptions,
} from "./KinesisOptions.ts"
import {
  largestMaxRecordBytes,
  largestMaxRequestBytes,
  maxRecordsPerRequest,
  streamArn as streamArnRule,
  streamName as streamNameRule,
} from "./limits.ts"

const factory = "kinesis"

const checkByteOption = (name: string, value: number | undefined, largest: number): void => {
  if (value === undefined) return
  if (!(Number.isInteger(value) && value > 0 && value <= largest))
    throw new RangeError(`${factory}: option ${name} must be an integer from 1 to ${largest}, got ${value}`)
}

/** Bad constant options are the caller's bug: reported once, at construction. */
const checkConstantOptions = (options: KinesisOptions): void => {
  const constant = (bad: Violation | undefined) => {
    if (bad !== undefined) throw invalidOption(factory, bad)
  }
  if ((options.streamName === undefined) === (options.streamArn === undefined))
    throw new TypeError(`${factory}: give exactly one of streamName and streamArn`)
  if (options.streamName !== undefined)
    constant(
      checkString("streamName", options.streamName, { ...streamNameRule, patternText: "[a-zA-Z0-9_.-]+" }),
    )
  if (options.streamArn !== undefined)
    constant(
      checkString("streamArn", options.streamArn, {
        ...streamArnRule,
        patternText: "arn:aws…:kinesis:<region>:<account>:stream/<name>",
      }),
    )
  if (typeof options.partitionKey === "string") constant(partitionKeyViolation(options.partitionKey))
  if (typeof options.explicitHashKey === "string") constant(explicitHashKeyViolation(options.explicitHashKey))
  if (options.data !== undefined && options.data !== "cloudevent" && options.data !== "data")
    throw new TypeError(`${factory}: option data must be "cloudevent" or "data", got ${String(options.data)}`)
  checkByteOption("maxRecordBytes", options.maxRecordBytes, largestMaxRecordBytes)
  checkByteOption("maxRequestBytes", options.maxRequestBytes, largestMaxRequestBytes)
}

/** Makes a Kinesis Data Streams adapter. Throws for invalid constant options. */
export const kinesis = (options: KinesisOptions): Adapter<KinesisRecordEntry> => {
  checkConstantOptions(options)
  const { client, close } = adapterClient(factory, options, (config) => new KinesisClient(config))
  const maxRequestBytes = options.maxRequestBytes ?? defaultMaxRequestBytes
  const maxRecordBytes = Math.min(options.maxRecordBytes ?? defaultMaxRecordBytes, maxRequestBytes)
  const encodeOptions = {
    data: options.data ?? defaultRecordData,
    ...(options.partitionKey === undefined ? {} : { partitionKey: options.partitionKey }),
    ...(options.explicitHashKey === undefined ? {} : { explicitHashKey: options.explicitHashKey }),
  }
  const stream =
    options.streamArn === undefined ? { StreamName: options.streamName } : { StreamARN: options.streamArn }

  return defineAdapter<KinesisRecordEntry>({
    kind: "kinesis",
    limits: { maxEntries: maxRecordsPerRequest, maxRequestBytes, maxEntryBytes: maxRecordBytes },
    encode: (event) => encode(event, encodeOptions),
    send: async (batch, { signal }) => {
      const response = await client.send(new PutRecordsCommand({ ...stream, Records: [...batch.entries] }), {
        abortSignal: signal,
      })
      return readPutRecordsResults(batch.entries.length, response)
    },
    classifyError: classifyRequestError,
    close,
  })
}
