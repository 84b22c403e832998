/**
 * The adapter against the emulator, with the real SDK client over HTTP: what is stored, what each
 * status and error code becomes, and what the emulator received per request.
 */
import { PinpointClient } from "@aws-sdk/client-pinpoint"
import {
  emulatorClientConfig,
  encodeAll,
  entriesPerRequest,
  entryErrorOf,
  sendBatch,
  useEmulator,
} from "@eventport/aws-emulator/conformance"
import { createEvent, createPublisher, type Event, type EventInput, packBatches } from "@eventport/core"
import { Effect } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { limits, type PinpointEntry, type PinpointOptions, pinpoint } from "../src/index.ts"
import { readPutEventsResults } from "../src/internal/PutEventsResults.ts"

const emulator = useEmulator()

const adapterFor = (options: Partial<PinpointOptions> = {}) =>
  pinpoint({ applicationId: "app-1", clientConfig: emulatorClientConfig(emulator()), ...options })

const event = (fields: Partial<EventInput> = {}): Event =>
  createEvent({
    type: "song.played",
    source: "app",
    subject: "endpoint-1",
    data: { genre: "jazz", seconds: 42 },
    ...fields,
  })

describe("pinpoint against the emulator", () => {
  it("delivers events grouped by endpoint id, with ISO timestamps, attributes and metrics", async () => {
    const adapter = adapterFor({ endpoint: (e) => ({ ChannelType: "CUSTOM", Address: `addr-${e.subject}` }) })
    const time = new Date("2026-03-01T12:00:00.250Z")
    const events = [
      event({ time }),
      event({ subject: "endpoint-2", type: "song.skipped", data: { genre: "rock" } }),
      event({ data: { seconds: 7 } }),
    ]
    const results = await sendBatch(adapter, events)
    expect(results).toEqual([{ ok: true }, { ok: true }, { ok: true }])
    const stored = emulator().store.entriesFor("pinpoint", "app-1")
    expect(stored.map((s) => [s.endpointId, s.eventId])).toEqual([
      ["endpoint-1", events[0]!.id],
      ["endpoint-1", events[2]!.id],
      ["endpoint-2", events[1]!.id],
    ])
    expect(stored[0]).toMatchObject({
      eventType: "song.played",
      timestamp: "2026-03-01T12:00:00.250Z",
      endpoint: { ChannelType: "CUSTOM", Address: "addr-endpoint-1" },
      event: { Attributes: { genre: "jazz" }, Metrics: { seconds: 42 } },
    })
    expect(emulator().requests.counts().total).toBe(1)
    await Effect.runPromise(adapter.close)
  })

  it("sends a session and URI-encodes the application id", async () => {
    const adapter = adapterFor({
      applicationId: "app/with space",
      session: (e) => ({ Id: `s-${e.subject}`, StartTimestamp: e.time }),
    })
    const e = event()
    await sendBatch(adapter, [e])
    const [stored] = emulator().store.entriesFor("pinpoint", "app/with space")
    expect(stored?.event.Session).toEqual({ Id: "s-endpoint-1", StartTimestamp: e.time.toISOString() })
  })

  it("the service's own per-event 400 (a numeric Timestamp) is an InvalidRequest for that event only", async () => {
    const client = new PinpointClient({ ...emulatorClientConfig(emulator()), maxAttempts: 1 })
    const adapter = pinpoint({ applicationId: "app-1", client })
    const [good, other] = encodeAll(adapter, [event(), event()])
    const bad = { ...other!, event: { ...other!.event, Timestamp: "1700000000" } }
    const results = await Effect.runPromise(
      adapter.send({ entries: [good!, bad], batchKey: "app-1", attempt: 1 }),
    )
    expect(results[0]).toEqual({ ok: true })
    expect(entryErrorOf(results[1])).toMatchObject({
      code: "InvalidRequest",
      retryable: false,
      rawCode: "400",
    })
    await Effect.runPromise(adapter.close)
    client.destroy()
  })

  it("packs 250 events into 100-event requests, and byte-heavy events under 4 MB", async () => {
    const adapter = adapterFor()
    const pack = (events: ReadonlyArray<Event>) => {
      const items = events.map((e) => {
        const r = adapter.encode(e)
        if (r._tag !== "Encoded") throw new Error("rejected")
        return { ...r, id: e.id }
      })
      return packBatches(items, adapter.limits).batches
    }
    const sendAll = async (batches: ReturnType<typeof pack>) => {
      for (const batch of batches) {
        const results = await Effect.runPromise(
          adapter.send({ entries: batch.items.map((i) => i.entry), batchKey: batch.batchKey, attempt: 1 }),
        )
        expect(results.every((r) => r.ok)).toBe(true)
      }
    }
    await sendAll(pack(Array.from({ length: 250 }, (_, i) => event({ subject: `ep-${i % 7}` }))))
    expect(entriesPerRequest(emulator())).toEqual([100, 100, 50])

    emulator().reset()
    // 40 attributes of 200 characters ≈ 9 KB per event: byte-bound, not count-bound.
    const heavy = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, "x".repeat(200)]))
    const heavyAdapter = adapterFor({ eventType: () => "t".repeat(90_000) })
    const heavyItems = Array.from({ length: 100 }, () => {
      const e = event({ data: heavy })
      const r = heavyAdapter.encode(e)
      if (r._tag !== "Encoded") throw new Error("rejected")
      return { ...r, id: e.id }
    })
    const batches = packBatches(heavyItems, heavyAdapter.limits).batches
    expect(batches.length).toBeGreaterThan(1)
    for (const batch of batches) {
      expect(batch.bytes).toBeLessThanOrEqual(limits.maxRequestBytes)
      const results = await Effect.runPromise(
        heavyAdapter.send({ entries: batch.items.map((i) => i.entry), batchKey: batch.batchKey, attempt: 1 }),
      )
      expect(results.every((r) => r.ok)).toBe(true)
    }
    expect(emulator().store.pinpoint.count).toBe(100)
    expect(emulator().requests.counts().byStatus).toEqual({ "202": batches.length })
  })

  it("the per-event size rule matches the emulator's at the 1,000 KB boundary", async () => {
    const client = new PinpointClient({ ...emulatorClientConfig(emulator()), maxAttempts: 1 })
    const base = event({ data: null })
    const wireSize = (typeLength: number) =>
      Buffer.byteLength(
        JSON.stringify({ EventType: "t".repeat(typeLength), Timestamp: base.time.toISOString() }),
      )
    const fitting = limits.maxEventBytes - wireSize(0)
    const at = pinpoint({ applicationId: "app-1", client, eventType: () => "t".repeat(fitting) })
    const over = pinpoint({ applicationId: "app-1", client, eventType: () => "t".repeat(fitting + 1) })
    expect(at.encode(base)._tag).toBe("Encoded")
    expect(over.encode(base)).toMatchObject({ _tag: "Rejected", violations: [{ rule: "maxEventBytes" }] })
    // Sent anyway (bypassing encode), the emulator refuses the larger one and takes the other.
    const [entry] = encodeAll(at, [base])
    const tooBig = {
      ...entry!,
      eventId: "too-big",
      event: { ...entry!.event, EventType: "t".repeat(fitting + 1) },
    }
    const results = await Effect.runPromise(
      at.send({ entries: [entry!, tooBig], batchKey: "app-1", attempt: 1 }),
    )
    expect(results[0]).toEqual({ ok: true })
    expect(entryErrorOf(results[1])).toMatchObject({ code: "InvalidRequest" })
    client.destroy()
  })

  it("property: whatever encode accepts, the emulator accepts", async () => {
    const data = fc.dictionary(
      fc.string({ minLength: 1, maxLength: 50 }),
      fc.oneof(
        fc.string({ maxLength: 200 }),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.boolean(),
      ),
      { maxKeys: 40 },
    )
    const inputs = fc.sample(
      fc.tuple(data, fc.string({ minLength: 1, maxLength: 20 }), fc.string({ minLength: 1 })),
      {
        numRuns: 60,
        seed: 11,
      },
    )
    const adapter = adapterFor()
    const events = inputs.map(([d, subject, type]) => event({ data: d, subject, type }))
    const results = await sendBatch(adapter, events)
    expect(results.filter((r) => !r.ok)).toEqual([])
    expect(emulator().store.pinpoint.count).toBe(events.length)
  })
})

