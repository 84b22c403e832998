import { Effect, Stream } from "effect"
import { describe, expect, it } from "vitest"
import {
  BufferOverflowError,
  createPublisher,
  defineAdapter,
  type EventData,
  encoded,
  entryOk,
  PublisherClosedError,
} from "../src/index.ts"
import { events, scriptedAdapter } from "./ScriptedAdapter.ts"

const event = (id: string, data: EventData = 1) => ({ id, type: "t", source: "s", data })

describe("buffered producer", () => {
  it("flush sends what was enqueued and returns its outcomes", async () => {
    const a = scriptedAdapter()
    const p = createPublisher({ destinations: { a: a.adapter }, buffer: { lingerMs: 60_000 } })
    for (const e of events(15)) await p.enqueue(e)
    const result = await p.flush()
    expect(result.counts.a!.delivered).toBe(15)
    expect(a.requests.flatMap((r) => r.ids)).toHaveLength(15)
    expect((await p.flush()).outcomes).toHaveLength(0)
    await p.close()
  })

  it("overflow dropNewest: the dropped event gets a Failed Overflow outcome", async () => {
    const a = scriptedAdapter()
    const p = createPublisher({
      destinations: { a: a.adapter },
      buffer: { maxEvents: 2, lingerMs: 60_000, overflow: "dropNewest" },
    })
    // Synchronous enqueues: the consumer has not run yet, so the third finds the buffer full.
    const pending = [p.enqueue(event("e0")), p.enqueue(event("e1")), p.enqueue(event("e2"))]
    await Promise.all(pending)
    const result = await p.flush()
    expect(result.counts.a).toMatchObject({ delivered: 2, failed: 1 })
    const [dropped] = result.problems
    expect(dropped).toMatchObject({ _tag: "Failed", eventId: "e2", attempts: 0 })
    expect(dropped!._tag === "Failed" && dropped!.error.code).toBe("Overflow")
    await p.close()
  })

  it("a refused event whose route throws is Rejected for that destination, as publish does", async () => {
    const a = scriptedAdapter()
    const b = scriptedAdapter()
    const p = createPublisher({
      destinations: { a: a.adapter, b: b.adapter },
      routes: {
        b: (e) => {
          if (e.id === "e2") throw new TypeError("route bug")
          return true
        },
      },
      buffer: { maxEvents: 2, lingerMs: 60_000, overflow: "dropNewest" },
    })
    await Promise.all([p.enqueue(event("e0")), p.enqueue(event("e1")), p.enqueue(event("e2"))])
    const result = await p.flush()
    const forE2 = result.forEvent("e2")
    expect(forE2).toHaveLength(2)
    const onA = forE2.find((o) => o.destination === "a")
    const onB = forE2.find((o) => o.destination === "b")
    expect(onA!._tag === "Failed" && onA!.error.code).toBe("Overflow")
    expect(onB).toMatchObject({ _tag: "Rejected", eventId: "e2" })
    expect(onB!._tag === "Rejected" && onB!.message).toMatch(
      /event e2 rejected for b: \(route\) the route predicate threw TypeError/,
    )
    expect(result.counts.b).toMatchObject({ delivered: 2, rejected: 1, failed: 0 })
    await p.close()
  })

  it("overflow fail: enqueue rejects with BufferOverflowError and the event gets an outcome", async () => {
    const a = scriptedAdapter()
    const p = createPublisher({
      destinations: { a: a.adapter },
      buffer: { maxEvents: 2, lingerMs: 60_000, overflow: "fail" },
    })
    const ok = [p.enqueue(event("e0")), p.enqueue(event("e1"))]
    const refused = p.enqueue(event("e2"))
    await expect(refused).rejects.toSatisfy((e) => e instanceof BufferOverflowError && /e2/.test(e.message))
    await Promise.all(ok)
    const result = await p.flush()
    expect(result.counts.a).toMatchObject({ delivered: 2, failed: 1 })
    expect(result.problems[0]!.eventId).toBe("e2")
    await p.close()
  })

  it("overflow block: enqueue waits for room, then the event is sent", async () => {
    const a = scriptedAdapter()
    const p = createPublisher({
      destinations: { a: a.adapter },
      buffer: { maxEvents: 2, lingerMs: 60_000, overflow: "block" },
    })
    let third = false
    const first = [p.enqueue(event("e0")), p.enqueue(event("e1"))]
    const blocked = p.enqueue(event("e2")).then(() => {
      third = true
    })
    await Promise.all(first)
    expect(third).toBe(false)
    const firstFlush = await p.flush()
    await blocked
    const secondFlush = await p.flush()
    expect(firstFlush.counts.a!.delivered + secondFlush.counts.a!.delivered).toBe(3)
    expect(firstFlush.problems).toHaveLength(0)
    await p.close()
  })

  it("overflow block: events that went straight in and events that waited both give their bytes back", async () => {
    const a = scriptedAdapter()
    // Room for three events of 10 bytes ("x" repeated 8, quoted), by count and by bytes.
    const p = createPublisher({
      destinations: { a: a.adapter },
      buffer: { maxEvents: 3, maxBytes: 30, lingerMs: 60_000, overflow: "block" },
    })
    const sizes = [8, 1, 8, 3, 8, 8, 2, 8, 5, 8, 8, 4]
    const enqueued = sizes.map((n, i) => p.enqueue(event(`e${i}`, "x".repeat(n))))
    let allIn = false
    void Promise.all(enqueued).then(() => {
      allIn = true
    })
    const flushes = []
    // Flushing while some wait makes room for them, until every one is buffered.
    while (!allIn) flushes.push(await p.flush())
    flushes.push(await p.flush())
    expect(flushes.reduce((n, r) => n + r.counts.a!.delivered, 0)).toBe(sizes.length)
    // An event of the whole maxBytes goes in only if the buffer counts nothing left over.
    await p.enqueue(event("whole", "y".repeat(28)))
    expect((await p.flush()).counts.a!.delivered).toBe(1)
    expect(a.requests.flatMap((r) => r.ids).sort()).toEqual([...sizes.map((_, i) => `e${i}`), "whole"].sort())
    await p.close()
  })

  it("a full buffer does not wait for the linger: a buffer smaller than the window keeps flowing", async () => {
    // Each window of at most 100 events would otherwise wait the whole minute for more.
    for (const buffer of [
      { maxEvents: 100, lingerMs: 60_000, overflow: "block" as const },
      { maxBytes: 100 * 8, lingerMs: 60_000, overflow: "block" as const },
    ]) {
      const a = scriptedAdapter()
      const p = createPublisher({ destinations: { a: a.adapter }, buffer })
      for (const e of events(1_000)) await p.enqueue(e)
      const result = await p.close()
      expect(result.counts.a).toMatchObject({ delivered: 1_000, failed: 0 })
      expect(a.requests.flatMap((r) => r.ids)).toHaveLength(1_000)
    }
  })

  it("a full buffer under dropNewest sends what it holds at once, without a flush", async () => {
    const a = scriptedAdapter()
    let delivered = 0
    let allTen: () => void = () => {}
    const tenDelivered = new Promise<void>((resolve) => {
      allTen = resolve
    })
    const p = createPublisher({
      destinations: { a: a.adapter },
      buffer: { maxEvents: 10, lingerMs: 60_000, overflow: "dropNewest" },
      onOutcome: (outcome) => {
        if (outcome._tag === "Delivered" && ++delivered === 10) allTen()
      },
    })
    // The buffer's ten are taken into a window that lingers; ten more fill the buffer again, and
    // the one after finds it full: dropped, and the lingering window goes instead of waiting.
    for (const e of events(21)) await p.enqueue(e)
    await tenDelivered
    const result = await p.close()
    expect(result.counts.a!.delivered + result.counts.a!.failed).toBe(21)
  })

  it("bounds the buffer by bytes too", async () => {
    const a = scriptedAdapter()
    const p = createPublisher({
      destinations: { a: a.adapter },
      buffer: { maxBytes: 100, lingerMs: 60_000, overflow: "dropNewest" },
    })
    const big = "x".repeat(60)
    await Promise.all([
      p.enqueue(event("e0", big)),
      p.enqueue(event("e1", big)),
      p.enqueue(event("huge", "y".repeat(500))),
    ])
    const result = await p.flush()
    expect(result.counts.a).toMatchObject({ delivered: 1, failed: 2 })
    expect(result.problems.map((o) => o.eventId).sort()).toEqual(["e1", "huge"])
    await p.close()
  })

  it("close drains the buffer within the deadline and reports what it could not send as Closed", async () => {
    let aborted = 0
    const hanging = defineAdapter({
      kind: "hanging",
      limits: { maxEntries: 1, maxRequestBytes: 1_000, maxEntryBytes: 1_000 },
      encode: (e) => encoded(e.id, 1),
      send: (_batch, { signal }) =>
        new Promise(() => {
          signal.addEventListener("abort", () => aborted++)
        }),
    })
    const ok = scriptedAdapter()
    const p = createPublisher({
      destinations: { stuck: { adapter: hanging, concurrency: 1 }, ok: ok.adapter },
      requestTimeoutMs: 60_000,
      buffer: { lingerMs: 0 },
    })
    for (const e of events(5)) await p.enqueue(e)
    const result = await p.close({ deadlineMs: 50 })
    expect(result.counts.ok!.delivered).toBe(5)
    expect(result.counts.stuck!.failed).toBe(5)
    const closed = result.forDestination("stuck")
    expect(closed.every((o) => o._tag === "Failed" && o.error.code === "Closed")).toBe(true)
    // The request in flight may have been applied; the queued ones were never sent.
    expect(closed.filter((o) => o._tag === "Failed" && o.error.outcomeUnknown)).toHaveLength(1)
    expect(result.counts.stuck!.outcomeUnknown).toBe(1)
    expect(aborted).toBe(1)
    await expect(p.enqueue(event("late"))).rejects.toBeInstanceOf(PublisherClosedError)
    await expect(p.publish([event("late")])).rejects.toBeInstanceOf(PublisherClosedError)
    // A second close returns the first close's result.
    expect(await p.close()).toBe(result)
  })

  it("Symbol.asyncDispose closes the publisher and its adapters", async () => {
    const a = scriptedAdapter()
    {
      await using p = createPublisher({ destinations: { a: a.adapter } })
      await p.enqueue(event("e0"))
    }
    expect(a.requests.flatMap((r) => r.ids)).toEqual(["e0"])
    expect(a.closed).toBe(1)
  })
})

