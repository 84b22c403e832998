import { describe, expect, it } from "@effect/vitest"
import { type Batch, createEvent, DeliveryError, type Event, isAdapter, toCloudEvent } from "@eventport/core"
import { eventBridge, limits as eventBridgeLimits } from "@eventport/eventbridge"
import { Effect, Exit, Fiber, Option } from "effect"
import { TestClock } from "effect/testing"
import { cloudEventJsonBytes, eventBridgeEntryBytes, memory, memoryLimits } from "../src/index.ts"

const event = (i: number, fields: Partial<{ type: string; data: unknown }> = {}): Event =>
  createEvent({
    id: `e${i}`,
    type: fields.type ?? "order.created",
    source: "shop",
    time: new Date("2026-01-01T00:00:00.000Z"),
    data: (fields.data ?? { n: i }) as never,
  })
const events = (n: number, from = 0) => Array.from({ length: n }, (_, i) => event(from + i))
const batch = (entries: ReadonlyArray<Event>, attempt = 1, batchKey?: string): Batch<Event> => ({
  entries,
  attempt,
  batchKey,
})
const send = (adapter: ReturnType<typeof memory>, b: Batch<Event>) => Effect.runPromiseExit(adapter.send(b))
const failure = (exit: Exit.Exit<unknown, DeliveryError>): DeliveryError => {
  if (Exit.isSuccess(exit)) throw new Error("expected the send to fail")
  const error = exit.cause.reasons.find((r) => r._tag === "Fail")
  if (error === undefined || error._tag !== "Fail") throw new Error("expected a typed failure")
  return error.error
}

describe("encode", () => {
  it("measures the event's CloudEvents JSON size and carries the event as the entry", () => {
    const adapter = memory()
    const e = event(1, { data: { text: "héllo" } })
    const result = adapter.encode(e)
    expect(isAdapter(adapter)).toBe(true)
    expect(result).toEqual({
      _tag: "Encoded",
      entry: e,
      bytes: Buffer.byteLength(JSON.stringify(toCloudEvent(e)), "utf8"),
    })
    expect(cloudEventJsonBytes(e)).toBe((result as { bytes: number }).bytes)
  })

  it("adds the batch key from the option", () => {
    const adapter = memory({ batchKey: (e) => e.type })
    expect(adapter.encode(event(1, { type: "a" }))).toMatchObject({ batchKey: "a" })
  })

  it("measures by the EventBridge rule with the eventBridge preset", () => {
    const adapter = memory({ limits: memoryLimits.eventBridge })
    const e = event(1, { data: { k: "v" } })
    expect(adapter.limits).toEqual({ maxEntries: 10, maxRequestBytes: 1_000_000, maxEntryBytes: 1_000_000 })
    expect(adapter.encode(e)).toMatchObject({ bytes: 14 + 4 + 13 + JSON.stringify({ k: "v" }).length })
    expect(eventBridgeEntryBytes(e)).toBe(14 + 4 + 13 + 9)
  })

  it("the eventBridge presets match the EventBridge adapter, by default and with the pre-2026 limit", () => {
    const clientConfig = { region: "us-east-1" }
    expect(memory({ limits: memoryLimits.eventBridge }).limits).toEqual(eventBridge({ clientConfig }).limits)
    expect(memory({ limits: memoryLimits.eventBridgeBefore2026 }).limits).toEqual(
      eventBridge({ clientConfig, maxRequestBytes: eventBridgeLimits.maxRequestBytesBefore2026 }).limits,
    )
    expect(memoryLimits.eventBridgeBefore2026).toMatchObject({
      maxRequestBytes: 262_144,
      maxEntryBytes: 262_144,
      entryBytes: eventBridgeEntryBytes,
    })
  })

  it("has presets for each AWS adapter", () => {
    expect(memory({ limits: memoryLimits.iotEvents }).limits.maxEntries).toBe(10)
    expect(memory({ limits: memoryLimits.iotAnalytics }).limits.maxEntries).toBe(100)
    expect(memory({ limits: memoryLimits.pinpoint }).limits).toEqual({
      maxEntries: 100,
      maxRequestBytes: 4 * 1024 * 1024,
      maxEntryBytes: 1000 * 1024,
    })
    expect(memory().limits).toEqual({
      maxEntries: 500,
      maxRequestBytes: 1024 * 1024,
      maxEntryBytes: 256 * 1024,
    })
  })
})