describe("reading PutEvents results", () => {
  const entries = (ids: ReadonlyArray<[string, string]>): ReadonlyArray<PinpointEntry> =>
    ids.map(([endpointId, eventId]) => ({
      applicationId: "app",
      endpointId,
      endpoint: {},
      eventId,
      event: { EventType: "t", Timestamp: "2026-01-01T00:00:00Z" },
    }))

  it("an event missing from Results is Failed Unknown with an unknown outcome", () => {
    const results = readPutEventsResults(
      entries([
        ["a", "1"],
        ["a", "2"],
        ["b", "3"],
      ]),
      {
        EventsResponse: {
          Results: { a: { EventsItemResponse: { "1": { StatusCode: 202, Message: "Accepted" } } } },
        },
      },
    )
    expect(results[0]).toEqual({ ok: true })
    for (const r of results.slice(1))
      expect(entryErrorOf(r)).toMatchObject({ code: "Unknown", retryable: false, outcomeUnknown: true })
  })

  it("looks only at own keys, so inherited names never count as results", () => {
    const results = readPutEventsResults(entries([["toString", "constructor"]]), {
      EventsResponse: { Results: {} },
    })
    expect(entryErrorOf(results[0])).toMatchObject({ outcomeUnknown: true })
  })
})

describe("pinpoint through the publisher", () => {
  const fastRetry = { baseDelayMs: 1, maxDelayMs: 5, throttledBaseDelayMs: 1 }
  const publisherFor = (options: Partial<PinpointOptions> = {}, maxAttempts = 5) =>
    createPublisher({
      destinations: { pp: adapterFor(options) },
      retry: { ...fastRetry, maxAttempts },
    })

  it("mixed valid and invalid events: invalid Rejected with id, field and rule, the rest Delivered", async () => {
    const publisher = publisherFor({
      session: (e) => (e.type === "no.start" ? ({ Id: "s" } as never) : undefined),
    })
    const result = await publisher.publish([
      { id: "ok-1", type: "t", source: "app", subject: "ep", data: { a: "x" } },
      { id: "no-subject", type: "t", source: "app", data: {} },
      { id: "long-attr", type: "t", source: "app", subject: "ep", data: { note: "n".repeat(201) } },
      { id: "no-start", type: "no.start", source: "app", subject: "ep", data: {} },
      { id: "ok-2", type: "t", source: "app", subject: "ep", data: { m: 1 } },
    ])
    expect(result.counts.pp).toMatchObject({ delivered: 2, rejected: 3, failed: 0, requests: 1 })
    expect(result.forEvent("no-subject")[0]).toMatchObject({
      violations: [{ field: "subject", rule: "required" }],
    })
    expect(result.forEvent("long-attr")[0]).toMatchObject({
      violations: [{ field: "data.note", rule: "attributeValueLength" }],
    })
    const noStart = result.forEvent("no-start")[0]
    expect(noStart).toMatchObject({ violations: [{ field: "session.StartTimestamp", rule: "required" }] })
    expect(noStart?._tag === "Rejected" && noStart.message).toMatch(/no-start.*session\.StartTimestamp/)
    expect(emulator().store.pinpoint.entries.map((e) => e.eventId)).toEqual(["ok-1", "ok-2"])
    await publisher.close()
  })

  it("invalid events alone send no request", async () => {
    const publisher = publisherFor()
    const tooMany = Object.fromEntries(Array.from({ length: 41 }, (_, i) => [`k${i}`, i]))
    const result = await publisher.publish([
      { type: "t", source: "app", data: {} },
      { type: "t", source: "app", subject: "ep", data: tooMany },
    ])
    expect(result.counts.pp).toMatchObject({ rejected: 2, requests: 0 })
    expect(emulator().requests.counts().total).toBe(0)
    await publisher.close()
  })

  it("batches by count (100 per request) and by bytes (4 MB per request), per application", async () => {
    const publisher = publisherFor({ applicationId: (e) => (e.source === "b" ? "app-b" : "app-a") })
    const small = Array.from({ length: 230 }, (_, i) =>
      event({ source: i < 30 ? "b" : "a", subject: `ep-${i % 9}` }),
    )
    const first = await publisher.publish(small)
    expect(first.ok).toBe(true)
    expect(entriesPerRequest(emulator())).toEqual([100, 100, 30])
    expect(emulator().store.counts().pinpoint.byTarget).toEqual({ "app-a": 200, "app-b": 30 })
    await publisher.close()

    emulator().reset()
    // ~500 KB per event: 8 fit in 4 MB, so 20 events take 3 requests.
    const heavyPublisher = publisherFor({ eventType: (e) => `${e.type}.${"x".repeat(500_000)}` })
    const heavy = await heavyPublisher.publish(Array.from({ length: 20 }, () => event()))
    expect(heavy.ok).toBe(true)
    const sizes = entriesPerRequest(emulator())
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(20)
    expect(Math.max(...sizes)).toBeLessThanOrEqual(8)
    expect(sizes.length).toBe(3)
    await heavyPublisher.close()
  })
})
