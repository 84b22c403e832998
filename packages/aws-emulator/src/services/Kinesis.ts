/**
 * Kinesis Data Streams `PutRecords` (awsJson1_1, `Kinesis_20131202.PutRecords`, signing name
 * `kinesis`). Model: botocore `botocore/data/kinesis/2013-12-02/service-2.json` at
 * 0e6e2404b85dc336dd2889814e089bde7d1a4c55 (the subset in ../models).
 */
import { createHash } from "node:crypto"
import { describeViolations } from "../internal/modelValidation.ts"
import {
  type BatchItem,
  isRecord,
  parseJsonBody,
  type Refused,
  requestError,
  type ServiceHandler,
  serviceModel,
} from "../internal/ServiceHandler.ts"
import model from "../models/kinesis-2013-12-02.PutRecords.json" with { type: "json" }
import type { KinesisRecord } from "../Store.ts"

const { traits, validator } = serviceModel("kinesis", model)

/** Hash keys span 0 … 2^128 - 1; MD5 of the partition key (or `ExplicitHashKey`) picks the shard. */
export const maxHashKey = 2n ** 128n - 1n

/** Shards the emulated streams have unless `kinesisShardCount` says otherwise. */
export const defaultKinesisShardCount = 4

const invalidArgument = (message: string): Refused => ({
  ok: false,
  error: { code: "InvalidArgumentException", status: 400, message },
})

/** `shardId-000000000003`: the form Kinesis gives shard ids. */
export const kinesisShardId = (index: number): string => `shardId-${String(index).padStart(12, "0")}`

/** The 128-bit hash key of a record: its explicit hash key, else the MD5 of its partition key (UTF-8). */
export const kinesisHashKey = (partitionKey: string, explicitHashKey?: string): bigint =>
  explicitHashKey === undefined
    ? BigInt(`0x${createHash("md5").update(partitionKey, "utf8").digest("hex")}`)
    : BigInt(explicitHashKey)

/** Index of the shard whose (equal-sized) hash key range holds `hashKey`, among `shardCount` shards. */
export const kinesisShardIndex = (hashKey: bigint, shardCount: number): number =>
  Number((hashKey * BigInt(shardCount)) / (maxHashKey + 1n))

/** The stream name of a `StreamARN` (`arn:aws:kinesis:region:account:stream/name`). */
const streamNameOfArn = (arn: string): string => arn.slice(arn.indexOf(":stream/") + ":stream/".length)

export interface KinesisHandlerOptions {
  readonly shardCount: number
}

/**
 * A PutRecords handler for one emulator: it keeps each shard's sequence counter, so sequence numbers
 * increase within a shard in acceptance order (never reset, as a stream's never are).
 */
export const kinesisHandler = (options: KinesisHandlerOptions): ServiceHandler<"kinesis"> => {
  const { shardCount } = options
  const sequences = new Map<string, bigint>()
  const nextSequenceNumber = (streamName: string, shardIndex: number): string => {
    const key = `${shardIndex}/${streamName}`
    const next = (sequences.get(key) ?? 0n) + 1n
    sequences.set(key, next)
    // Fixed width: later numbers compare greater as strings too; the shape of real ones (49…, 56 digits).
    return `49${String(shardIndex).padStart(6, "0")}${String(next).padStart(48, "0")}`
  }
  return {
    traits,
    prepare(request, limits) {
      const input = parseJsonBody(request.body)
      if (!isRecord(input)) {
        return {
          ok: false,
          error: {
            code: "SerializationException",
            status: 400,
            message: "Start of structure or map found where not expected.",
          },
        }
      }
      const violations = validator.validate("PutRecordsInput", input)
      if (violations.length > 0) return requestError(traits, describeViolations(violations))
      const streamArn = input.StreamARN as string | undefined
      const givenName = input.StreamName as string | undefined
      if (streamArn === undefined && givenName === undefined)
        return invalidArgument("Either StreamName or StreamARN should be provided.")
      if (streamArn !== undefined && givenName !== undefined && streamNameOfArn(streamArn) !== givenName)
        return invalidArgument("StreamARN and StreamName refer to different streams.")
      const streamName = givenName ?? streamNameOfArn(streamArn ?? "")
      const records = input.Records as Readonly<Record<string, unknown>>[]
      let total = 0
      const decoded: { data: Buffer; hashKey: bigint }[] = []
      for (let i = 0; i < records.length; i++) {
        const record = records[i]!
        const partitionKey = record.PartitionKey as string
        const explicitHashKey = record.ExplicitHashKey as string | undefined
        const data = Buffer.from(record.Data as string, "base64")
        // "The data blob plus the partition key size" (PutRecordsRequestEntry.Data doc).
        const size = data.length + Buffer.byteLength(partitionKey, "utf8")
        if (size > limits.kinesisMaxRecordBytes)
          return invalidArgument(
            `Record ${i + 1} is ${size} bytes (data plus partition key); the stream's maximum record size is ${limits.kinesisMaxRecordBytes} bytes.`,
          )
        total += size
        const hashKey = kinesisHashKey(partitionKey, explicitHashKey)
        if (hashKey > maxHashKey)
          return invalidArgument(
            `Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was ${explicitHashKey}`,
          )
        decoded.push({ data, hashKey })
      }
      if (total > limits.kinesisMaxRequestBytes)
        return invalidArgument(
          `Records size is ${total} bytes (data plus partition keys), over the ${limits.kinesisMaxRequestBytes}-byte request limit.`,
        )
      const items: BatchItem<KinesisRecord>[] = records.map((record, i) => {
        const { data, hashKey } = decoded[i]!
        const shardIndex = kinesisShardIndex(hashKey, shardCount)
        const shardId = kinesisShardId(shardIndex)
        const sequenceNumber = nextSequenceNumber(streamName, shardIndex)
        const partitionKey = record.PartitionKey as string
        const explicitHashKey = record.ExplicitHashKey as string | undefined
        const dataText = data.toString("utf8")
        const accepted: KinesisRecord = {
          target: streamName,
          requestId: request.requestId,
          receivedAt: request.receivedAt,
          streamName,
          ...(streamArn === undefined ? {} : { streamArn }),
          partitionKey,
          ...(explicitHashKey === undefined ? {} : { explicitHashKey }),
          shardId,
          sequenceNumber,
          data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
          dataText,
        }
        return {
          view: {
            service: "kinesis",
            target: streamName,
            id: sequenceNumber,
            requestId: request.requestId,
            // A throttled shard is an entryError fault matching { ShardId }.
            fields: {
              PartitionKey: partitionKey,
              ...(explicitHashKey === undefined ? {} : { ExplicitHashKey: explicitHashKey }),
              ShardId: shardId,
              Data: dataText,
            },
          },
          accepted,
        }
      })
      return {
        ok: true,
        batch: {
          items,
          render(failures) {
            let failed = 0
            const results = items.map((item, i) => {
              const failure = failures[i]
              if (failure === undefined)
                return { SequenceNumber: item.accepted.sequenceNumber, ShardId: item.accepted.shardId }
              failed++
              return { ErrorCode: failure.code, ErrorMessage: failure.message }
            })
            return {
              status: 200,
              body: { FailedRecordCount: failed, Records: results, EncryptionType: "NONE" },
            }
          },
        },
      }
    },
  }
}
