/**
 * The adapter against the emulator, with the real SDK client over HTTP: what is stored (the payload
 * byte for byte), what each error code becomes, and what the emulator received per request.
 */
import { IoTEventsDataClient } from "@aws-sdk/client-iot-events-data"
import {
  emulatorClientConfig,
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
  type RetryOptions,
} from "@eventport/core"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { type IotEventsOptions, iotEvents, messageIdFor } from "../src/index.ts"
import { readBatchPutMessageResults } from "../src/internal/BatchPutMessageResults.ts"

// The documented 1 KiB per batch, enforced by the emulator too, so both sides read it the same way.
const emulator = useEmulator({ limits: { iotEventsMaxBatchPayloadBytes: 1024 } })

const adapterFor = (options: Partial<IotEventsOptions> = {}) =>
  iotEvents({ inputName: "temperatures", clientConfig: emulatorClientConfig(emulator()), ...options })

const event = (fields: Partial<EventInput> = {}): Event =>
  createEvent({ type: "reading", source: "sensor-7", data: { temp: 21.5 }, ...fields })

describe("iotEvents against the emulator", () => {
  it("delivers messages to several inputs in one request; the stored payload is exactly the data's JSON", async () => {
    const adapter = adapterFor({ inputName: (e) => (e.type === "alarm" ? "alarms" : "temperatures") })
    const time = new Date("2026-11-02T08:30:00.250Z")
    const data = { temp: 21.5, label: "Küche ☕", nested: { list: [1, null, true] } }
    const events = [event({ data, time }), event({ type: "alarm", data: { on: true } })]
    const results = await sendBatch(adapter, events)

    expect(results).toEqual([{ ok: true }, { ok: true }])
    const [stored] = emulator().store.entriesFor("iotevents", "temperatures")
    // Not base64 of base64: the SDK's transport encoding was applied once.
    expect(stored?.payloadText).toBe(JSON.stringify(data))
    expect(stored).toMatchObject({ messageId: events[0]!.id, timeInMillis: time.getTime() })
    expect(emulator().store.entriesFor("iotevents", "alarms")).toHaveLength(1)
    expect(emulator().requests.counts().total).toBe(1)
    await Effect.runPromise(adapter.close)
  })

  it("stores binary data byte for byte", async () => {
    const bytes = new Uint8Array([0, 1, 2, 250, 255])
    await sendBatch(adapterFor(), [event({ data: bytes })])
    expect(Buffer.from(emulator().store.iotevents.entries[0]!.payload)).toEqual(Buffer.from(bytes))
  })

  it("sends a derived messageId for an event id the service would refuse", async () => {
    const e = event({ id: "order:42/line:7" })
    const encoded = adapterFor().encode(e)
    expect(encoded._tag === "Encoded" && encoded.sentId).toBe(messageIdFor(e.id))
    await sendBatch(adapterFor(), [e])
    expect(emulator().store.iotevents.entries[0]?.messageId).toBe(messageIdFor(e.id))
  })

  it("two events with one id in a batch: the first is sent, the other fails retryably instead of failing the request", async () => {
    const first = event({ id: "same" })
    const second = event({ id: "same", data: { temp: 30 } })
    const results = await sendBatch(adapterFor(), [first, event(), second])
    expect(results.map((r) => r.ok)).toEqual([true, true, false])
    expect(entryErrorOf(results[2])).toMatchObject({ retryable: true, rawCode: "DuplicateMessageId" })
    expect(emulator().store.iotevents.entries.map((m) => m.payloadText)).toContain('{"temp":21.5}')
    expect(emulator().requests.list()[0]?.entryCount).toBe(2)
  })

  it("leaves a caller's client open on close", async () => {
    const client = new IoTEventsDataClient({ ...emulatorClientConfig(emulator()), maxAttempts: 1 })
    const adapter = iotEvents({ inputName: "i", client })
    await Effect.runPromise(adapter.close)
    expect(await sendBatch(iotEvents({ inputName: "i", client }), [event()])).toEqual([{ ok: true }])
    client.destroy()
  })
})

describe("payload size: the adapter's measure is the emulator's", () => {
  const withPayload = (bytes: number) => event({ data: new Uint8Array(bytes).fill(120) })

  it("a batch of exactly maxRequestBytes of payload is accepted", async () => {
    const adapter = adapterFor()
    const events = [withPayload(500), withPayload(524)]
    expect(events.map((e) => (adapter.encode(e) as { bytes: number }).bytes)).toEqual([500, 524])
    expect(await sendBatch(adapter, events)).toEqual([{ ok: true }, { ok: true }])
  })

  it("one byte more is refused whole by the emulator: the engine must split it, as the declared limit says", async () => {
    const adapter = adapterFor()
    expect(adapter.limits.maxRequestBytes).toBe(1024)
    const failure = await sendFailingBatch(adapter, [withPayload(500), withPayload(525)])
    expect(failure).toMatchObject({
      code: "InvalidRequest",
      retryable: false,
      rawCode: "InvalidRequestException",
    })
  })
})