describe("query helpers", () => {
  it("record what was accepted, per request, with batch keys and attempts", async () => {
    const adapter = memory({ batchKey: (e) => (Number(e.id.slice(1)) < 2 ? "a" : "b") })
    const [e0, e1, e2] = events(3)
    await send(adapter, batch([e0!, e1!], 1, "a"))
    await send(adapter, batch([e2!], 2, "b"))
    expect(adapter.received).toEqual([e0, e1, e2])
    expect(adapter.events()).toEqual([e0, e1, e2])
    expect(adapter.events((e) => e.id === "e1")).toEqual([e1])
    expect(adapter.find((e) => e.id === "e2")).toBe(e2)
    expect(adapter.find((e) => e.id === "nope")).toBeUndefined()
    expect(adapter.count).toBe(3)
    expect(adapter.requestCount).toBe(2)
    expect(
      adapter.requests.map((r) => [r.sequence, r.attempt, r.batchKey, r.entries.map((e) => e.id)]),
    ).toEqual([
      [1, 1, "a", ["e0", "e1"]],
      [2, 2, "b", ["e2"]],
    ])
    expect(adapter.entries()).toEqual([
      { event: e0, batchKey: "a", request: 1, attempt: 1 },
      { event: e1, batchKey: "a", request: 1, attempt: 1 },
      { event: e2, batchKey: "b", request: 2, attempt: 2 },
    ])
  })

  it("answers ok for each entry, with receipts when asked", async () => {
    const plain = await send(memory(), batch(events(2)))
    expect(plain).toEqual(Exit.succeed([{ ok: true }, { ok: true }]))
    const withReceipts = await send(memory({ receipts: true, kind: "mem" }), batch(events(2)))
    expect(withReceipts).toEqual(
      Exit.succeed([
        { ok: true, receipt: "mem-1" },
        { ok: true, receipt: "mem-2" },
      ]),
    )
  })

  it("copies the batch, so an engine reusing its array cannot change the record", async () => {
    const adapter = memory()
    const entries = events(2)
    await send(adapter, batch(entries))
    entries.pop()
    expect(adapter.received).toHaveLength(2)
  })

  it("reset forgets records and faults", async () => {
    const adapter = memory()
    adapter.faults.throttleNextRequests(5)
    await send(adapter, batch(events(1)))
    adapter.reset()
    expect(adapter.requests).toEqual([])
    expect(adapter.count).toBe(0)
    expect(Exit.isSuccess(await send(adapter, batch(events(1))))).toBe(true)
    expect(adapter.requests[0]!.sequence).toBe(1)
  })
})

describe("options", () => {
  it("refuses a name that is not an option, in the options and in limits, naming the one it meant", () => {
    expect(() => memory({ recordMode: "count" } as never)).toThrow(
      new TypeError("memory: option recordMode is not an option, did you mean record? (optionName)"),
    )
    expect(() => memory({ limits: { maxEntry: 2 } } as never)).toThrow(
      new TypeError("memory: option limits.maxEntry is not an option, did you mean maxEntries? (optionName)"),
    )
    expect(() => memory({ limits: 5 } as never)).toThrow(
      new TypeError("memory: option limits must be an object, got 5"),
    )
  })
})

describe("record modes", () => {
  it('"count" keeps counts only and says so when asked for events', async () => {
    const adapter = memory({ record: "count" })
    await send(adapter, batch(events(3)))
    expect(adapter.count).toBe(3)
    expect(adapter.requestCount).toBe(1)
    expect(() => adapter.received).toThrow(/record is "count"/)
    expect(() => adapter.events()).toThrow(/needs recorded requests/)
  })

  it("false keeps nothing", async () => {
    const adapter = memory({ record: false })
    await send(adapter, batch(events(3)))
    expect(adapter.count).toBe(0)
    expect(() => adapter.requests).toThrow(/record is false/)
  })

  it("maxRecordedEntries stops the recording but not the counts", async () => {
    const adapter = memory({ maxRecordedEntries: 3 })
    await send(adapter, batch(events(2)))
    await send(adapter, batch(events(2, 2)))
    expect(adapter.received.map((e) => e.id)).toEqual(["e0", "e1"])
    expect(adapter.truncated).toBe(true)
    expect(adapter.count).toBe(4)
    expect(() => memory({ maxRecordedEntries: -1 })).toThrow(RangeError)
  })
})

