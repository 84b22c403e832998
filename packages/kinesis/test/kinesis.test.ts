/**
 * The adapter against the emulator, with the real SDK client (HTTP/2, its default handler) over
 * HTTP: what is stored, what each error code becomes, and what the emulator received per request.
 */
import { KinesisClient } from "@aws-sdk/client-kinesis"
import { kinesisHashKey, kinesisShardId, kinesisShardIndex } from "@eventport/aws-emulator"
import {
  emulatorClientConfig,
  entriesPerRequest,
  entryErrorOf,
  sendBatch,
  useEmulator,
} from "@eventport/aws-emulator/conformance"
import {
  createEvent,
  createPublisher,
  type Event,
  type EventInput,
  fromCloudEvent,
  type RetryOptions,
} from "@eventport/core"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { type KinesisOptions, kinesis } from "../src/index.ts"
import { readPutRecordsResults } from "../src/internal/PutRecordsResults.ts"

const emulator = useEmulator()

const adapterFor = (options: Partial<KinesisOptions> = {}) =>
  kinesis({
    clientConfig: emulatorClientConfig(emulator()),
    ...(options.streamArn === undefined ? { streamName: "telemetry" } : {}),
    ...options,
  })

const event = (fields: Partial<EventInput> = {}): Event =>
  createEvent({ type: "reading.taken", source: "device", data: { celsius: 21 }, ...fields })

const fastRetry = { baseDelayMs: 1, maxDelayMs: 5, throttledBaseDelayMs: 1 }

describe("kinesis against the emulator", () => {
  it("writes each event as CloudEvents JSON under its subject, with sequence numbers as receipts", async () => {
    const adapter = adapterFor()
    const events = [event({ subject: "device-1" }), event({ subject: "device-2" }), event()]
    const results = await sendBatch(adapter, events)
    const stored = emulator().store.entriesFor("kinesis", "telemetry")
    expect(stored.map((r) => r.partitionKey)).toEqual(["device-1", "device-2", events[2]!.id])
    expect(results).toEqual(stored.map((r) => ({ ok: true, receipt: r.sequenceNumber })))
    expect(stored.map((r) => fromCloudEvent(r.dataText))).toEqual(events)
    expect(emulator().requests.counts().total).toBe(1)
    await Effect.runPromise(adapter.close)
  })

  it('sends the data alone when data is "data": JSON text, or the bytes of binary data', async () => {
    const bytes = new Uint8Array([0, 255, 7])
    await sendBatch(adapterFor({ data: "data" }), [event({ data: { a: [1, "x"] } }), event({ data: bytes })])
    const [json, binary] = emulator().store.kinesis.entries
    expect(json?.dataText).toBe('{"a":[1,"x"]}')
    expect(binary?.data).toEqual(bytes)
  })

  it("takes the partition key and explicit hash key from options, and the stream from its ARN", async () => {
    const streamArn = "arn:aws:kinesis:eu-west-1:123456789012:stream/orders"
    const adapter = adapterFor({
      streamArn,
      partitionKey: (e) => `tenant-${e.type}`,
      explicitHashKey: (e) => (e.subject === "last" ? (2n ** 128n - 1n).toString() : undefined),
    })
    await sendBatch(adapter, [event(), event({ subject: "last" })])
    const stored = emulator().store.entriesFor("kinesis", "orders")
    expect(stored.map((r) => [r.partitionKey, r.explicitHashKey, r.streamArn])).toEqual([
      ["tenant-reading.taken", undefined, streamArn],
      ["tenant-reading.taken", (2n ** 128n - 1n).toString(), streamArn],
    ])
    expect(stored[0]?.shardId).toBe(
      kinesisShardId(kinesisShardIndex(kinesisHashKey("tenant-reading.taken"), 4)),
    )
    expect(stored[1]?.shardId).toBe(kinesisShardId(3))
  })

  it("a user's client is used as given and not destroyed on close", async () => {
    const client = new KinesisClient({ ...emulatorClientConfig(emulator()), maxAttempts: 1 })
    const adapter = kinesis({ client, streamName: "telemetry" })
    await Effect.runPromise(adapter.close)
    const results = await sendBatch(adapter, [event()])
    expect(results[0]?.ok).toBe(true)
    client.destroy()
  })
})

