/**
 * The adapter against the emulator, with the real SDK client over HTTP: what is stored, what each
 * error code becomes, and what the emulator received per request.
 */
import { BatchPutMessageCommand, IoTAnalyticsClient } from "@aws-sdk/client-iotanalytics"
import {
  emulatorClientConfig,
  encodeAll,
  entriesPerRequest,
  entryErrorOf,
  sendBatch,
  sendFailingBatch,
  useEmulator,
} from "@eventport/aws-emulator/conformance"
import {
  createEvent,
  createPublisher,
  type Event,
  type EventInput,
  type JsonValue,
  packBatches,
} from "@eventport/core"
import { Effect } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { checkFieldNames, type IotAnalyticsOptions, iotAnalytics } from "../src/index.ts"
import { readBatchPutMessageResults } from "../src/internal/BatchPutMessageResults.ts"

const emulator = useEmulator()

const adapterFor = (options: Partial<IotAnalyticsOptions> = {}) =>
  iotAnalytics({ channelName: "telemetry", clientConfig: emulatorClientConfig(emulator()), ...options })

const event = (fields: Partial<EventInput> = {}): Event =>
  createEvent({ type: "reading", source: "sensor", data: { temp_01: 21.5 }, ...fields })

describe("iotAnalytics against the emulator", () => {
  it("delivers JSON messages to the channel, messageId = event id", async () => {
    const adapter = adapterFor()
    const events = [event({ data: { temp_01: 1, a_b: { T_1: true } } }), event({ data: { _temp_01: 2 } })]
    const results = await sendBatch(adapter, events)
    expect(results).toEqual([{ ok: true }, { ok: true }])
    const stored = emulator().store.entriesFor("iotanalytics", "telemetry")
    expect(stored.map((m) => m.messageId)).toEqual(events.map((e) => e.id))
    expect(stored.map((m) => JSON.parse(m.payloadText))).toEqual(events.map((e) => e.data))
    expect(emulator().requests.counts().total).toBe(1)
    await Effect.runPromise(adapter.close)
  })

  it("sends binary data as the raw payload bytes", async () => {
    const bytes = new Uint8Array([0x7b, 0xff, 0x00, 0x2d, 0x10])
    await sendBatch(adapterFor(), [event({ data: bytes })])
    const [stored] = emulator().store.iotanalytics.entries
    expect(new Uint8Array(stored!.payload)).toEqual(bytes)
  })

  it("two events with one id in a batch: the first is sent, the other fails retryably instead of failing the request", async () => {
    const results = await sendBatch(adapterFor(), [
      event({ id: "same" }),
      event({ id: "other" }),
      event({ id: "same" }),
    ])
    expect(results.slice(0, 2)).toEqual([{ ok: true }, { ok: true }])
    expect(entryErrorOf(results[2])).toMatchObject({ retryable: true, rawCode: "DuplicateMessageId" })
    expect(emulator().store.iotanalytics.entries.map((m) => m.messageId)).toEqual(["same", "other"])
  })

  it("sends the derived messageId when the event id is not ASCII or too long", async () => {
    const adapter = adapterFor()
    const e = event({ id: "capteur-été-1" })
    const encodedEvent = adapter.encode(e)
    await sendBatch(adapter, [e])
    const [stored] = emulator().store.iotanalytics.entries
    expect(encodedEvent._tag === "Encoded" && encodedEvent.sentId).toBe(stored!.messageId)
    expect(stored!.messageId).toMatch(/^sha256-/)
  })

  it("per-event channelName: different channels are different batch keys", async () => {
    const adapter = adapterFor({ channelName: (e) => e.subject ?? "telemetry" })
    const a = adapter.encode(event({ subject: "line_1" }))
    const b = adapter.encode(event({ subject: "line_2" }))
    expect([a, b].map((r) => r._tag === "Encoded" && r.batchKey)).toEqual(["line_1", "line_2"])
    await sendBatch(adapter, [event({ subject: "line_1" })])
    expect(emulator().store.counts().iotanalytics.byTarget).toEqual({ line_1: 1 })
  })

  it("entry errors with a throttling name are Throttled; unknown names are Unknown, not retried", async () => {
    const [a, b] = [event(), event()]
    emulator().faults.set([
      { type: "entryError", code: "ThrottlingException", match: { id: a.id } },
      { type: "entryError", code: "SomethingNew", match: { id: b.id } },
    ])
    const results = await sendBatch(adapterFor(), [a, b])
    expect(entryErrorOf(results[0])).toMatchObject({ code: "Throttled", retryable: true })
    expect(entryErrorOf(results[1])).toMatchObject({
      code: "Unknown",
      retryable: false,
      rawCode: "SomethingNew",
    })
  })

  it("failures map back by messageId; one for a messageId that was not sent puts the unlisted messages in doubt", () => {
    const keyed = readBatchPutMessageResults(["a", "b", "c"], {
      batchPutMessageErrorEntries: [
        { messageId: "c", errorCode: "InvalidRequestException", errorMessage: "no" },
      ],
    })
    expect(keyed).toMatchObject([
      { ok: true },
      { ok: true },
      { ok: false, error: { code: "InvalidRequest", retryable: false, rawMessage: "no" } },
    ])
    const stray = readBatchPutMessageResults(["a", "b"], {
      batchPutMessageErrorEntries: [
        { messageId: "a", errorCode: "InternalFailureException" },
        { messageId: "zzz", errorCode: "InvalidRequestException" },
      ],
    })
    expect(entryErrorOf(stray[0])).toMatchObject({ code: "InternalFailure", retryable: true })
    expect(entryErrorOf(stray[1])).toMatchObject({ code: "Unknown", retryable: false, outcomeUnknown: true })
    expect(entryErrorOf(stray[1]).rawMessage).toContain("zzz")
  })

  it("the service's own field-name rejection is an InvalidRequest for that message only", async () => {
    const client = new IoTAnalyticsClient({ ...emulatorClientConfig(emulator()), maxAttempts: 1 })
    const adapter = iotAnalytics({ channelName: "telemetry", client })
    const [good] = encodeAll(adapter, [event()])
    const bad = { channelName: "telemetry", messageId: "m-bad", payload: Buffer.from('{"temp-01":1}') }
    const results = await Effect.runPromise(
      adapter.send({ entries: [good!, bad], batchKey: "telemetry", attempt: 1 }),
    )
    expect(results[0]).toEqual({ ok: true })
    expect(entryErrorOf(results[1])).toMatchObject({
      code: "InvalidRequest",
      retryable: false,
      rawCode: "InvalidRequestException",
    })
    await Effect.runPromise(adapter.close)
    // A client the user gave is not destroyed by close: it still works.
    await client.send(
      new BatchPutMessageCommand({
        channelName: "telemetry",
        messages: [{ messageId: "x", payload: Buffer.from("{}") }],
      }),
    )
    client.destroy()
  })

  it("an unknown channel is the service's 404 ResourceNotFoundException", async () => {
    emulator().faults.set({ type: "requestError", error: { code: "ResourceNotFoundException", status: 404 } })
    const error = await sendFailingBatch(adapterFor(), [event()])
    expect(error).toMatchObject({ code: "NotFound", retryable: false })
  })

  it("packs 250 messages for two channels into 100-message requests per channel", async () => {
    const adapter = adapterFor({ channelName: (e) => e.subject ?? "telemetry" })
    const events = Array.from({ length: 250 }, (_, i) =>
      event({ subject: i % 5 === 0 ? "line_2" : "line_1" }),
    )
    const items = events.map((e) => {
      const r = adapter.encode(e)
      if (r._tag !== "Encoded") throw new Error("rejected")
      return { ...r, id: r.sentId ?? e.id }
    })
    const { batches, rejected } = packBatches(items, adapter.limits)
    expect(rejected).toEqual([])
    for (const batch of batches) {
      const results = await Effect.runPromise(
        adapter.send({ entries: batch.items.map((i) => i.entry), batchKey: batch.batchKey, attempt: 1 }),
      )
      expect(results.every((r) => r.ok)).toBe(true)
    }
    expect(entriesPerRequest(emulator())).toEqual([100, 100, 50])
    expect(emulator().store.counts().iotanalytics.byTarget).toEqual({ line_1: 200, line_2: 50 })
  })

  it("packs by the per-message byte limit: an oversize payload is refused before any request", async () => {
    const adapter = adapterFor({ maxEntryBytes: 1000 })
    const small = adapter.encode(event({ data: { v: "x".repeat(900) } }))
    const big = adapter.encode(event({ data: { v: "x".repeat(1000) } }))
    const items = [small, big].map((r, i) => {
      if (r._tag !== "Encoded") throw new Error("rejected")
      return { ...r, id: String(i) }
    })
    const { rejected } = packBatches(items, adapter.limits)
    expect(rejected).toEqual([expect.objectContaining({ rule: "maxEntryBytes", limit: 1000 })])
    expect(emulator().requests.counts().total).toBe(0)
  })

  it("property: encode's field-name rule and the emulator's agree on JSON object payloads", async () => {
    const key = fc.oneof(
      fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/),
      fc.constantFrom("a_b", "T_1", "__temp_01", "01_temp", "temp-01", "_", "_1", "A", "a"),
    )
    const payload = fc.dictionary(
      key,
      fc.oneof(fc.integer(), fc.dictionary(key, fc.integer(), { maxKeys: 3 })),
      {
        minKeys: 1,
        maxKeys: 4,
      },
    )
    const samples = fc.sample(payload, { numRuns: 80, seed: 42 })
    const client = new IoTAnalyticsClient({ ...emulatorClientConfig(emulator()), maxAttempts: 1 })
    const adapter = iotAnalytics({ channelName: "telemetry", client })
    const entries = samples.map((data, i) => ({
      channelName: "telemetry",
      messageId: `m${i}`,
      payload: Buffer.from(JSON.stringify(data)),
    }))
    const results = await Effect.runPromise(adapter.send({ entries, batchKey: "telemetry", attempt: 1 }))
    samples.forEach((data, i) => {
      const encodeAccepts = checkFieldNames(data as JsonValue, "data").length === 0
      expect({ data, accepted: results[i]!.ok }).toEqual({ data, accepted: encodeAccepts })
    })
    client.destroy()
  })

  it("property: the entry size is the stored payload's size", async () => {
    const adapter = adapterFor()
    const data = fc.sample(
      fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/), fc.string(), { maxKeys: 5 }),
      {
        numRuns: 50,
        seed: 7,
      },
    )
    const events = data.map((d) => event({ data: d }))
    const sizes = events.map((e) => {
      const r = adapter.encode(e)
      if (r._tag !== "Encoded") throw new Error("rejected")
      return r.bytes
    })
    await sendBatch(adapter, events)
    expect(emulator().store.iotanalytics.entries.map((m) => m.payload.byteLength)).toEqual(sizes)
  })
})

