import { createEvent, createPublisher, type EventInput } from "@eventport/core"
import { describe, expect, it, test } from "vitest"
import { cloudEventJsonBytes, memory, memoryLimits } from "../src/index.ts"

const fast = { baseDelayMs: 1, maxDelayMs: 5, throttledBaseDelayMs: 1, budget: false } as const
const inputs = (n: number, from = 0): Array<EventInput> =>
  Array.from({ length: n }, (_, i) => ({
    id: `o-${from + i}`,
    type: "order.created",
    source: "shop",
    data: { n: from + i },
  }))

// The README's example, as written there.
test("orders reach the audit destination, and a throttled request is retried", async () => {
  const audit = memory()
  const publisher = createPublisher({
    destinations: { audit },
    retry: { baseDelayMs: 1, throttledBaseDelayMs: 1 }, // keep the test fast
  })

  audit.faults.throttleNextRequests(1) // the first request fails whole with Throttled

  const result = await publisher.publish([
    { id: "o-1", type: "order.created", source: "shop", data: { total: 42 } },
    { id: "o-2", type: "order.created", source: "shop", data: { total: 7 } },
  ])

  expect(result.ok).toBe(true)
  expect(result.forEvent("o-1")[0]).toMatchObject({ _tag: "Delivered", attempts: 2 })
  expect(audit.received.map((e) => e.id)).toEqual(["o-1", "o-2"])
  expect(audit.requests.map((r) => r.error?.code)).toEqual(["Throttled", undefined])
  await publisher.close()
})

describe("limits, enforced by the engine when publishing through memory", () => {
  it("packs by maxEntries: no request over the limit reaches the destination", async () => {
    const dest = memory({ limits: memoryLimits.eventBridge })
    const publisher = createPublisher({ destinations: { dest } })
    const result = await publisher.publish(inputs(35))
    await publisher.close()
    expect(result.ok).toBe(true)
    expect(dest.requests.map((r) => r.entries.length)).toEqual([10, 10, 10, 5])
    expect(dest.requests.every((r) => r.error === undefined)).toBe(true)
  })

  it("packs by maxRequestBytes with memory's size rule, and rejects an over-size event before sending", async () => {
    const big = (id: string, pad: number): EventInput => ({
      id,
      type: "t",
      source: "s",
      time: "2026-01-01T00:00:00.000Z",
      data: { pad: "x".repeat(pad) },
    })
    const size = cloudEventJsonBytes(createEvent(big("b-0", 300)))
    const dest = memory({ limits: { maxRequestBytes: size * 3, maxEntryBytes: size + 50 } })
    const publisher = createPublisher({ destinations: { dest } })
    const events = Array.from({ length: 7 }, (_, i) => big(`b-${i}`, 300))
    const result = await publisher.publish([...events, big("huge", 1_000)])
    await publisher.close()
    expect(result.counts.dest).toMatchObject({ delivered: 7, rejected: 1, failed: 0 })
    expect(result.forEvent("huge")[0]).toMatchObject({ _tag: "Rejected" })
    expect(dest.requests.map((r) => r.entries.length)).toEqual([3, 3, 1])
    expect(dest.find((e) => e.id === "huge")).toBeUndefined()
  })

  it("keeps entries with different batch keys in different requests", async () => {
    const dest = memory({ batchKey: (e) => e.source })
    const publisher = createPublisher({ destinations: { dest } })
    const result = await publisher.publish(
      inputs(6).map((e, i) => ({ ...e, source: i % 2 === 0 ? "even" : "odd" })),
    )
    await publisher.close()
    expect(result.ok).toBe(true)
    for (const r of dest.requests)
      expect(new Set(r.entries.map((e) => e.source))).toEqual(new Set([r.batchKey]))
  })
})

describe("faults, through the engine", () => {
  it("retries an event that fails its first send, and fails a permanent one without retry", async () => {
    const dest = memory()
    dest.faults
      .failEventIds(["o-1"], { code: "Unavailable", times: 1 })
      .failEventIds(["o-2"], { code: "InvalidRequest", rawMessage: "bad order" })
    const publisher = createPublisher({ destinations: { dest }, retry: fast })
    const result = await publisher.publish(inputs(4))
    await publisher.close()
    expect(result.forEvent("o-1")[0]).toMatchObject({ _tag: "Delivered", attempts: 2 })
    expect(result.forEvent("o-2")[0]).toMatchObject({
      _tag: "Failed",
      attempts: 1,
      error: { code: "InvalidRequest", retryable: false, rawMessage: "bad order" },
    })
    expect(
      dest
        .events()
        .map((e) => e.id)
        .sort(),
    ).toEqual(["o-0", "o-1", "o-3"])
  })

  it("an applied-then-failed request shows up as a duplicate after the retry", async () => {
    const dest = memory()
    dest.faults.applyThenFail(1)
    const publisher = createPublisher({ destinations: { dest }, retry: fast })
    const result = await publisher.publish(inputs(2))
    await publisher.close()
    expect(result.ok).toBe(true)
    expect(dest.received.map((e) => e.id)).toEqual(["o-0", "o-1", "o-0", "o-1"])
    expect(dest.entries().map((e) => e.attempt)).toEqual([1, 1, 2, 2])
  })

  it("a stalled request is ended by the engine's request timeout and retried", async () => {
    const dest = memory()
    dest.faults.stallNextRequests(1)
    const publisher = createPublisher({ destinations: { dest }, retry: fast, requestTimeoutMs: 50 })
    const result = await publisher.publish(inputs(1))
    await publisher.close()
    expect(result.forEvent("o-0")[0]).toMatchObject({ _tag: "Delivered", attempts: 2 })
    expect(dest.requests.map((r) => r.stalled ?? false)).toEqual([true, false])
  })

  it("a seeded share of failures gives the same outcomes on every run", async () => {
    const run = async () => {
      const dest = memory()
      dest.faults.failShare(0.3, { seed: 42, code: "InvalidRequest" })
      const publisher = createPublisher({ destinations: { dest }, retry: fast })
      const result = await publisher.publish(inputs(300))
      await publisher.close()
      return result.problems.map((o) => o.eventId).sort()
    }
    const first = await run()
    expect(first.length).toBeGreaterThan(50)
    expect(first.length).toBeLessThan(130)
    expect(await run()).toEqual(first)
  })

  it('record: "count" counts a long stream without keeping it', async () => {
    const dest = memory({ record: "count", limits: { maxEntries: 500 } })
    const publisher = createPublisher({ destinations: { dest }, retainOutcomes: "none" })
    const result = await publisher.publish(inputs(20_000))
    await publisher.close()
    expect(result.counts.dest?.delivered).toBe(20_000)
    expect(dest.count).toBe(20_000)
    expect(dest.requestCount).toBe(40)
  })
})
