/**
 * Request timeouts of Promise-returning sends: one deadline watcher per destination instead of a
 * race per request. The timeout still answers Timeout (outcome unknown) and aborts the signal, a
 * late answer is ignored, fast answers never time out, and a copy of an adapter with its own send
 * is sent through that send.
 */
import { assert, describe, it } from "@effect/vitest"
import { Clock, Effect, Fiber } from "effect"
import { TestClock } from "effect/testing"
import {
  type Delivered,
  defineAdapter,
  encoded,
  entryOk,
  type Failed,
  type Outcome,
  Publisher,
  type PublisherOptions,
  type SendResult,
} from "../src/index.ts"
import { RequestDeadlines } from "../src/internal/RequestDeadlines.ts"
import { withClockSteps } from "./clock.ts"
import { events } from "./ScriptedAdapter.ts"

const publishWith = (options: PublisherOptions, input: ReadonlyArray<unknown>) =>
  Effect.scoped(Effect.flatMap(Publisher.make(options), (p) => withClockSteps(p.publish(input as never))))

const limits = { maxEntries: 10, maxRequestBytes: 100_000, maxEntryBytes: 10_000 }
const byId = (o: Outcome) => o.eventId

describe("RequestDeadlines", () => {
  it.effect("expires each open request once at its own deadline; settled ones never", () =>
    Effect.gen(function* () {
      const clock = yield* Clock.Clock
      const deadlines = new RequestDeadlines(1_000, clock)
      const watcher = yield* Effect.forkChild(deadlines.watch)
      const expired: Array<string> = []
      const a = deadlines.start(() => expired.push("a"))
      const b = deadlines.start(() => expired.push("b"))
      yield* TestClock.adjust(500)
      const c = deadlines.start(() => expired.push("c"))
      assert.isTrue(deadlines.settle(b))
      assert.isFalse(deadlines.settle(b))
      yield* TestClock.adjust(499)
      assert.deepStrictEqual(expired, [])
      yield* TestClock.adjust(1)
      yield* Effect.yieldNow
      assert.deepStrictEqual(expired, ["a"])
      // Expired first: a late answer cannot settle it any more.
      assert.isFalse(deadlines.settle(a))
      yield* TestClock.adjust(499)
      assert.deepStrictEqual(expired, ["a"])
      yield* TestClock.adjust(1)
      yield* Effect.yieldNow
      assert.deepStrictEqual(expired, ["a", "c"])
      assert.isFalse(deadlines.settle(c))
      assert.strictEqual(deadlines.open, 0)
      // An idle watcher wakes for a request started later.
      const d = deadlines.start(() => expired.push("d"))
      yield* TestClock.adjust(1_000)
      yield* Effect.yieldNow
      assert.deepStrictEqual(expired, ["a", "c", "d"])
      assert.isFalse(deadlines.settle(d))
      yield* Fiber.interrupt(watcher)
    }),
  )

  it.effect("keeps no settled request: thousands answered in turn leave nothing open", () =>
    Effect.gen(function* () {
      const clock = yield* Clock.Clock
      const deadlines = new RequestDeadlines(1_000, clock)
      let expired = 0
      for (let i = 0; i < 5_000; i++) {
        const r = deadlines.start(() => expired++)
        if (i % 3 === 0) {
          const s = deadlines.start(() => expired++)
          assert.isTrue(deadlines.settle(s))
        }
        assert.isTrue(deadlines.settle(r))
      }
      assert.strictEqual(deadlines.open, 0)
      assert.strictEqual(expired, 0)
    }),
  )
})

