/**
 * The adapter against the emulator, with the real SDK client over HTTP: what is stored, what each
 * error code becomes, and what the emulator received per request.
 */
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge"
import { putEventsEntrySize as emulatorEntrySize } from "@eventport/aws-emulator"
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
  type RetryOptions,
} from "@eventport/core"
import { Effect } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { classifyRequestError, type EventBridgeOptions, eventBridge } from "../src/index.ts"
import { readPutEventsResults } from "../src/internal/PutEventsResults.ts"

const emulator = useEmulator()

const adapterFor = (options: EventBridgeOptions = {}) =>
  eventBridge({ clientConfig: emulatorClientConfig(emulator()), ...options })

const event = (fields: Partial<EventInput> = {}): Event =>
  createEvent({ type: "order.created", source: "shop", data: { orderId: 42 }, ...fields })

describe("eventBridge against the emulator", () => {
  it("delivers entries to several buses in one request, with EventIds as receipts", async () => {
    const adapter = adapterFor({ eventBusName: (e) => (e.type === "audit" ? "audit" : "orders") })
    const time = new Date("2026-11-02T08:30:00.250Z")
    const events = [event({ time }), event({ type: "audit", data: { who: "ana" } }), event()]
    const results = await sendBatch(adapter, events)

    expect(results.map((r) => r.ok)).toEqual([true, true, true])
    const orders = emulator().store.entriesFor("eventbridge", "orders")
    const audit = emulator().store.entriesFor("eventbridge", "audit")
    expect(orders).toHaveLength(2)
    expect(audit).toHaveLength(1)
    expect(results.map((r) => (r.ok ? r.receipt : undefined))).toEqual([
      orders[0]!.eventId,
      audit[0]!.eventId,
      orders[1]!.eventId,
    ])
    expect(orders[0]).toMatchObject({ source: "shop", detailType: "order.created", detail: '{"orderId":42}' })
    expect(orders[0]!.time.getTime()).toBe(time.getTime())
    expect(emulator().requests.counts().total).toBe(1)
    await Effect.runPromise(adapter.close)
  })

  it("sends Resources and TraceHeader; the default bus when none is named", async () => {
    const adapter = adapterFor({ resources: ["arn:aws:s3:::bucket"], traceHeader: (e) => `Root=1-${e.id}` })
    const e = event()
    await sendBatch(adapter, [e])
    const [stored] = emulator().store.entriesFor("eventbridge", "default")
    expect(stored).toMatchObject({ resources: ["arn:aws:s3:::bucket"], traceHeader: `Root=1-${e.id}` })
  })

  it("the service's own per-entry rejection (an entry without Detail) is InvalidArgument, not retryable", async () => {
    const client = new EventBridgeClient({ ...emulatorClientConfig(emulator()), maxAttempts: 1 })
    const adapter = eventBridge({ client })
    const [good] = encodeAll(adapter, [event()])
    const { Detail: _, ...noDetail } = good!
    const results = await Effect.runPromise(
      adapter.send({ entries: [good!, noDetail], batchKey: undefined, attempt: 1 }),
    )
    expect(results[0]?.ok).toBe(true)
    expect(entryErrorOf(results[1])).toMatchObject({
      code: "InvalidRequest",
      retryable: false,
      rawCode: "InvalidArgument",
    })
    client.destroy()
  })

  it("a bare HTTP 413 is PayloadTooLarge, not retryable", async () => {
    // The emulator answers bodies over 16 MiB with a bare 413, as AWS's front end does.
    const adapter = adapterFor({ maxRequestBytes: Number.POSITIVE_INFINITY })
    const failure = await sendFailingBatch(adapter, [event({ data: { blob: "x".repeat(17 * 1024 * 1024) } })])
    expect(failure).toMatchObject({ code: "PayloadTooLarge", retryable: false, httpStatus: 413 })
  })

  it("leaves a caller's client open on close", async () => {
    const client = new EventBridgeClient({ ...emulatorClientConfig(emulator()), maxAttempts: 1 })
    const adapter = eventBridge({ client })
    await Effect.runPromise(adapter.close)
    const output = await client.send(
      new PutEventsCommand({ Entries: [{ Source: "s", DetailType: "t", Detail: "{}" }] }),
    )
    expect(output.FailedEntryCount).toBe(0)
    client.destroy()
  })
})