describe("iotAnalytics through the publisher", () => {
  const fastRetry = { baseDelayMs: 1, maxDelayMs: 5, throttledBaseDelayMs: 1 }
  const publisherFor = (options: Partial<IotAnalyticsOptions> = {}, maxAttempts = 5) =>
    createPublisher({
      destinations: { iot: adapterFor(options) },
      retry: { ...fastRetry, maxAttempts },
    })

  it("mixed valid and invalid events: invalid Rejected with id, field and rule, the rest Delivered", async () => {
    const publisher = publisherFor()
    const result = await publisher.publish([
      { id: "ok-1", type: "reading", source: "sensor", data: { temp_01: 1 } },
      { id: "bad-1", type: "reading", source: "sensor", data: { "temp-01": 2 } },
      { id: "ok-2", type: "reading", source: "sensor", data: { T_1: 3 } },
    ])
    expect(result.counts.iot).toMatchObject({ delivered: 2, rejected: 1, failed: 0, requests: 1 })
    const [rejected] = result.forEvent("bad-1")
    expect(rejected).toMatchObject({
      _tag: "Rejected",
      violations: [{ field: "data.temp-01", rule: "fieldName" }],
    })
    expect(rejected?._tag === "Rejected" && rejected.message).toMatch(/bad-1.*data\.temp-01.*fieldName/)
    expect(emulator().store.iotanalytics.entries.map((m) => m.messageId)).toEqual(["ok-1", "ok-2"])
    await publisher.close()
  })

  it("invalid events alone send no request", async () => {
    const publisher = publisherFor({ channelName: (e) => e.subject ?? "" })
    const result = await publisher.publish([
      { type: "reading", source: "sensor", subject: "__bad", data: {} },
      { type: "reading", source: "sensor", data: { "01_temp": 1 } },
      { type: "reading", source: "sensor", subject: "ok", data: { __temp_01: 1 } },
    ])
    expect(result.counts.iot).toMatchObject({ rejected: 3, requests: 0 })
    expect(emulator().requests.counts().total).toBe(0)
    await publisher.close()
  })

  it("an oversize payload is Rejected before any request", async () => {
    const publisher = publisherFor({ maxMessageBytes: 100 })
    const result = await publisher.publish([
      { type: "reading", source: "sensor", data: { v: "x".repeat(200) } },
    ])
    expect(result.outcomes[0]).toMatchObject({ _tag: "Rejected" })
    expect(emulator().requests.counts().total).toBe(0)
    await publisher.close()
  })

  it("batches 230 events over 100-message requests, one channel per request", async () => {
    const publisher = publisherFor({ channelName: (e) => e.subject ?? "telemetry" })
    const events = Array.from({ length: 230 }, (_, i) => event({ subject: i < 30 ? "line_2" : "line_1" }))
    const result = await publisher.publish(events)
    expect(result.ok).toBe(true)
    expect(entriesPerRequest(emulator())).toEqual([100, 100, 30])
    expect(emulator().store.counts().iotanalytics.byTarget).toEqual({ line_1: 200, line_2: 30 })
    await publisher.close()
  })

  it("reports the derived messageId as the Delivered outcome's sentId", async () => {
    const publisher = publisherFor()
    const result = await publisher.publish([event({ id: "capteur-été" })])
    const [stored] = emulator().store.iotanalytics.entries
    expect(result.outcomes[0]).toMatchObject({ _tag: "Delivered", sentId: stored?.messageId })
    await publisher.close()
  })
})