describe("Publisher: Promise sends and the request timeout", () => {
  it.effect("fast answers never time out: every pair Delivered on its first attempt, no signal aborted", () =>
    Effect.gen(function* () {
      let aborted = 0
      let requests = 0
      const adapter = defineAdapter({
        kind: "fast",
        limits,
        encode: (e) => encoded(e.id, 1),
        send: async (batch, { signal }) => {
          requests++
          signal.addEventListener("abort", () => aborted++)
          return batch.entries.map((id) => entryOk(`r-${id}`))
        },
      })
      const result = yield* publishWith(
        { destinations: { a: adapter }, requestTimeoutMs: 5, retry: { maxAttempts: 1 } },
        events(205),
      )
      assert.isTrue(result.ok)
      assert.strictEqual(result.counts.a!.delivered, 205)
      assert.strictEqual(requests, 21)
      assert.isTrue(result.outcomes.every((o) => o._tag === "Delivered" && o.attempts === 1))
      assert.strictEqual(aborted, 0)
    }),
  )

  it.effect(
    "an answer after the timeout is ignored: Timeout aborts the signal, the retry delivers with possibleDuplicate",
    () =>
      Effect.gen(function* () {
        const aborted: Array<number> = []
        const late: Array<(r: SendResult) => void> = []
        const adapter = defineAdapter({
          kind: "late",
          limits,
          encode: (e) => encoded(e.id, 1),
          send: (batch, { signal }) => {
            if (batch.attempt === 1) {
              signal.addEventListener("abort", () => aborted.push(batch.attempt))
              return new Promise<SendResult>((resolve) => late.push(resolve))
            }
            return Promise.resolve(batch.entries.map((id) => entryOk(`r2-${id}`)))
          },
        })
        const result = yield* publishWith(
          {
            destinations: { a: adapter },
            requestTimeoutMs: 1_000,
            retry: { maxAttempts: 2, baseDelayMs: 1, budget: false },
          },
          events(3),
        )
        // The first request's answer arrives after all: nothing changes.
        for (const resolve of late) resolve([entryOk("x"), entryOk("y"), entryOk("z")])
        yield* Effect.yieldNow
        assert.deepStrictEqual(aborted, [1])
        const delivered = (result.outcomes as ReadonlyArray<Delivered>).toSorted((a, b) =>
          byId(a).localeCompare(byId(b)),
        )
        assert.deepStrictEqual(
          delivered.map((o) => [o._tag, o.eventId, o.receipt, o.attempts, o.possibleDuplicate]),
          [
            ["Delivered", "e0", "r2-e0", 2, true],
            ["Delivered", "e1", "r2-e1", 2, true],
            ["Delivered", "e2", "r2-e2", 2, true],
          ],
        )
        assert.strictEqual(result.counts.a!.possibleDuplicates, 3)
        assert.strictEqual(result.counts.a!.requests, 2)
      }),
  )

  it.effect(
    "close interrupts a request in flight: its signal aborts and its pairs are Failed Closed, outcome unknown",
    () =>
      Effect.gen(function* () {
        let aborted = 0
        const adapter = defineAdapter({
          kind: "hang",
          limits,
          encode: (e) => encoded(e.id, 1),
          send: (_batch, { signal }) =>
            new Promise<SendResult>(() => {
              signal.addEventListener("abort", () => aborted++)
            }),
        })
        const p = yield* Publisher.make({
          destinations: { a: adapter },
          requestTimeoutMs: 60_000,
          buffer: { lingerMs: 0 },
        })
        for (const e of events(2)) yield* p.enqueue(e)
        const result = yield* withClockSteps(p.close({ deadlineMs: 100 }), 10)
        assert.strictEqual(aborted, 1)
        const failed = result.problems as ReadonlyArray<Failed>
        assert.deepStrictEqual(
          failed.map((f) => [f.error.code, f.error.outcomeUnknown, f.attempts]),
          [
            ["Closed", true, 1],
            ["Closed", true, 1],
          ],
        )
      }).pipe(Effect.scoped),
  )

  it.effect(
    "a send that throws, or returns neither a Promise nor an Effect, fails the request it was for",
    () =>
      Effect.gen(function* () {
        const throwing = defineAdapter({
          kind: "throws",
          limits,
          encode: (e) => encoded(e.id, 1),
          send: () => {
            throw new Error("boom")
          },
        })
        const notAPromise = defineAdapter({
          kind: "plain",
          limits,
          encode: (e) => encoded(e.id, 1),
          send: () => 42 as never,
        })
        const result = yield* publishWith(
          { destinations: { t: throwing, p: notAPromise }, retry: { maxAttempts: 1 } },
          events(2),
        )
        assert.strictEqual(result.counts.t!.failed, 2)
        assert.strictEqual(result.counts.p!.failed, 2)
        assert.isTrue(
          (result.problems as ReadonlyArray<Failed>).every((f) => f._tag === "Failed" && f.attempts === 1),
        )
      }),
  )

  it.effect("a copy of an adapter with its own send is sent through that send", () =>
    Effect.gen(function* () {
      const original = defineAdapter({
        kind: "original",
        limits,
        encode: (e) => encoded(e.id, 1),
        send: async (batch) => batch.entries.map(() => entryOk("original")),
      })
      let wrapped = 0
      const copy = {
        ...original,
        send: (batch: Parameters<typeof original.send>[0]) => {
          wrapped++
          return Effect.succeed(batch.entries.map(() => entryOk("copy")))
        },
      }
      const result = yield* publishWith({ destinations: { a: copy } }, events(3))
      assert.strictEqual(wrapped, 1)
      assert.isTrue(result.outcomes.every((o) => o._tag === "Delivered" && o.receipt === "copy"))
    }),
  )
})