describe("kinesis through the publisher", () => {
  const publisherFor = (options: Partial<KinesisOptions> = {}, retry: RetryOptions = fastRetry) =>
    createPublisher({ destinations: { stream: adapterFor(options) }, retry })
  const inputs = (n: number, subject: (i: number) => string = (i) => `device-${i % 7}`) =>
    Array.from({ length: n }, (_, i) => ({
      id: `e-${i}`,
      type: "reading.taken",
      source: "device",
      subject: subject(i),
      data: { i },
    }))

  it("packs by data plus partition key: no request goes over maxRequestBytes", async () => {
    await using publisher = publisherFor({ data: "data", partitionKey: "k", maxRequestBytes: 1000 })
    // Each record is 308 bytes of JSON data ({"p":"yyy…"}) plus the 1-byte key: three make 927, four 1236.
    const result = await publisher.publish(
      Array.from({ length: 7 }, () => ({ type: "t", source: "s", data: { p: "y".repeat(300) } })),
    )
    expect(result.ok).toBe(true)
    expect(entriesPerRequest(emulator())).toEqual([3, 3, 1])
  })

  it("rejects a record over maxEntryBytes (data plus key) before any request, and takes one at the limit", async () => {
    const maxEntryBytes = 2048
    await using publisher = publisherFor({ data: "data", partitionKey: "key", maxEntryBytes })
    // JSON text '"…"' of n characters is n + 2 bytes; plus the 3-byte key.
    const result = await publisher.publish([
      { id: "fits", type: "t", source: "s", data: "x".repeat(maxEntryBytes - 5) },
      { id: "over", type: "t", source: "s", data: "x".repeat(maxEntryBytes - 4) },
    ])
    expect(result.forEvent("fits")[0]?._tag).toBe("Delivered")
    const over = result.forEvent("over")[0]
    expect(over?._tag).toBe("Rejected")
    expect(entriesPerRequest(emulator())).toEqual([1])
  })

  it("rejects every invalid partition and hash key before sending, naming field and rule; the rest is delivered", async () => {
    await using publisher = publisherFor({
      partitionKey: (e) => {
        if (e.type === "throws") throw new Error("no key")
        return e.subject ?? e.id
      },
      explicitHashKey: (e) => (typeof e.extensions?.hashkey === "string" ? e.extensions.hashkey : undefined),
    })
    const result = await publisher.publish([
      { id: "ok", type: "t", source: "s", subject: "k", data: {} },
      { id: "too-long", type: "t", source: "s", subject: "k".repeat(257), data: {} },
      { id: "lone-surrogate", type: "t", source: "s", subject: "a\uD800b", data: {} },
      { id: "hook-throws", type: "throws", source: "s", data: {} },
      { id: "leading-zero", type: "t", source: "s", subject: "k", extensions: { hashkey: "01" }, data: {} },
      {
        id: "too-high",
        type: "t",
        source: "s",
        subject: "k",
        extensions: { hashkey: (2n ** 128n).toString() },
        data: {},
      },
      { id: "max-unicode", type: "t", source: "s", subject: "😀".repeat(256), data: {} },
    ])
    const rule = (id: string) => {
      const outcome = result.forEvent(id)[0]
      return outcome?._tag === "Rejected"
        ? outcome.violations.map((v) => `${v.field}:${v.rule}`)
        : outcome?._tag
    }
    expect(rule("ok")).toBe("Delivered")
    expect(rule("max-unicode")).toBe("Delivered")
    expect(rule("too-long")).toEqual(["partitionKey:maxLength"])
    expect(rule("lone-surrogate")).toEqual(["partitionKey:wellFormed"])
    expect(rule("hook-throws")).toEqual(["partitionKey:hook"])
    expect(rule("leading-zero")).toEqual(["explicitHashKey:pattern"])
    expect(rule("too-high")).toEqual(["explicitHashKey:max"])
    expect(entriesPerRequest(emulator())).toEqual([2])
  })

  it("a default partition key that does not fit says which option to set", () => {
    const adapter = adapterFor()
    const bySubject = adapter.encode(event({ subject: "s".repeat(300) }))
    expect(bySubject._tag === "Rejected" && bySubject.violations[0]?.message).toMatch(
      /the event's subject.*at most 256.*set the partitionKey option/,
    )
    const byId = adapter.encode(event({ id: "i".repeat(257) }))
    expect(byId._tag === "Rejected" && byId.violations[0]?.message).toMatch(/the event's id/)
  })

  it("retries only the failed records (a throttled shard), then delivers all", async () => {
    const throttled = kinesisShardId(kinesisShardIndex(kinesisHashKey("device-3"), 4))
    emulator().faults.set({
      type: "entryError",
      code: "ProvisionedThroughputExceededException",
      match: { ShardId: throttled },
      times: 1,
    })
    await using publisher = publisherFor()
    const result = await publisher.publish(inputs(7))
    expect(result.ok).toBe(true)
    expect(entriesPerRequest(emulator())).toEqual([7, 1])
    const retried = result.forEvent("e-3")[0]
    expect(retried?._tag === "Delivered" && retried.attempts).toBe(2)
    expect(emulator().store.kinesis.count).toBe(7)
  })

  it("a mixed batch: rejected, permanently failed, retried and delivered events each get their own outcome", async () => {
    emulator().faults.set([
      { type: "entryError", code: "UndocumentedPermanentFailure", match: { PartitionKey: "device-1" } },
      { type: "entryError", code: "InternalFailure", match: { PartitionKey: "device-2" }, times: 1 },
    ])
    await using publisher = publisherFor()
    const result = await publisher.publish([
      ...inputs(4),
      { id: "bad", type: "t", source: "s", subject: "", data: {} },
    ])
    expect(result.outcomes.map((o) => [o.eventId, o._tag]).sort()).toEqual([
      ["bad", "Rejected"],
      ["e-0", "Delivered"],
      ["e-1", "Failed"],
      ["e-2", "Delivered"],
      ["e-3", "Delivered"],
    ])
    expect(entriesPerRequest(emulator())).toEqual([4, 1])
    expect(
      emulator()
        .store.kinesis.entries.map((r) => r.partitionKey)
        .sort(),
    ).toEqual(["device-0", "device-2", "device-3"])
  })
})

describe("kinesis options", () => {
  const clientConfig = { region: "us-east-1" }
  it.each([
    [{}, /exactly one of streamName and streamArn/],
    [{ streamName: "a", streamArn: "arn:aws:kinesis:us-east-1:123456789012:stream/a" }, /exactly one/],
    [{ streamName: "bad name" }, /streamName.*pattern/],
    [{ streamName: "a".repeat(129) }, /streamName.*at most 128/],
    [{ streamArn: "arn:aws:sqs:us-east-1:123456789012:queue" }, /streamArn.*pattern/],
    [{ streamName: "s", partitionKey: "" }, /partitionKey.*at least 1/],
    [{ streamName: "s", explicitHashKey: "-1" }, /explicitHashKey.*pattern/],
    [{ streamName: "s", data: "xml" }, /data must be one of "cloudEvent", "data"/],
    [{ streamName: "s", data: "cloudevent" }, /data must be one of "cloudEvent", "data"/],
    [
      { streamName: "s", maxEntryBytes: 10 * 1024 * 1024 + 1 },
      /maxEntryBytes must be an integer from 1 to 10485760/,
    ],
    [{ streamName: "s", maxRequestBytes: 0 }, /maxRequestBytes must be an integer/],
  ])("refuses %o at construction", (options, message) => {
    expect(() => kinesis({ clientConfig, ...(options as KinesisOptions) })).toThrow(message)
  })

  it("raises the limits to 10 MiB for streams configured for it", () => {
    const adapter = kinesis({
      clientConfig,
      streamName: "s",
      maxEntryBytes: 10 * 1024 * 1024,
      maxRequestBytes: 10 * 1024 * 1024,
    })
    expect(adapter.limits).toEqual({ maxEntries: 500, maxRequestBytes: 10485760, maxEntryBytes: 10485760 })
    expect(kinesis({ clientConfig, streamName: "s" }).limits).toEqual({
      maxEntries: 500,
      maxRequestBytes: 5 * 1024 * 1024,
      maxEntryBytes: 1024 * 1024,
    })
  })
})

describe("reading a PutRecords response", () => {
  it("records the response does not answer, or answers with nothing, have an unknown outcome", () => {
    const results = readPutRecordsResults(3, {
      FailedRecordCount: 0,
      Records: [{ SequenceNumber: "1", ShardId: "s" }, {}],
    })
    expect(results[0]).toEqual({ ok: true, receipt: "1" })
    expect(entryErrorOf(results[1])).toMatchObject({ code: "Unknown", outcomeUnknown: true })
    expect(entryErrorOf(results[2])).toMatchObject({ code: "Unknown", outcomeUnknown: true })
  })

  it("a FailedRecordCount that disagrees puts the side it doubts in doubt", () => {
    const more = readPutRecordsResults(2, {
      FailedRecordCount: 2,
      Records: [{ SequenceNumber: "1" }, { ErrorCode: "InternalFailure" }],
    })
    expect(entryErrorOf(more[0])).toMatchObject({ outcomeUnknown: true })
    const fewer = readPutRecordsResults(2, {
      FailedRecordCount: 0,
      Records: [{ SequenceNumber: "1" }, { ErrorCode: "InternalFailure" }],
    })
    expect(fewer[0]).toEqual({ ok: true, receipt: "1" })
    expect(entryErrorOf(fewer[1])).toMatchObject({ code: "InternalFailure", outcomeUnknown: true })
  })
})