describe("reading a BatchPutMessage response", () => {
  it("maps errors back to indexes by messageId; unlisted messages are accepted", () => {
    const results = readBatchPutMessageResults(["a", "b", "c"], {
      BatchPutMessageErrorEntries: [
        { messageId: "c", errorCode: "ThrottlingException", errorMessage: "slow down" },
        { messageId: "a", errorCode: "ResourceNotFoundException", errorMessage: "no input" },
      ],
    })
    expect(results).toMatchObject([
      { ok: false, error: { code: "NotFound", retryable: false, rawMessage: "no input" } },
      { ok: true },
      { ok: false, error: { code: "Throttled", retryable: true } },
    ])
  })

  it("an error for a messageId that was not sent puts the unlisted messages in doubt", () => {
    const results = readBatchPutMessageResults(["a", "b"], {
      BatchPutMessageErrorEntries: [
        { messageId: "a", errorCode: "InternalFailureException" },
        { messageId: "zzz", errorCode: "InvalidRequestException" },
      ],
    })
    expect(entryErrorOf(results[0])).toMatchObject({ code: "InternalFailure", retryable: true })
    expect(entryErrorOf(results[1])).toMatchObject({
      code: "Unknown",
      retryable: false,
      outcomeUnknown: true,
    })
    expect(entryErrorOf(results[1]).rawMessage).toContain("zzz")
  })
})

describe("iotEvents through the publisher", () => {
  const fastRetry = { baseDelayMs: 1, maxDelayMs: 5, throttledBaseDelayMs: 1 }
  const publisherFor = (options: Partial<IotEventsOptions> = {}, retry: RetryOptions = fastRetry) =>
    createPublisher({ destinations: { detectors: adapterFor(options) }, retry })
  const inputs = (n: number, data: (i: number) => JsonValue = (i) => ({ i })) =>
    Array.from({ length: n }, (_, i) => ({ id: `e-${i}`, type: "reading", source: "sensor", data: data(i) }))

  it("packs 25 small messages into requests of at most 10", async () => {
    await using publisher = publisherFor()
    const result = await publisher.publish(inputs(25))
    expect(result.ok).toBe(true)
    expect(entriesPerRequest(emulator())).toEqual([10, 10, 5])
    expect(emulator().store.iotevents.count).toBe(25)
  })

  it("packs by payload bytes: no request carries more than 1 KiB of payload", async () => {
    await using publisher = publisherFor()
    // Each payload is '{"p":"…300…"}' = 310 bytes: three fit in 1024, four do not.
    const result = await publisher.publish(inputs(7, () => ({ p: "y".repeat(300) })))
    expect(result.ok).toBe(true)
    expect(entriesPerRequest(emulator())).toEqual([3, 3, 1])
  })

  it("rejects invalid events before sending, naming event, field and rule; the rest is delivered", async () => {
    await using publisher = publisherFor({
      inputName: (e) => (e.source === "bad source" ? "_x" : "temperatures"),
    })
    const result = await publisher.publish([
      { id: "ok-1", type: "reading", source: "sensor", data: { a: 1 } },
      { id: "bad-input", type: "reading", source: "bad source", data: { a: 1 } },
      { id: "too-big", type: "reading", source: "sensor", data: { p: "y".repeat(2000) } },
      { id: "epoch", type: "reading", source: "sensor", time: new Date(0), data: { a: 1 } },
      { id: "ok-2", type: "reading", source: "sensor", data: { a: 2 } },
    ])
    const tags = Object.fromEntries(result.outcomes.map((o) => [o.eventId, o._tag]))
    expect(tags).toEqual({
      "ok-1": "Delivered",
      "bad-input": "Rejected",
      "too-big": "Rejected",
      epoch: "Rejected",
      "ok-2": "Delivered",
    })
    const badInput = result.forEvent("bad-input")[0]
    expect(badInput?._tag === "Rejected" && badInput.message).toMatch(/bad-input.*inputName.*pattern/)
    const epoch = result.forEvent("epoch")[0]
    expect(epoch?._tag === "Rejected" && epoch.violations[0]).toMatchObject({ field: "time", rule: "min" })
    expect(entriesPerRequest(emulator())).toEqual([2])
  })

  it("sends no request when every event is invalid", async () => {
    await using publisher = publisherFor({ inputName: () => "" })
    const result = await publisher.publish(inputs(3))
    expect(result.rejected).toBe(3)
    expect(emulator().requests.counts().total).toBe(0)
  })

  it("reports the derived messageId on the outcome", async () => {
    await using publisher = publisherFor()
    const result = await publisher.publish([{ id: "device/7:reading", type: "r", source: "s", data: {} }])
    const [outcome] = result.outcomes
    expect(outcome?._tag === "Delivered" && outcome.sentId).toBe(messageIdFor("device/7:reading"))
  })

  it("a duplicate event id goes in a later request instead of failing the batch", async () => {
    await using publisher = publisherFor()
    const result = await publisher.publish([
      { id: "same", type: "r", source: "s", data: { n: 1 } },
      { id: "other", type: "r", source: "s", data: { n: 2 } },
      { id: "same", type: "r", source: "s", data: { n: 3 } },
    ])
    expect(result.delivered).toBe(3)
    expect(
      emulator()
        .requests.list()
        .map((r) => r.status),
    ).toEqual([200, 200])
    expect(
      emulator()
        .store.iotevents.entries.map((m) => m.payloadText)
        .sort(),
    ).toEqual(['{"n":1}', '{"n":2}', '{"n":3}'])
  })
})
