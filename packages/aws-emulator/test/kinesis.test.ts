import { createHash } from "node:crypto"
import { PutEventsCommand } from "@aws-sdk/client-eventbridge"
import { KinesisClient, PutRecordsCommand, type PutRecordsRequestEntry } from "@aws-sdk/client-kinesis"
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest"
import {
  type Emulator,
  kinesisHashKey,
  kinesisShardId,
  kinesisShardIndex,
  startEmulator,
} from "../src/index.ts"
import { clientConfig, clientsFor, errorOf, utf8 } from "./clients.ts"

let emulator: Emulator
let client: KinesisClient

beforeAll(async () => {
  emulator = await startEmulator()
  client = clientsFor(emulator).kinesis
})
afterAll(async () => {
  client.destroy()
  await emulator.stop()
})
beforeEach(() => emulator.reset())

const record = (partitionKey: string, data = `{"k":"${partitionKey}"}`): PutRecordsRequestEntry => ({
  PartitionKey: partitionKey,
  Data: utf8(data),
})

const put = (Records: PutRecordsRequestEntry[], target: { StreamName?: string; StreamARN?: string } = {}) =>
  client.send(
    new PutRecordsCommand({
      Records,
      ...(target.StreamName === undefined && target.StreamARN === undefined
        ? { StreamName: "telemetry" }
        : target),
    }),
  )