describe("limits enforced by the destination", () => {
  it("fails a request with more entries than maxEntries, whole and permanently", async () => {
    const adapter = memory({ limits: { maxEntries: 2 } })
    const error = failure(await send(adapter, batch(events(3))))
    expect(error).toMatchObject({ code: "InvalidRequest", retryable: false, rawCode: "MemoryTooManyEntries" })
    expect(adapter.received).toEqual([])
    expect(adapter.requests[0]!.error).toBe(error)
  })

  it("fails a request over maxRequestBytes (overhead included)", async () => {
    const es = events(2)
    const size = cloudEventJsonBytes(es[0]!) + cloudEventJsonBytes(es[1]!)
    const fits = memory({ limits: { maxRequestBytes: size } })
    expect(Exit.isSuccess(await send(fits, batch(es)))).toBe(true)
    const over = memory({ limits: { maxRequestBytes: size, requestOverheadBytes: 1 } })
    expect(failure(await send(over, batch(es)))).toMatchObject({ code: "PayloadTooLarge", retryable: false })
  })

  it("fails an over-size entry alone and keeps the rest", async () => {
    const small = event(0)
    const big = event(1, { data: { pad: "x".repeat(200) } })
    const adapter = memory({ limits: { maxEntryBytes: cloudEventJsonBytes(small) } })
    const exit = await send(adapter, batch([small, big]))
    expect(Exit.isSuccess(exit) && exit.value[1]).toMatchObject({
      ok: false,
      error: { code: "PayloadTooLarge", rawCode: "MemoryEntryTooLarge" },
    })
    expect(adapter.received).toEqual([small])
  })

  it("fails an entry sent under another batch key", async () => {
    const adapter = memory({ batchKey: (e) => e.type })
    const exit = await send(adapter, batch([event(0, { type: "a" }), event(1, { type: "b" })], 1, "a"))
    expect(Exit.isSuccess(exit) && exit.value.map((r) => r.ok)).toEqual([true, false])
  })

  it("does not check when enforceLimits is false", async () => {
    const adapter = memory({ limits: { maxEntries: 1 }, enforceLimits: false })
    expect(Exit.isSuccess(await send(adapter, batch(events(3))))).toBe(true)
  })

  it("refuses invalid limits through defineAdapter", () => {
    expect(() => memory({ limits: { maxEntries: 0 } })).toThrow(/maxEntries must be a positive integer/)
  })
})