describe("stream input", () => {
  const collect = (): { ids: Array<string>; adapter: ReturnType<typeof scriptedAdapter> } => {
    const adapter = scriptedAdapter()
    return {
      adapter,
      get ids() {
        return adapter.requests.flatMap((r) => r.ids).sort()
      },
    }
  }

  it("takes an Effect Stream", async () => {
    const c = collect()
    const p = createPublisher({ destinations: { a: c.adapter.adapter } })
    const result = await p.publish(Stream.fromIterable(events(23)))
    expect(result.counts.a!.delivered).toBe(23)
    expect(c.ids).toHaveLength(23)
    await p.close()
  })

  it("takes an async iterable, and a failing one rejects after settling what was read", async () => {
    const c = collect()
    const p = createPublisher({ destinations: { a: c.adapter.adapter } })
    async function* gen(fail: boolean) {
      for (const e of events(12)) yield e
      if (fail) throw new Error("source broke")
    }
    expect((await p.publish(gen(false))).counts.a!.delivered).toBe(12)
    await expect(p.publish(gen(true))).rejects.toMatchObject({ _tag: "PublishInputError" })
    expect(c.ids).toHaveLength(24)
    await p.close()
  })

  it("a failing Effect Stream rejects with its error after settling what was read", async () => {
    const c = collect()
    const p = createPublisher({ destinations: { a: c.adapter.adapter } })
    const broken = Stream.concat(Stream.fromIterable(events(7)), Stream.fail(new Error("stream broke")))
    await expect(p.publish(broken)).rejects.toThrow("stream broke")
    expect(c.ids).toHaveLength(7)
    await p.close()
  })

  it("an input that is neither an iterable nor a Stream fails with PublishInputError, nothing taken", async () => {
    const c = collect()
    const p = createPublisher({ destinations: { a: c.adapter.adapter } })
    await expect(p.publish({ length: 3 } as never)).rejects.toMatchObject({ _tag: "PublishInputError" })
    expect(c.ids).toHaveLength(0)
    await p.close()
  })

  it("takes a sync iterable that is not an array", async () => {
    const c = collect()
    const p = createPublisher({ destinations: { a: c.adapter.adapter } })
    const result = await p.publish(new Set(events(9)))
    expect(result.counts.a!.delivered).toBe(9)
    await p.close()
  })

  it("runs a 200k-event async generator with retainOutcomes none, keeping only counts", async () => {
    let sent = 0
    const adapter = defineAdapter({
      kind: "count",
      limits: { maxEntries: 500, maxRequestBytes: 1_000_000, maxEntryBytes: 1_000 },
      encode: (e) => encoded(null, 20 + e.type.length),
      send: (batch) => {
        sent += batch.entries.length
        return Effect.succeed(batch.entries.map(() => entryOk()))
      },
    })
    const p = createPublisher({ destinations: { a: adapter }, retainOutcomes: "none" })
    async function* gen() {
      for (let i = 0; i < 200_000; i++) yield { type: "t", source: "s", data: i }
    }
    const result = await p.publish(gen())
    expect(result.counts.a!.delivered).toBe(200_000)
    expect(result.outcomes).toHaveLength(0)
    expect(sent).toBe(200_000)
    await p.close()
  })
})