describe("Kinesis PutRecords", () => {
  it("answers the SDK's HTTP/2 and another client's HTTP/1.1 on the same port", async () => {
    const result = await put([record("a")])
    expect(result.FailedRecordCount).toBe(0)
    const eventBridge = clientsFor(emulator).eventBridge
    try {
      const other = await eventBridge.send(
        new PutEventsCommand({ Entries: [{ Source: "s", DetailType: "t", Detail: "{}" }] }),
      )
      expect(other.FailedEntryCount).toBe(0)
    } finally {
      eventBridge.destroy()
    }
    expect(emulator.store.kinesis.entries.map((r) => r.partitionKey)).toEqual(["a"])
    expect(emulator.store.eventbridge.count).toBe(1)
  })

  it("stores records with shard ids from the MD5 of the partition key and increasing sequence numbers", async () => {
    const keys = ["alpha", "beta", "gamma", "alpha", "delta", "alpha"]
    const result = await put(keys.map((k) => record(k)))
    expect(result.FailedRecordCount).toBe(0)
    expect(result.EncryptionType).toBe("NONE")
    const stored = emulator.store.entriesFor("kinesis", "telemetry")
    expect(stored.map((r) => r.partitionKey)).toEqual(keys)
    stored.forEach((r, i) => {
      const md5 = BigInt(`0x${createHash("md5").update(r.partitionKey).digest("hex")}`)
      const shard = Number((md5 * 4n) >> 128n)
      expect(r.shardId).toBe(kinesisShardId(shard))
      expect(result.Records?.[i]).toEqual({ SequenceNumber: r.sequenceNumber, ShardId: r.shardId })
      expect(r.dataText).toBe(`{"k":"${r.partitionKey}"}`)
      expect(Buffer.from(r.data).toString("utf8")).toBe(r.dataText)
    })
    const alpha = stored.filter((r) => r.partitionKey === "alpha").map((r) => BigInt(r.sequenceNumber))
    expect(alpha).toEqual([...alpha].sort((a, b) => (a < b ? -1 : 1)))
    expect(new Set(alpha).size).toBe(3)
  })

  it("routes by ExplicitHashKey when given, over a configurable number of shards", async () => {
    const two = await startEmulator({ kinesisShardCount: 2 })
    const twoClient = clientsFor(two).kinesis
    try {
      const top = (2n ** 128n - 1n).toString()
      const result = await twoClient.send(
        new PutRecordsCommand({
          StreamName: "s",
          Records: [
            { ...record("x"), ExplicitHashKey: "0" },
            { ...record("x"), ExplicitHashKey: top },
          ],
        }),
      )
      expect(result.Records?.map((r) => r.ShardId)).toEqual(["shardId-000000000000", "shardId-000000000001"])
      expect(two.store.kinesis.entries[1]?.explicitHashKey).toBe(top)
      expect(kinesisShardIndex(kinesisHashKey("x", top), 2)).toBe(1)
    } finally {
      twoClient.destroy()
      await two.stop()
    }
  })

  it("takes the stream from StreamARN, and refuses a request naming neither or two different streams", async () => {
    const arn = "arn:aws:kinesis:us-east-1:123456789012:stream/orders"
    await put([record("a")], { StreamARN: arn })
    expect(emulator.store.kinesis.entries[0]).toMatchObject({ streamName: "orders", streamArn: arn })
    const neither = await errorOf(client.send(new PutRecordsCommand({ Records: [record("a")] })))
    expect(neither.name).toBe("InvalidArgumentException")
    const both = await errorOf(put([record("a")], { StreamARN: arn, StreamName: "other" }))
    expect(both.name).toBe("InvalidArgumentException")
  })

  it("validates the model: 1–500 records, partition key 1–256 characters, hash key and name patterns", async () => {
    const cases: [PutRecordsRequestEntry[], string, string][] = [
      [Array.from({ length: 501 }, () => record("k")), "less than or equal to 500", "telemetry"],
      [[record("k".repeat(257))], "less than or equal to 256", "telemetry"],
      [[record("")], "greater than or equal to 1", "telemetry"],
      [[{ ...record("k"), ExplicitHashKey: "01" }], "regular expression pattern", "telemetry"],
      [[record("k")], "regular expression pattern", "bad name!"],
    ]
    for (const [records, message, StreamName] of cases) {
      const error = await errorOf(put(records, { StreamName }))
      expect(error.name).toBe("ValidationException")
      expect(error.message).toContain(message)
    }
    // 256 characters of a non-BMP letter count as 256, not as 512 UTF-16 code units.
    const ok = await put([record("😀".repeat(256))])
    expect(ok.FailedRecordCount).toBe(0)
    expect(emulator.store.kinesis.count).toBe(1)
  })

  it("refuses an explicit hash key above 2^128 - 1", async () => {
    const error = await errorOf(put([{ ...record("k"), ExplicitHashKey: (2n ** 128n).toString() }]))
    expect(error.name).toBe("InvalidArgumentException")
    expect(error.message).toContain("[0, 2^128-1]")
  })

  it("counts data plus partition key against the 1 MiB record and 5 MiB request limits", async () => {
    const mib = 1024 * 1024
    const exact = await put([{ PartitionKey: "pk", Data: new Uint8Array(mib - 2) }])
    expect(exact.FailedRecordCount).toBe(0)
    const over = await errorOf(put([{ PartitionKey: "pk", Data: new Uint8Array(mib - 1) }]))
    expect(over.name).toBe("InvalidArgumentException")
    const six = Array.from({ length: 6 }, () => ({ PartitionKey: "p", Data: new Uint8Array(mib - 1) }))
    const tooBig = await errorOf(put(six))
    expect(tooBig.name).toBe("InvalidArgumentException")
    expect(tooBig.message).toContain("request limit")
    const five = await put(six.slice(0, 5))
    expect(five.FailedRecordCount).toBe(0)
  })

  it("raises the record and request limits when configured", async () => {
    const big = await startEmulator({
      limits: { kinesisMaxRecordBytes: 10 * 1024 * 1024, kinesisMaxRequestBytes: 10 * 1024 * 1024 },
    })
    const bigClient = clientsFor(big).kinesis
    try {
      const result = await bigClient.send(
        new PutRecordsCommand({
          StreamName: "s",
          Records: [{ PartitionKey: "p", Data: new Uint8Array(3 * 1024 * 1024) }],
        }),
      )
      expect(result.FailedRecordCount).toBe(0)
    } finally {
      bigClient.destroy()
      await big.stop()
    }
  })

  it("fails records of a throttled shard with ProvisionedThroughputExceededException, index-aligned", async () => {
    const keys = Array.from({ length: 20 }, (_, i) => `key-${i}`)
    const shardOf = (k: string) => kinesisShardId(kinesisShardIndex(kinesisHashKey(k), 4))
    const throttled = shardOf("key-0")
    emulator.faults.set({
      type: "entryError",
      service: "kinesis",
      code: "ProvisionedThroughputExceededException",
      message: `Rate exceeded for shard ${throttled} in stream telemetry under account 123456789012.`,
      match: { ShardId: throttled },
    })
    const result = await put(keys.map((k) => record(k)))
    const expectedFailures = keys.filter((k) => shardOf(k) === throttled)
    expect(result.FailedRecordCount).toBe(expectedFailures.length)
    keys.forEach((k, i) => {
      const entry = result.Records?.[i]
      if (shardOf(k) === throttled) {
        expect(entry?.ErrorCode).toBe("ProvisionedThroughputExceededException")
        expect(entry?.ErrorMessage).toContain(throttled)
        expect(entry?.SequenceNumber).toBeUndefined()
      } else expect(entry?.SequenceNumber).toBeDefined()
    })
    expect(emulator.store.kinesis.count).toBe(keys.length - expectedFailures.length)
  })

  it("shows a fault predicate each record's request id, the one the store records", async () => {
    const seen: (string | undefined)[] = []
    emulator.faults.set({
      type: "entryError",
      service: "kinesis",
      match: (view) => {
        seen.push(view.requestId)
        return false
      },
    })
    await put([record("a"), record("b")])
    await put([record("c")])
    const stored = emulator.store.kinesis.entries.map((r) => r.requestId)
    expect(seen).toEqual(stored)
    expect(new Set(stored).size).toBe(2)
  })

  it("fails single records with InternalFailure by default, and whole requests with Kinesis's codes", async () => {
    emulator.faults.set({ type: "entryError", service: "kinesis", match: { PartitionKey: "b" } })
    const result = await put([record("a"), record("b")])
    expect(result.Records?.[1]?.ErrorCode).toBe("InternalFailure")
    expect(result.FailedRecordCount).toBe(1)
    emulator.faults.set({ type: "requestSequence", sequence: ["throttling", "internal", "unavailable"] })
    const throttled = await errorOf(put([record("a")]))
    expect(throttled.name).toBe("ProvisionedThroughputExceededException")
    expect((throttled.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(400)
    const internal = await errorOf(put([record("a")]))
    expect(internal.name).toBe("InternalFailureException")
    expect((internal.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(500)
    const unavailable = await errorOf(put([record("a")]))
    expect((unavailable.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(503)
    emulator.faults.set({
      type: "requestError",
      error: { code: "ResourceNotFoundException", status: 400, message: "Stream telemetry not found." },
    })
    const missing = await errorOf(put([record("a")]))
    expect(missing.name).toBe("ResourceNotFoundException")
  })

  it("drops the HTTP/2 connection on cue, before or after storing, and serves the next request", async () => {
    emulator.faults.set({ type: "dropConnection", service: "kinesis", times: 1 })
    const dropped = await errorOf(put([record("a")]))
    expect(dropped).toBeInstanceOf(Error)
    expect(emulator.store.kinesis.count).toBe(0)
    emulator.faults.set({ type: "dropConnection", service: "kinesis", afterStore: true, times: 1 })
    await errorOf(put([record("b")]))
    expect(emulator.store.kinesis.entries.map((r) => r.partitionKey)).toEqual(["b"])
    const after = await put([record("c")])
    expect(after.FailedRecordCount).toBe(0)
    expect(emulator.requests.list().map((r) => r.status)).toEqual(["dropped", "dropped", 200])
  })

  it("checks the signature over HTTP/2 (:authority signed) and the signing name", async () => {
    const wrong = new KinesisClient({
      ...clientConfig(emulator),
      credentials: { accessKeyId: emulator.credentials.accessKeyId, secretAccessKey: "wrong" },
    })
    try {
      const error = await errorOf(
        wrong.send(new PutRecordsCommand({ StreamName: "s", Records: [record("a")] })),
      )
      expect(error.name).toBe("InvalidSignatureException")
    } finally {
      wrong.destroy()
    }
  })
})
