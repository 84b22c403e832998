/**
 * One suite every outbox store passes (as every unstorage driver runs one `testDriver`): the store
 * contract, then a relay over it. Each store's test file calls `testOutboxStore` with a fixture
 * factory and adds what only that engine has.
 */
import { createPublisher, type Event } from "@eventport/core"
import { memory } from "@eventport/memory"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import {
  type ClaimedPair,
  createOutbox,
  decodeEvent,
  encodeEvent,
  InvalidEventsError,
  type OutboxStore,
  OutboxStoreError,
  type PairSettlement,
  startRelay,
} from "../../src/index.ts"

export interface StoreFixture<Tx> {
  readonly store: OutboxStore<Tx>
  /** Runs `body` inside one transaction of this store's engine, then commits or rolls back. */
  readonly inTransaction: (outcome: "commit" | "rollback", body: (tx: Tx) => Promise<void>) => Promise<void>
  /** Releases what the fixture opened beyond the store (the store itself is dropped and closed). */
  readonly release: () => Promise<void>
}

export interface StoreSuiteOptions<Tx> {
  /** A fixture on a namespace (schema, key prefix) no other test uses. */
  readonly fixture: () => StoreFixture<Tx>
  /** A store pointed at a server that does not answer. */
  readonly unreachable: () => OutboxStore<Tx>
}

const event = (id: string, data: Event["data"] = { id }): Event => ({
  id,
  type: "order.created",
  source: "shop",
  time: new Date("2026-11-30T10:00:00Z"),
  data,
})
const stored = (...ids: Array<string>) => ids.map((id) => encodeEvent(event(id)))