describe("faults", () => {
  it("failEvents fails matching entries with the code, retryable by the code's default", async () => {
    const adapter = memory()
    adapter.faults.failEvents((e) => e.id === "e1", { code: "InvalidRequest" })
    adapter.faults.failEventIds(["e2"], { code: "Unavailable", rawMessage: "down" })
    const exit = await send(adapter, batch(events(3)))
    if (!Exit.isSuccess(exit)) throw new Error("expected per-entry results")
    expect(exit.value[0]).toEqual({ ok: true })
    expect(exit.value[1]).toMatchObject({ ok: false, error: { code: "InvalidRequest", retryable: false } })
    expect(exit.value[2]).toMatchObject({
      ok: false,
      error: { code: "Unavailable", retryable: true, rawCode: "MemoryUnavailable", rawMessage: "down" },
    })
    expect(adapter.received.map((e) => e.id)).toEqual(["e0"])
  })

  it("failEvents can override retryable and fail only the first N sends of each event", async () => {
    const adapter = memory()
    adapter.faults.failEvents(() => true, { code: "InvalidRequest", retryable: true, times: 2 })
    const [e0, e1] = events(2)
    const first = await send(adapter, batch([e0!, e1!]))
    expect(Exit.isSuccess(first) && first.value.map((r) => !r.ok && r.error.retryable)).toEqual([true, true])
    const second = await send(adapter, batch([e0!], 2))
    expect(Exit.isSuccess(second) && second.value[0]!.ok).toBe(false)
    const third = await send(adapter, batch([e0!, e1!], 3))
    expect(Exit.isSuccess(third) && third.value.map((r) => r.ok)).toEqual([true, false])
    expect(adapter.received).toEqual([e0])
  })

  it("throttleNextRequests fails whole requests with Throttled, then lets requests through", async () => {
    const adapter = memory()
    adapter.faults.throttleNextRequests(2)
    const errors = [
      failure(await send(adapter, batch(events(1)))),
      failure(await send(adapter, batch(events(1)))),
    ]
    for (const error of errors)
      expect(error).toMatchObject({ code: "Throttled", retryable: true, httpStatus: 429 })
    expect(Exit.isSuccess(await send(adapter, batch(events(1))))).toBe(true)
    expect(adapter.requests.map((r) => r.error?.code)).toEqual(["Throttled", "Throttled", undefined])
  })

  it("failNextRequests fails in script order with the given code or error", async () => {
    const adapter = memory()
    adapter.faults
      .failNextRequests(1, "Unavailable")
      .failNextRequests(1, { code: "Unavailable", retryable: false })
    expect(failure(await send(adapter, batch(events(1))))).toMatchObject({
      code: "Unavailable",
      retryable: true,
    })
    expect(failure(await send(adapter, batch(events(1))))).toMatchObject({
      code: "Unavailable",
      retryable: false,
    })
    expect(Exit.isSuccess(await send(adapter, batch(events(1))))).toBe(true)
    expect(() => adapter.faults.failNextRequests(-1, "Unknown")).toThrow(RangeError)
  })

  it("applyThenFail records the entries and fails with outcomeUnknown, so a resend duplicates", async () => {
    const adapter = memory()
    adapter.faults.applyThenFail(1)
    const e = event(0)
    const error = failure(await send(adapter, batch([e])))
    expect(error).toMatchObject({ code: "Timeout", retryable: true, outcomeUnknown: true })
    expect(DeliveryError.isInstance(error)).toBe(true)
    await send(adapter, batch([e], 2))
    expect(adapter.received).toEqual([e, e])
  })

  it.effect("latency delays the answer on Effect's clock", () =>
    Effect.gen(function* () {
      const adapter = memory()
      adapter.faults.latency(1_000)
      const fiber = yield* Effect.forkChild(adapter.send(batch(events(1))))
      yield* TestClock.adjust(999)
      expect(fiber.pollUnsafe()).toBeUndefined()
      expect(adapter.requestCount).toBe(0)
      yield* TestClock.adjust(1)
      const results = yield* Fiber.join(fiber)
      expect(results).toEqual([{ ok: true }])
      expect(adapter.count).toBe(1)
    }),
  )

  it.effect("latency can depend on the batch", () =>
    Effect.gen(function* () {
      const adapter = memory()
      adapter.faults.latency((b) => b.entries.length * 10)
      const fiber = yield* Effect.forkChild(adapter.send(batch(events(3))))
      yield* TestClock.adjust(29)
      expect(fiber.pollUnsafe()).toBeUndefined()
      yield* TestClock.adjust(1)
      expect(yield* Fiber.join(fiber)).toHaveLength(3)
    }),
  )

  it.effect("stallNextRequests never answers: a timeout ends it (applied or not)", () =>
    Effect.gen(function* () {
      const adapter = memory()
      adapter.faults.stallNextRequests(1, { apply: true }).stallNextRequests(1)
      for (let i = 0; i < 2; i++) {
        const fiber = yield* Effect.forkChild(
          adapter.send(batch([event(i)])).pipe(Effect.timeoutOption(5_000)),
        )
        yield* TestClock.adjust(5_000)
        expect(yield* Fiber.join(fiber)).toEqual(Option.none())
      }
      expect(adapter.received.map((e) => e.id)).toEqual(["e0"])
      expect(adapter.requests.map((r) => r.stalled)).toEqual([true, true])
    }),
  )

  it("failShare is deterministic under a seed and independent of request order", async () => {
    const es = events(2_000)
    const failedIds = async (order: ReadonlyArray<Event>, seed: number) => {
      const adapter = memory()
      adapter.faults.failShare(0.25, { seed })
      const failed: Array<string> = []
      for (let i = 0; i < order.length; i += 100) {
        const chunk = order.slice(i, i + 100)
        const exit = await send(adapter, batch(chunk))
        if (!Exit.isSuccess(exit)) throw new Error("expected per-entry results")
        exit.value.forEach((r, j) => {
          if (!r.ok) failed.push(chunk[j]!.id)
        })
      }
      return failed.sort()
    }
    const a = await failedIds(es, 7)
    const b = await failedIds(es.slice().reverse(), 7)
    const c = await failedIds(es, 8)
    expect(a).toEqual(b)
    expect(a).not.toEqual(c)
    // a share, not all or nothing: 25% of 2,000 within a wide margin
    expect(a.length).toBeGreaterThan(400)
    expect(a.length).toBeLessThan(600)
  })

  it("failShare draws again on a retry (attempt), so retries can succeed", async () => {
    const adapter = memory()
    adapter.faults.failShare(0.5, { seed: 1 })
    const es = events(200)
    const first = await send(adapter, batch(es.slice(0, 100)))
    if (!Exit.isSuccess(first)) throw new Error("expected per-entry results")
    const failed = es.slice(0, 100).filter((_, i) => !first.value[i]!.ok)
    const retry = await send(adapter, batch(failed, 2))
    if (!Exit.isSuccess(retry)) throw new Error("expected per-entry results")
    expect(retry.value.some((r) => r.ok)).toBe(true)
    expect(first.value.find((r) => !r.ok)).toMatchObject({
      error: { code: "InternalFailure", retryable: true },
    })
  })

  it("clear removes every fault", async () => {
    const adapter = memory()
    adapter.faults
      .throttleNextRequests(1)
      .failEvents(() => true, { code: "Unknown" })
      .failShare(1, { seed: 1 })
    adapter.faults.clear()
    expect(await send(adapter, batch(events(1)))).toEqual(Exit.succeed([{ ok: true }]))
  })
})
