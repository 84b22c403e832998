/**
 * The adapter against the emulator, with the real SDK client over HTTP: what is stored, what each
 * error code becomes, and what the emulator received per request.
 */
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
  toCloudEvent,
} from "@eventport/core"
import { arbEvent } from "@eventport/testkit"
import { Effect } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { entryBytes, type FirehoseOptions, firehose, limits } from "../src/index.ts"
import { readPutRecordBatchResults } from "../src/internal/PutRecordBatchResults.ts"

const emulator = useEmulator()

const adapterFor = (options: Partial<FirehoseOptions> = {}) =>
  firehose({ clientConfig: emulatorClientConfig(emulator()), deliveryStreamName: "archive", ...options })

const event = (fields: Partial<EventInput> = {}): Event =>
  createEvent({ type: "reading.taken", source: "device", data: { celsius: 21 }, ...fields })

const fastRetry = { baseDelayMs: 1, maxDelayMs: 5, throttledBaseDelayMs: 1 }

describe("firehose against the emulator", () => {
  it("writes each event as a line of CloudEvents JSON, with RecordIds as receipts", async () => {
    const adapter = adapterFor()
    const events = [event({ subject: "a" }), event({ data: new Uint8Array([1, 2]) })]
    const results = await sendBatch(adapter, events)
    const stored = emulator().store.entriesFor("firehose", "archive")
    expect(results).toEqual(stored.map((r) => ({ ok: true, receipt: r.recordId })))
    expect(stored.every((r) => r.dataText.endsWith("}\n"))).toBe(true)
    // Concatenated as the destination concatenates them: one CloudEvent per line.
    const lines = stored
      .map((r) => r.dataText)
      .join("")
      .trimEnd()
      .split("\n")
    expect(lines.map((line) => fromCloudEvent(line))).toEqual(events)
    await Effect.runPromise(adapter.close)
  })

  it('sends the data alone with data "data", and any delimiter (or none)', async () => {
    await sendBatch(adapterFor({ data: "data", recordDelimiter: "\r\n" }), [event({ data: { a: 1 } })])
    await sendBatch(adapterFor({ data: "data", recordDelimiter: "" }), [
      event({ data: new Uint8Array([0, 9]) }),
    ])
    const [json, binary] = emulator().store.firehose.entries
    expect(json?.dataText).toBe('{"a":1}\r\n')
    expect(binary?.data).toEqual(new Uint8Array([0, 9]))
  })

  it("a record InternalFailure may have been written: its outcome is unknown", async () => {
    emulator().faults.set({ type: "entryError", code: "InternalFailure" })
    const [result] = await sendBatch(adapterFor(), [event()])
    expect(entryErrorOf(result)).toMatchObject({
      code: "InternalFailure",
      retryable: true,
      outcomeUnknown: true,
    })
    emulator().faults.set({ type: "entryError", code: "ServiceUnavailableException" })
    const [throttled] = await sendBatch(adapterFor(), [event()])
    expect(entryErrorOf(throttled).outcomeUnknown).toBeUndefined()
  })
})