describe("entry size: the adapter's rule is the emulator's", () => {
  it("an entry of exactly maxRequestBytes by the adapter's measure is accepted at the same emulator limit", async () => {
    await emulator.restart({ limits: { eventBridgeMaxRequestBytes: 1000 } })
    const adapter = adapterFor({ maxRequestBytes: 1000 })
    const base = event({ data: { p: "" } })
    const baseBytes = (adapter.encode(base) as { bytes: number }).bytes
    const exact = event({ data: { p: "y".repeat(1000 - baseBytes) } })
    expect((adapter.encode(exact) as { bytes: number }).bytes).toBe(1000)
    expect((await sendBatch(adapter, [exact]))[0]?.ok).toBe(true)
    expect(emulator().store.eventbridge.count).toBe(1)
  })

  it("for arbitrary events, the adapter's size equals the emulator's on the wire entry", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 128 }),
        fc.string({ minLength: 1 }),
        fc.dictionary(fc.string(), fc.string()),
        fc.array(fc.string({ maxLength: 50 }), { maxLength: 3 }),
        (type, source, data, resources) => {
          const result = eventBridge({ clientConfig: emulatorClientConfig(emulator()), resources }).encode(
            createEvent({ type, source, data }),
          )
          if (result._tag !== "Encoded") return
          const wire = { ...result.entry, Time: result.entry.Time!.getTime() / 1000 }
          expect(result.bytes).toBe(emulatorEntrySize(wire))
        },
      ),
    )
  })

  it("a request the emulator refuses as over the size limit is what the adapter would have split", async () => {
    await emulator.restart({ limits: { eventBridgeMaxRequestBytes: 1000 } })
    const adapter = adapterFor({ maxRequestBytes: 1000 })
    const events = [event({ data: { p: "y".repeat(480) } }), event({ data: { p: "y".repeat(480) } })]
    const total = events.reduce((sum, e) => sum + (adapter.encode(e) as { bytes: number }).bytes, 0)
    expect(total).toBeGreaterThan(1000)
    const failure = await sendFailingBatch(adapter, events)
    expect(failure).toMatchObject({ code: "InvalidRequest", rawCode: "ValidationException" })
    expect(failure.rawMessage).toContain("over the limit")
  })
})

describe("reading a PutEvents response", () => {
  const ok = (EventId: string) => ({ EventId })
  const failed = (ErrorCode: string) => ({ ErrorCode, ErrorMessage: `${ErrorCode} message` })

  it("maps entries by index: receipts for EventIds, classified errors for ErrorCodes", () => {
    const results = readPutEventsResults(3, {
      FailedEntryCount: 1,
      Entries: [ok("a"), failed("ThrottlingException"), ok("c")],
    })
    expect(results).toMatchObject([
      { ok: true, receipt: "a" },
      { ok: false, error: { code: "Throttled", retryable: true, rawCode: "ThrottlingException" } },
      { ok: true, receipt: "c" },
    ])
  })

  it("an entry missing from a short response, or with neither EventId nor ErrorCode, has an unknown outcome", () => {
    const results = readPutEventsResults(3, { FailedEntryCount: 2, Entries: [ok("a"), {}] })
    expect(results[0]).toEqual({ ok: true, receipt: "a" })
    for (const result of results.slice(1))
      expect(entryErrorOf(result)).toMatchObject({ code: "Unknown", retryable: false, outcomeUnknown: true })
    expect(entryErrorOf(results[2]).rawMessage).toContain("2 entries for 3 sent")
  })

  it("a FailedEntryCount above the listed failures puts the listed successes in doubt", () => {
    const results = readPutEventsResults(3, {
      FailedEntryCount: 2,
      Entries: [ok("a"), failed("InternalFailure"), ok("c")],
    })
    expect(entryErrorOf(results[0])).toMatchObject({ code: "Unknown", outcomeUnknown: true })
    expect(entryErrorOf(results[0]).rawMessage).toContain(
      "FailedEntryCount is 2 but the response lists 1 failed of 3",
    )
    expect(entryErrorOf(results[1])).toMatchObject({ code: "InternalFailure", retryable: true })
    expect(entryErrorOf(results[2])).toMatchObject({ code: "Unknown", outcomeUnknown: true })
  })

  it("a FailedEntryCount below the listed failures marks those failures as possibly applied", () => {
    const results = readPutEventsResults(2, {
      FailedEntryCount: 0,
      Entries: [ok("a"), failed("InternalFailure")],
    })
    expect(results[0]).toEqual({ ok: true, receipt: "a" })
    expect(entryErrorOf(results[1])).toMatchObject({
      code: "InternalFailure",
      retryable: true,
      outcomeUnknown: true,
    })
  })

  it("a missing FailedEntryCount counts as 0 (the Smithy default)", () => {
    expect(readPutEventsResults(1, { Entries: [ok("a")] })).toEqual([{ ok: true, receipt: "a" }])
  })
})

describe("classifyRequestError", () => {
  it("falls back on the core for errors the table does not name", () => {
    const reset = Object.assign(new Error("read ECONNREFUSED"), { code: "ECONNREFUSED" })
    expect(classifyRequestError(reset)).toMatchObject({
      code: "Network",
      retryable: true,
      outcomeUnknown: false,
    })
    const teapot = Object.assign(new Error("?"), {
      name: "SomethingElse",
      $metadata: { httpStatusCode: 503 },
    })
    expect(classifyRequestError(teapot)).toMatchObject({
      code: "Unavailable",
      retryable: true,
      httpStatus: 503,
    })
  })
})