/** Polls `check` until it holds (bounded), for waits on lease ends and relays. */
export const eventually = async (
  check: () => Promise<boolean>,
  what: string,
  limitMs = 20_000,
  intervalMs = 25,
) => {
  const until = Date.now() + limitMs
  while (Date.now() < until) {
    if (await check()) return
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
  throw new Error(`timed out after ${limitMs} ms waiting until ${what}`)
}

const delivered = (c: ClaimedPair, receipt?: string): PairSettlement =>
  receipt === undefined
    ? {
        kind: "delivered",
        eventId: c.eventId,
        destination: c.destination,
        claim: c.claim,
        attempts: c.attempts + 1,
        possibleDuplicate: false,
      }
    : {
        kind: "delivered",
        eventId: c.eventId,
        destination: c.destination,
        claim: c.claim,
        attempts: c.attempts + 1,
        possibleDuplicate: false,
        receipt,
      }

const retryError = { code: "Throttled", retryable: true, message: "Throttled (ThrottlingException)" }

export const testOutboxStore = <Tx>(options: StoreSuiteOptions<Tx>): void => {
  let fixture: StoreFixture<Tx>
  let store: OutboxStore<Tx>
  beforeEach(async () => {
    fixture = options.fixture()
    store = fixture.store
    await store.setup()
  })
  afterEach(async () => {
    await store.drop()
    await store.close()
    await fixture.release()
  })

  describe("store contract", () => {
    it("setup is idempotent", async () => {
      await store.setup()
      await store.add(stored("a"), ["bus"])
      await store.setup()
      expect((await store.pair("bus", "a"))?.state).toBe("pending")
    })

    it("add stores each event with one pending pair per destination", async () => {
      await store.add(stored("a", "b"), ["bus", "audit"])
      const stats = await store.stats()
      expect(stats.map((s) => [s.destination, s.pending, s.inFlight, s.delivered, s.dead])).toEqual([
        ["audit", 2, 0, 0, 0],
        ["bus", 2, 0, 0, 0],
      ])
      const pair = await store.pair("bus", "a")
      expect(pair).toMatchObject({
        eventId: "a",
        destination: "bus",
        state: "pending",
        claims: 0,
        attempts: 0,
      })
      expect(pair?.possibleDuplicate).toBe(false)
      expect(decodeEvent(pair!.event)).toEqual(event("a"))
      expect(await store.pair("bus", "missing")).toBeUndefined()
    })

    it("the event id is the idempotency key: adding an id again changes nothing", async () => {
      await store.add(stored("a"), ["bus"])
      await store.add([encodeEvent(event("a", { changed: true }))], ["bus", "audit"])
      expect(decodeEvent((await store.pair("bus", "a"))!.event).data).toEqual({ id: "a" })
      expect(await store.pair("audit", "a")).toBeUndefined()
      expect((await store.stats()).map((s) => s.pending)).toEqual([1])
    })

    it("claims hand out disjoint batches, one destination at a time, up to the limit", async () => {
      await store.add(stored("a", "b", "c", "d", "e"), ["bus", "audit"])
      const first = await store.claim({ destination: "bus", owner: "r1", limit: 2, leaseMs: 60_000 })
      const second = await store.claim({ destination: "bus", owner: "r2", limit: 10, leaseMs: 60_000 })
      expect(first).toHaveLength(2)
      expect(second).toHaveLength(3)
      const ids = [...first, ...second].map((c) => c.eventId).sort()
      expect(ids).toEqual(["a", "b", "c", "d", "e"])
      for (const c of [...first, ...second]) {
        expect(c).toMatchObject({
          destination: "bus",
          claim: 1,
          attempts: 0,
          retries: 0,
          possibleDuplicate: false,
        })
        expect(decodeEvent(c.event)).toEqual(event(c.eventId))
      }
      expect(await store.claim({ destination: "bus", owner: "r3", limit: 10, leaseMs: 60_000 })).toEqual([])
      const stats = await store.stats()
      expect(stats.find((s) => s.destination === "bus")).toMatchObject({ pending: 5, inFlight: 5 })
      expect(stats.find((s) => s.destination === "audit")).toMatchObject({ pending: 5, inFlight: 0 })
    })

    it("a delivered pair keeps its receipt and attempts and is never claimed again", async () => {
      await store.add(stored("a", "b"), ["bus"])
      const claimed = await store.claim({ destination: "bus", owner: "r1", limit: 10, leaseMs: 60_000 })
      expect(
        await store.settle(
          "r1",
          claimed.map((c) => delivered(c, `receipt-${c.eventId}`)),
        ),
      ).toBe(2)
      const pair = await store.pair("bus", "a")
      expect(pair).toMatchObject({
        state: "delivered",
        receipt: "receipt-a",
        attempts: 1,
        possibleDuplicate: false,
      })
      expect(pair?.settledAt).toBeInstanceOf(Date)
      expect(await store.claim({ destination: "bus", owner: "r2", limit: 10, leaseMs: 1 })).toEqual([])
      expect((await store.stats())[0]).toMatchObject({ pending: 0, delivered: 2, oldestPendingAgeMs: 0 })
    })

    it("a settlement from another owner or an older claim is ignored", async () => {
      await store.add(stored("a"), ["bus"])
      const [claimed] = await store.claim({ destination: "bus", owner: "r1", limit: 1, leaseMs: 60_000 })
      expect(await store.settle("r2", [delivered(claimed!)])).toBe(0)
      expect(await store.settle("r1", [{ ...delivered(claimed!), claim: claimed!.claim + 1 }])).toBe(0)
      expect((await store.pair("bus", "a"))?.state).toBe("pending")
      expect(await store.settle("r1", [delivered(claimed!)])).toBe(1)
      expect(await store.settle("r1", [delivered(claimed!)])).toBe(0)
    })

    it("a scheduled retry persists attempts, retry count and error, and waits for its time", async () => {
      await store.add(stored("soon", "later"), ["bus"])
      const claimed = await store.claim({ destination: "bus", owner: "r1", limit: 10, leaseMs: 60_000 })
      const retry = (c: ClaimedPair, delayMs: number): PairSettlement => ({
        kind: "retry",
        eventId: c.eventId,
        destination: c.destination,
        claim: c.claim,
        attempts: 3,
        possibleDuplicate: false,
        delayMs,
        retries: 1,
        error: retryError,
      })
      const byId = new Map(claimed.map((c) => [c.eventId, c]))
      expect(
        await store.settle("r1", [retry(byId.get("soon")!, 0), retry(byId.get("later")!, 3_600_000)]),
      ).toBe(2)
      const later = await store.pair("bus", "later")
      expect(later).toMatchObject({ state: "pending", attempts: 3, retries: 1, error: retryError })
      expect(later!.nextAttemptAt!.getTime()).toBeGreaterThan(Date.now() + 3_000_000)
      expect((await store.stats())[0]).toMatchObject({ pending: 2, inFlight: 0, retrying: 2 })
      const again = await store.claim({ destination: "bus", owner: "r2", limit: 10, leaseMs: 60_000 })
      expect(again.map((c) => [c.eventId, c.claim, c.attempts, c.retries, c.possibleDuplicate])).toEqual([
        ["soon", 2, 3, 1, false],
      ])
    })

    it("after a lease ends unsettled another relay takes the pair, marked possibleDuplicate, and the old owner is fenced out", async () => {
      await store.add(stored("a"), ["bus"])
      const [first] = await store.claim({ destination: "bus", owner: "dead-relay", limit: 1, leaseMs: 50 })
      let taken: ReadonlyArray<ClaimedPair> = []
      await eventually(async () => {
        taken = await store.claim({ destination: "bus", owner: "r2", limit: 1, leaseMs: 60_000 })
        return taken.length === 1
      }, "the lease ends")
      expect(taken[0]).toMatchObject({ eventId: "a", claim: 2, possibleDuplicate: true })
      expect(await store.settle("dead-relay", [delivered(first!)])).toBe(0)
      expect(await store.settle("r2", [delivered(taken[0]!)])).toBe(1)
      expect(await store.pair("bus", "a")).toMatchObject({
        state: "delivered",
        possibleDuplicate: true,
        claims: 2,
      })
    })

    it("a renewed lease holds the pair past its first end; the settlement still applies", async () => {
      await store.add(stored("a", "b"), ["bus"])
      // The renewal must come within the first lease: 1 s leaves room for a loaded machine's stall.
      const claimed = await store.claim({ destination: "bus", owner: "r1", limit: 10, leaseMs: 1_000 })
      expect(await store.renew("r1", claimed, 60_000)).toBe(2)
      await new Promise((resolve) => setTimeout(resolve, 1_200))
      expect(await store.claim({ destination: "bus", owner: "r2", limit: 10, leaseMs: 60_000 })).toEqual([])
      expect((await store.stats())[0]).toMatchObject({ pending: 2, inFlight: 2 })
      expect(
        await store.settle(
          "r1",
          claimed.map((c) => delivered(c)),
        ),
      ).toBe(2)
      expect(await store.pair("bus", "a")).toMatchObject({
        state: "delivered",
        claims: 1,
        possibleDuplicate: false,
      })
      expect(await store.renew("r1", claimed, 60_000)).toBe(0)
    })

    it("a renewal from another owner, an older claim or after another relay took the pair changes nothing", async () => {
      await store.add(stored("a"), ["bus"])
      const [first] = await store.claim({ destination: "bus", owner: "r1", limit: 1, leaseMs: 50 })
      expect(await store.renew("r2", [first!], 60_000)).toBe(0)
      expect(await store.renew("r1", [{ ...first!, claim: first!.claim + 1 }], 60_000)).toBe(0)
      let taken: ReadonlyArray<ClaimedPair> = []
      await eventually(async () => {
        taken = await store.claim({ destination: "bus", owner: "r2", limit: 1, leaseMs: 100 })
        return taken.length === 1
      }, "the first lease ends")
      expect(await store.renew("r1", [first!], 60_000)).toBe(0)
      // r2's lease (100 ms) was not extended by r1's attempt: it ends and a third relay takes it.
      await eventually(
        async () =>
          (await store.claim({ destination: "bus", owner: "r3", limit: 1, leaseMs: 60_000 })).length === 1,
        "r2's lease ends",
      )
      expect(await store.pair("bus", "a")).toMatchObject({ state: "pending", claims: 3 })
    })

    it("a possible duplicate reported by the engine is kept", async () => {
      await store.add(stored("a"), ["bus"])
      const [c] = await store.claim({ destination: "bus", owner: "r1", limit: 1, leaseMs: 60_000 })
      await store.settle("r1", [{ ...delivered(c!), possibleDuplicate: true }])
      expect((await store.pair("bus", "a"))?.possibleDuplicate).toBe(true)
    })

    it("dead letters keep their error, are listed, and replay makes them pending again", async () => {
      await store.add(stored("a", "b", "c"), ["bus"])
      const claimed = await store.claim({ destination: "bus", owner: "r1", limit: 10, leaseMs: 60_000 })
      const error = {
        code: "Rejected",
        retryable: false,
        message: "event a rejected for bus: data.x must be short (maxLength)",
        violations: [{ field: "data.x", rule: "maxLength", message: "must be short" }],
      }
      await store.settle(
        "r1",
        claimed.map((c) =>
          c.eventId === "c"
            ? delivered(c)
            : {
                kind: "dead",
                eventId: c.eventId,
                destination: c.destination,
                claim: c.claim,
                attempts: 1,
                possibleDuplicate: false,
                error,
              },
        ),
      )
      const dead = await store.deadLetters("bus", 10)
      expect(dead.map((d) => d.eventId).sort()).toEqual(["a", "b"])
      expect(dead[0]).toMatchObject({ state: "dead", error })
      expect((await store.stats())[0]).toMatchObject({ pending: 0, dead: 2, delivered: 1 })
      expect(await store.replayDead("bus", ["a"])).toBe(1)
      expect(await store.replayDead("bus", ["c"])).toBe(0)
      expect(await store.pair("bus", "a")).toMatchObject({ state: "pending", retries: 0 })
      expect(await store.replayDead("bus")).toBe(1)
      const again = await store.claim({ destination: "bus", owner: "r2", limit: 10, leaseMs: 60_000 })
      expect(again.map((c) => c.eventId).sort()).toEqual(["a", "b"])
      expect((await store.stats())[0]).toMatchObject({ pending: 2, dead: 0 })
    })

    it("purge deletes delivered pairs older than the age, and events left with no pair", async () => {
      await store.add(stored("a", "b"), ["bus", "audit"])
      const bus = await store.claim({ destination: "bus", owner: "r1", limit: 10, leaseMs: 60_000 })
      await store.settle(
        "r1",
        bus.map((c) => delivered(c)),
      )
      const audit = await store.claim({ destination: "audit", owner: "r1", limit: 10, leaseMs: 60_000 })
      await store.settle(
        "r1",
        audit.filter((c) => c.eventId === "a").map((c) => delivered(c)),
      )
      expect(await store.purgeDelivered(3_600_000)).toBe(0)
      expect(await store.purgeDelivered(0)).toBe(3)
      expect(await store.pair("bus", "a")).toBeUndefined()
      expect(await store.pair("audit", "a")).toBeUndefined()
      // b's audit pair is still pending, so its event stays.
      expect(decodeEvent((await store.pair("audit", "b"))!.event)).toEqual(event("b"))
      // a is gone entirely: adding it again stores it anew.
      await store.add(stored("a"), ["bus"])
      expect((await store.pair("bus", "a"))?.state).toBe("pending")
    })

    it("add inside a committed transaction stores the events; inside a rolled-back one, nothing", async () => {
      await fixture.inTransaction("commit", (tx) => store.add(stored("kept"), ["bus"], tx))
      await fixture.inTransaction("rollback", (tx) => store.add(stored("gone"), ["bus"], tx))
      expect((await store.pair("bus", "kept"))?.state).toBe("pending")
      expect(await store.pair("bus", "gone")).toBeUndefined()
      expect((await store.stats())[0]?.pending).toBe(1)
    })

    it("a store that does not answer fails add with a clear OutboxStoreError", async () => {
      const down = options.unreachable()
      try {
        const error = await down.add(stored("a"), ["bus"]).then(
          () => undefined,
          (e: unknown) => e,
        )
        expect(OutboxStoreError.isInstance(error)).toBe(true)
        expect((error as OutboxStoreError).message).toMatch(
          new RegExp(`^${down.kind} outbox store: add failed: .+`),
        )
        expect((error as OutboxStoreError).message).not.toContain("order.created")
      } finally {
        await down.close()
      }
    })
  })

  describe("outbox add", () => {
    it("refuses invalid events with the violations publish reports, storing nothing of the call", async () => {
      const outbox = createOutbox({ store, destinations: ["bus"] })
      const bad = [
        { id: "ok-1", type: "t", source: "s", data: 1 },
        { id: "bad-1", type: "", source: "s", data: 1 },
        { id: "bad-2", type: "t", source: "s", data: { n: Number.NaN }, extensions: { "Bad-Name": 1 } },
      ]
      const error = await outbox.add(bad as never).then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(InvalidEventsError.isInstance(error)).toBe(true)
      const invalid = (error as InvalidEventsError).invalid
      expect(invalid.map((i) => [i.index, i.eventId])).toEqual([
        [1, "bad-1"],
        [2, "bad-2"],
      ])
      const publisher = createPublisher({ destinations: { bus: memory() } })
      const result = await publisher.publish(bad as never)
      await publisher.close()
      for (const i of invalid) {
        const rejected = result.forEvent(i.eventId!)[0]
        expect(rejected?._tag).toBe("Rejected")
        expect(i.violations).toEqual(rejected?._tag === "Rejected" ? rejected.violations : undefined)
      }
      expect(await store.pair("bus", "ok-1")).toBeUndefined()
    })

    it("fills in ids and times and stores every event for every destination", async () => {
      const outbox = createOutbox({ store, destinations: ["bus", "audit"] })
      const events = await outbox.add([
        { type: "t", source: "s", data: { n: 1 } },
        { type: "t", source: "s", data: new Uint8Array([0, 1, 255]) },
      ])
      expect(events).toHaveLength(2)
      for (const e of events) {
        expect(decodeEvent((await store.pair("bus", e.id))!.event)).toEqual(e)
        expect((await store.pair("audit", e.id))?.state).toBe("pending")
      }
      await outbox.add([{ id: "only-audit", type: "t", source: "s", data: null }], {
        destinations: ["audit"],
      })
      expect(await store.pair("bus", "only-audit")).toBeUndefined()
      await expect(
        outbox.add([{ type: "t", source: "s", data: null }], { destinations: ["nope"] }),
      ).rejects.toThrow(/unknown destination "nope"/)
    })
  })

  describe("relay", () => {
    it("delivers every pair and records receipts and attempts", async () => {
      const bus = memory({ receipts: true })
      const audit = memory()
      const outbox = createOutbox({ store, destinations: ["bus", "audit"] })
      const events = await outbox.add(Array.from({ length: 25 }, (_, i) => event(`e-${i}`)))
      bus.faults.throttleNextRequests(1)
      const relay = startRelay({
        store,
        destinations: { bus, audit },
        batchSize: 10,
        pollIntervalMs: 10,
        engineRetry: { baseDelayMs: 1, throttledBaseDelayMs: 1 },
      })
      try {
        await eventually(async () => (await store.stats()).every((s) => s.delivered === 25), "all delivered")
      } finally {
        await relay.stop()
      }
      expect(new Set(bus.received.map((e) => e.id)).size).toBe(25)
      expect(new Set(audit.received.map((e) => e.id)).size).toBe(25)
      const pair = await store.pair("bus", events[0]!.id)
      expect(pair?.receipt).toMatch(/^memory-\d+$/)
      expect(pair?.attempts).toBeGreaterThanOrEqual(1)
    })

    it("renews the lease of a batch that takes longer than the lease: no other relay sends it again", async () => {
      // One request per event, 300 ms each, one at a time: a batch of 8 takes about 2.4 s, four
      // times the 600 ms lease. A second relay polls all along for pairs whose lease ran out. The
      // relay renews every third of the lease, so a renewal may come 400 ms late (a loaded machine)
      // before the lease runs out.
      const bus = memory({ limits: { maxEntries: 1 } })
      bus.faults.latency(300)
      const events = await createOutbox({ store, destinations: ["bus"] }).add(
        Array.from({ length: 8 }, (_, i) => event(`slow-${i}`)),
      )
      const relay = (owner: string) =>
        startRelay({
          store,
          owner,
          destinations: { bus },
          batchSize: 8,
          leaseMs: 600,
          requestTimeoutMs: 5_000,
          concurrency: 1,
          pollIntervalMs: 10,
          statsIntervalMs: 0,
        })
      const first = relay("first")
      await eventually(
        async () => (await store.stats())[0]?.inFlight === 8,
        "the first relay holds the batch",
      )
      const second = relay("second")
      try {
        await eventually(async () => (await store.stats())[0]?.delivered === 8, "all delivered")
      } finally {
        await first.stop()
        await second.stop()
      }
      expect(bus.received.map((e) => e.id).sort()).toEqual(events.map((e) => e.id).sort())
      for (const e of events)
        expect(await store.pair("bus", e.id)).toMatchObject({
          state: "delivered",
          claims: 1,
          possibleDuplicate: false,
        })
    })

    it("a failing destination never holds back another's pairs; its pairs retry durably, then go dead", async () => {
      const broken = memory()
      const healthy = memory()
      broken.faults.failEvents(() => true, { code: "Unavailable" })
      const outbox = createOutbox({ store, destinations: ["broken", "healthy"] })
      await outbox.add(Array.from({ length: 30 }, (_, i) => event(`e-${i}`)))
      const relay = startRelay({
        store,
        destinations: { broken, healthy },
        batchSize: 10,
        pollIntervalMs: 10,
        engineRetry: { maxAttempts: 1 },
        retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 5 },
      })
      try {
        // Both ends, in whichever order they come: the healthy destination's claims run beside
        // the broken one's, so on a busy machine its last batch can settle after the broken pairs
        // are dead (waiting for the dead pairs alone made this test flaky).
        await eventually(async () => {
          const stats = await store.stats()
          return (
            stats.find((s) => s.destination === "broken")?.dead === 30 &&
            stats.find((s) => s.destination === "healthy")?.delivered === 30
          )
        }, "the broken destination's pairs are dead and the healthy one's delivered")
      } finally {
        await relay.stop()
      }
      const stats = await store.stats()
      expect(stats.find((s) => s.destination === "healthy")).toMatchObject({ delivered: 30, pending: 0 })
      const [dead] = await store.deadLetters("broken", 1)
      expect(dead).toMatchObject({
        state: "dead",
        retries: 2,
        attempts: 3,
        error: { code: "Unavailable", retryable: true },
      })
    })

    it("a destination that hangs never holds back another's pairs", async () => {
      const hanging = memory()
      const healthy = memory()
      // Every request to `hanging` is left unanswered: its first batch stays in flight under its
      // lease (a minute) for as long as this test runs.
      hanging.faults.stallNextRequests(1_000)
      const outbox = createOutbox({ store, destinations: ["hanging", "healthy"] })
      await outbox.add(Array.from({ length: 30 }, (_, i) => event(`e-${i}`)))
      const relay = startRelay({
        store,
        destinations: { hanging, healthy },
        batchSize: 10,
        pollIntervalMs: 10,
        leaseMs: 60_000,
      })
      try {
        await eventually(
          async () => (await store.stats()).find((s) => s.destination === "healthy")?.delivered === 30,
          "the healthy destination's pairs are delivered",
        )
        const stats = await store.stats()
        expect(stats.find((s) => s.destination === "hanging")).toMatchObject({
          delivered: 0,
          dead: 0,
          pending: 30,
        })
        expect(stats.find((s) => s.destination === "hanging")?.inFlight).toBeGreaterThan(0)
        expect(healthy.received.map((e) => e.id).sort()).toEqual(
          Array.from({ length: 30 }, (_, i) => `e-${i}`).sort(),
        )
      } finally {
        await relay.stop({ deadlineMs: 100 })
      }
    })

    it("a relay started later picks up what a stopped relay left, with the stored attempt and retry counts", async () => {
      const outbox = createOutbox({ store, destinations: ["bus"] })
      await outbox.add([event("x")])
      const failing = memory()
      failing.faults.failEvents(() => true, { code: "Throttled" })
      const first = startRelay({
        store,
        destinations: { bus: failing },
        pollIntervalMs: 10,
        engineRetry: { maxAttempts: 1 },
        retry: { baseDelayMs: 200, maxDelayMs: 200 },
      })
      try {
        await eventually(
          async () => ((await store.pair("bus", "x"))?.retries ?? 0) >= 1,
          "a retry is scheduled",
        )
      } finally {
        await first.stop()
      }
      const healthy = memory()
      const second = startRelay({ store, destinations: { bus: healthy }, pollIntervalMs: 10 })
      try {
        await eventually(async () => (await store.pair("bus", "x"))?.state === "delivered", "delivered")
      } finally {
        await second.stop()
      }
      const pair = await store.pair("bus", "x")
      expect(pair!.retries).toBeGreaterThanOrEqual(1)
      expect(pair!.attempts).toBe(pair!.retries + 1)
      expect(healthy.received.map((e) => e.id)).toEqual(["x"])
    })
  })
}