describe("firehose through the publisher", () => {
  const publisherFor = (options: Partial<FirehoseOptions> = {}, retry: RetryOptions = fastRetry) =>
    createPublisher({ destinations: { archive: adapterFor(options) }, retry })
  const inputs = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      id: `e-${i}`,
      type: "reading.taken",
      source: "device",
      data: { i },
    }))

  it('counts request bytes on the base64 form by default, before base64 with requestSize "raw"', async () => {
    // 999,999 bytes of JSON text: 1,000,000 with the newline; 1,333,336 in base64.
    const big = Array.from({ length: 4 }, () => ({ type: "t", source: "s", data: "x".repeat(999_997) }))
    {
      await using publisher = publisherFor({ data: "data" })
      expect((await publisher.publish(big)).ok).toBe(true)
      expect(entriesPerRequest(emulator())).toEqual([3, 1])
    }
    emulator().reset()
    {
      await using publisher = publisherFor({ data: "data", requestSize: "raw" })
      expect((await publisher.publish(big)).ok).toBe(true)
      expect(entriesPerRequest(emulator())).toEqual([4])
    }
  })

  it("rejects a record over 1,024,000 bytes before base64 (delimiter included) without a request", async () => {
    await using publisher = publisherFor({ data: "data" })
    const result = await publisher.publish([
      // JSON text of n characters is n + 2 bytes, plus the newline.
      { id: "fits", type: "t", source: "s", data: "x".repeat(limits.maxEntryBytes - 3) },
      { id: "over", type: "t", source: "s", data: "x".repeat(limits.maxEntryBytes - 2) },
    ])
    expect(result.forEvent("fits")[0]?._tag).toBe("Delivered")
    const over = result.forEvent("over")[0]
    expect(over?._tag === "Rejected" && over.violations[0]).toMatchObject({
      field: "data",
      rule: "maxEntryBytes",
    })
    expect(entriesPerRequest(emulator())).toEqual([1])
  })

  it("retries only the failed records, then delivers all", async () => {
    emulator().faults.set({
      type: "entryError",
      code: "ServiceUnavailableException",
      match: { Data: '{"i":2}\n' },
      times: 1,
    })
    await using publisher = publisherFor({ data: "data" })
    const result = await publisher.publish(inputs(5))
    expect(result.ok).toBe(true)
    expect(entriesPerRequest(emulator())).toEqual([5, 1])
    const retried = result.forEvent("e-2")[0]
    expect(retried?._tag === "Delivered" && retried.attempts).toBe(2)
    expect(retried?._tag === "Delivered" && retried.possibleDuplicate).toBeUndefined()
  })

  it("a mixed batch: rejected, permanently failed, retried in doubt and delivered events each get their own outcome", async () => {
    emulator().faults.set([
      { type: "entryError", code: "UndocumentedPermanentFailure", match: { Data: '{"i":1}\n' } },
      { type: "entryError", code: "InternalFailure", match: { Data: '{"i":2}\n' }, times: 1 },
    ])
    await using publisher = publisherFor({ data: "data" })
    const result = await publisher.publish([
      ...inputs(4),
      { id: "huge", type: "t", source: "s", data: "x".repeat(limits.maxEntryBytes) },
    ])
    expect(result.outcomes.map((o) => [o.eventId, o._tag]).sort()).toEqual([
      ["e-0", "Delivered"],
      ["e-1", "Failed"],
      ["e-2", "Delivered"],
      ["e-3", "Delivered"],
      ["huge", "Rejected"],
    ])
    // The InternalFailure record may have been written the first time.
    const doubted = result.forEvent("e-2")[0]
    expect(doubted?._tag === "Delivered" && doubted.possibleDuplicate).toBe(true)
    expect(entriesPerRequest(emulator())).toEqual([4, 1])
  })
})

describe("firehose options and sizes", () => {
  const clientConfig = { region: "us-east-1" }
  it.each([
    [{ deliveryStreamName: "" }, /deliveryStreamName.*at least 1/],
    [{ deliveryStreamName: "a".repeat(65) }, /deliveryStreamName.*at most 64/],
    [{ deliveryStreamName: "bad/name" }, /deliveryStreamName.*pattern/],
    [{ deliveryStreamName: "s", data: "xml" }, /data must be one of "cloudEvent", "data"/],
    [{ deliveryStreamName: "s", data: "cloudevent" }, /data must be one of "cloudEvent", "data"/],
    [{ deliveryStreamName: "s", requestSize: "utf16" }, /requestSize must be one of "base64", "raw"/],
    [{ deliveryStreamName: "s", maxRequestBytes: -1 }, /maxRequestBytes must be a positive number/],
  ])("refuses %o at construction", (options, message) => {
    expect(() => firehose({ clientConfig, ...(options as FirehoseOptions) })).toThrow(message)
  })

  it("the size of every encoded record is its base64 length, and its Data the event's CloudEvents JSON line", () => {
    const adapter = firehose({ clientConfig, deliveryStreamName: "s" })
    fc.assert(
      fc.property(arbEvent, (e) => {
        const result = adapter.encode(e)
        if (result._tag !== "Encoded") return
        expect(result.bytes).toBe(Buffer.from(result.entry.Data).toString("base64").length)
        expect(result.bytes).toBe(entryBytes(result.entry, "base64"))
        expect(Buffer.from(result.entry.Data).toString("utf8")).toBe(`${JSON.stringify(toCloudEvent(e))}\n`)
      }),
      { numRuns: 200 },
    )
  })

  it("reads a response that does not answer every record as unknown outcomes", () => {
    const results = readPutRecordBatchResults(2, { FailedPutCount: 0, RequestResponses: [{ RecordId: "r" }] })
    expect(results[0]).toEqual({ ok: true, receipt: "r" })
    expect(entryErrorOf(results[1])).toMatchObject({ code: "Unknown", outcomeUnknown: true })
  })
})