describe("eventBridge through the publisher", () => {
  const fastRetry = { baseDelayMs: 1, maxDelayMs: 5, throttledBaseDelayMs: 1 }
  const publisherFor = (options: EventBridgeOptions = {}, retry: RetryOptions = fastRetry) =>
    createPublisher({
      destinations: { bus: adapterFor({ eventBusName: "orders", ...options }) },
      retry,
    })
  const inputs = (n: number, data: (i: number) => JsonValue = (i) => ({ i })) =>
    Array.from({ length: n }, (_, i) => ({
      id: `e-${i}`,
      type: "order.created",
      source: "shop",
      data: data(i),
    }))

  it("packs 25 events into requests of at most 10 entries", async () => {
    await using publisher = publisherFor()
    const result = await publisher.publish(inputs(25))
    expect(result.ok).toBe(true)
    expect(result.delivered).toBe(25)
    expect(entriesPerRequest(emulator())).toEqual([10, 10, 5])
    expect(emulator().store.eventbridge.count).toBe(25)
    for (const outcome of result.outcomes)
      expect(outcome._tag === "Delivered" && typeof outcome.receipt).toBe("string")
  })

  it("packs by AWS's entry size: no request goes over maxRequestBytes", async () => {
    await emulator.restart({ limits: { eventBridgeMaxRequestBytes: 1000 } })
    await using publisher = publisherFor({ maxRequestBytes: 1000 })
    // Each entry is 14 + 4 ("shop") + 13 ("order.created") + 308 (Detail) = 339 bytes: three do not fit in 1000.
    const result = await publisher.publish(inputs(6, () => ({ p: "y".repeat(300) })))
    expect(result.ok).toBe(true)
    expect(entriesPerRequest(emulator())).toEqual([2, 2, 2])
    expect(emulator().store.eventbridge.count).toBe(6)
  })

  it("rejects invalid events before sending, naming event, field and rule; the rest is delivered", async () => {
    await using publisher = publisherFor()
    const result = await publisher.publish([
      { id: "ok-1", type: "order.created", source: "shop", data: { a: 1 } },
      { id: "long-type", type: "t".repeat(129), source: "shop", data: { a: 1 } },
      { id: "array-data", type: "order.created", source: "shop", data: [1, 2] },
      { id: "ok-2", type: "order.created", source: "shop", data: { a: 2 } },
    ])
    expect(result.outcomes.map((o) => [o.eventId, o._tag])).toEqual(
      expect.arrayContaining([
        ["ok-1", "Delivered"],
        ["long-type", "Rejected"],
        ["array-data", "Rejected"],
        ["ok-2", "Delivered"],
      ]),
    )
    const longType = result.forEvent("long-type")[0]
    expect(longType?._tag === "Rejected" && longType.message).toMatch(/long-type.*type.*128.*maxLength/)
    const arrayData = result.forEvent("array-data")[0]
    expect(arrayData?._tag === "Rejected" && arrayData.violations[0]).toMatchObject({
      field: "data",
      rule: "jsonObject",
    })
    expect(entriesPerRequest(emulator())).toEqual([2])
  })

  it("sends no request when every event is invalid", async () => {
    await using publisher = publisherFor()
    const result = await publisher.publish([{ type: "t".repeat(200), source: "shop", data: {} }])
    expect(result.rejected).toBe(1)
    expect(emulator().requests.counts().total).toBe(0)
  })

  it("rejects an entry over maxRequestBytes by AWS's size before any request", async () => {
    await using publisher = publisherFor()
    const result = await publisher.publish(inputs(1, () => ({ p: "y".repeat(1_000_000) })))
    expect(result.rejected).toBe(1)
    expect(emulator().requests.counts().total).toBe(0)
  })

  it("delivers a 600 KB event by default (the 2026 limit), and rejects it with maxRequestBytes: 262144", async () => {
    // Earlier tests here leave an emulator with a small limit: this one needs the defaults.
    await emulator.restart()
    const big = () => ({ p: "y".repeat(600_000) })
    {
      await using publisher = publisherFor()
      const result = await publisher.publish(inputs(2, big))
      expect(result.delivered).toBe(2)
      // Two 600 KB entries never share a 1,000,000-byte request.
      expect(emulator().requests.counts().total).toBe(2)
    }
    {
      await using publisher = publisherFor({ maxRequestBytes: 262_144 })
      const result = await publisher.publish(inputs(1, big))
      expect(result.rejected).toBe(1)
      expect(result.outcomes[0]).toMatchObject({ _tag: "Rejected" })
    }
  })
})
