import { assert, describe, it } from "@effect/vitest"
import { Effect, Fiber } from "effect"
import { TestClock } from "effect/testing"
import {
  deadLetterData,
  deliveryError,
  type Event,
  entryFailed,
  entryOk,
  type Outcome,
  originalEvent,
  Publisher,
  type PublisherOptions,
  rejected,
  violation,
} from "../src/index.ts"
import { fixedRandom, withClockSteps } from "./clock.ts"
import { events, scriptedAdapter } from "./ScriptedAdapter.ts"

const publishWith = (options: PublisherOptions, input: ReadonlyArray<unknown>) =>
  Effect.scoped(Effect.flatMap(Publisher.make(options), (p) => withClockSteps(p.publish(input as never))))

describe("Publisher: retries hold no worker", () => {
  it.effect("a throttled request waits for its retry off the worker while fresh requests keep going", () =>
    Effect.gen(function* () {
      const a = scriptedAdapter({
        limits: { maxEntries: 1 },
        answer: (r) => (r.ids[0] === "e0" && r.attempt === 1 ? deliveryError("Throttled") : undefined!),
      })
      const result = yield* publishWith(
        {
          destinations: { a: { adapter: a.adapter, concurrency: 1 } },
          retry: { throttledBaseDelayMs: 1_000 },
        },
        events(5),
      )
      assert.strictEqual(result.counts.a!.delivered, 5)
      // With the one worker free during e0's backoff, every other event went before e0's retry.
      const order = a.requests.map((r) => `${r.ids[0]}#${r.attempt}`)
      assert.strictEqual(order[0], "e0#1")
      assert.strictEqual(order.at(-1), "e0#2")
      assert.strictEqual(a.requests.at(-1)!.at > a.requests.at(-2)!.at, true)
    }).pipe(fixedRandom(0.5)),
  )

  it.effect("a successful retry gives its cost back to the budget (AWS SDK standard mode)", () =>
    Effect.gen(function* () {
      // One retry's worth of tokens: each of the three requests fails once, then succeeds. With the
      // cost returned on success every retry is paid; with one token back only the first would be.
      const a = scriptedAdapter({
        limits: { maxEntries: 1 },
        latencyMs: 10,
        answer: (r) => (r.attempt === 1 ? deliveryError("Unavailable") : undefined!),
      })
      const p = yield* Publisher.make({
        destinations: { a: { adapter: a.adapter, concurrency: 1 } },
        retry: { budget: { capacity: 5, retryCost: 5, successRefill: 1 } },
      })
      let delivered = 0
      for (const e of events(3)) delivered += (yield* withClockSteps(p.publish([e]))).counts.a!.delivered
      assert.strictEqual(delivered, 3)
      assert.strictEqual(a.requests.length, 6)
    }).pipe(Effect.scoped, fixedRandom(0)),
  )
})

describe("Publisher: destinations are isolated", () => {
  it.effect("a fast destination's outcomes arrive while a slow one is still sleeping", () =>
    Effect.gen(function* () {
      const fast = scriptedAdapter()
      const slow = scriptedAdapter({ latencyMs: 300 })
      const seen: Array<{ destination: string; at: number }> = []
      let now = 0
      const result = yield* Effect.scoped(
        Effect.gen(function* () {
          const p = yield* Publisher.make({
            destinations: { fast: fast.adapter, slow: { adapter: slow.adapter, concurrency: 1 } },
            onOutcome: (o) => seen.push({ destination: o.destination, at: now }),
          })
          const fiber = yield* Effect.forkChild(p.publish(events(200)))
          // The slow destination takes 20 requests x 300 ms one at a time; step the clock slowly.
          for (let i = 0; i < 7_000 && fiber.pollUnsafe() === undefined; i++) {
            now++
            yield* TestClock.adjust(1)
            yield* Effect.yieldNow
          }
          return yield* Fiber.join(fiber)
        }),
      )
      assert.strictEqual(result.counts.fast!.delivered, 200)
      assert.strictEqual(result.counts.slow!.delivered, 200)
      const lastFast = Math.max(...seen.filter((s) => s.destination === "fast").map((s) => s.at))
      const firstSlow = Math.min(...seen.filter((s) => s.destination === "slow").map((s) => s.at))
      // Every fast outcome came before the slow destination's first request returned.
      assert.strictEqual(lastFast < firstSlow, true)
      assert.strictEqual(firstSlow >= 300, true)
    }),
  )

  it.effect("close() during publish reports the input it did not read", () =>
    Effect.gen(function* () {
      const slow = scriptedAdapter({ latencyMs: 1_000 })
      const p = yield* Publisher.make({
        destinations: { slow: { adapter: slow.adapter, concurrency: 1, maxQueuedEvents: 10 } },
      })
      const fiber = yield* Effect.forkChild(p.publish(events(10_000)))
      yield* TestClock.adjust(10)
      yield* Effect.yieldNow
      const closed = yield* Effect.forkChild(p.close({ deadlineMs: 0 }))
      yield* TestClock.adjust(10)
      yield* Fiber.join(closed)
      const result = yield* Fiber.join(fiber)
      const c = result.counts.slow!
      assert.strictEqual(result.inputCutShort, true)
      assert.strictEqual(result.ok, false)
      assert.strictEqual(result.unread > 0, true)
      // Every event either has an outcome or is counted unread.
      assert.strictEqual(c.delivered + c.failed + c.rejected + result.unread, 10_000)
    }).pipe(Effect.scoped),
  )
})

describe("Publisher: backpressure", () => {
  // The intake is woken when a quarter of the queue bound is free (or the queue is empty), not at
  // every request taken: requests of any size, retries that count against the bound meanwhile,
  // and several intakes at once must still all get through, each pair settled once.
  const cases = [
    { maxQueuedEvents: 1, maxEntries: 1, concurrency: 1, events: 40 },
    { maxQueuedEvents: 10, maxEntries: 10, concurrency: 2, events: 205 },
    { maxQueuedEvents: 9, maxEntries: 4, concurrency: 1, events: 150 },
    { maxQueuedEvents: 30, maxEntries: 7, concurrency: 3, events: 333 },
    { maxQueuedEvents: 5, maxEntries: 12, concurrency: 2, events: 100 },
  ]
  for (const c of cases)
    it.effect(
      `maxQueuedEvents ${c.maxQueuedEvents}, ${c.maxEntries} entries a request: every event delivered once`,
      () =>
        Effect.gen(function* () {
          const a = scriptedAdapter({
            limits: { maxEntries: c.maxEntries },
            latencyMs: (r) => 5 + (r.ids.length % 3),
            // Every third request is throttled once: its entries wait for a retry, counted against the bound.
            answer: (r, n) => (n % 3 === 0 && r.attempt === 1 ? deliveryError("Throttled") : undefined!),
          })
          const options: PublisherOptions = {
            destinations: {
              d: { adapter: a.adapter, concurrency: c.concurrency, maxQueuedEvents: c.maxQueuedEvents },
            },
            retry: { baseDelayMs: 10, maxDelayMs: 50 },
            sendRate: false,
          }
          const [first, second] = yield* Effect.scoped(
            Effect.flatMap(Publisher.make(options), (p) =>
              withClockSteps(
                Effect.all([p.publish(events(c.events, "a")), p.publish(events(c.events, "b"))], {
                  concurrency: "unbounded",
                }),
              ),
            ),
          )
          for (const result of [first!, second!]) {
            assert.strictEqual(result.counts.d!.delivered, c.events)
            assert.strictEqual(result.counts.d!.failed, 0)
          }
          const delivered = new Set<string>()
          for (const r of a.requests) for (const id of r.ids) delivered.add(id)
          assert.strictEqual(delivered.size, 2 * c.events)
        }),
    )
})

describe("Publisher: dead letters", () => {
  it.effect("Rejected and Failed outcomes arrive at the dead-letter destination with their reason", () =>
    Effect.gen(function* () {
      const main = scriptedAdapter({
        limits: { maxEntries: 10 },
        encode: (event: Event) =>
          event.id === "e1"
            ? rejected(violation("data", "tooBig", "is too big"))
            : { _tag: "Encoded", entry: { id: event.id, type: event.type, bytes: 1 }, bytes: 1 },
        answer: (r) =>
          r.ids.map((id) =>
            id === "e2" ? entryFailed(deliveryError("InvalidRequest")) : entryOk(`r-${id}`),
          ),
      })
      const dlq = scriptedAdapter({ kind: "dlq" })
      const received: Array<Event> = []
      const dlqOutcomes: Array<Outcome> = []
      const result = yield* publishWith(
        {
          destinations: { main: main.adapter },
          deadLetter: dlq.adapter,
          onOutcome: (o) => {
            if (o.destination === "deadLetter") {
              dlqOutcomes.push(o)
              if (o._tag === "Delivered") received.push(o.event)
            }
          },
        },
        events(3),
      )
      assert.deepStrictEqual([result.delivered, result.rejected, result.failed], [1, 1, 1])
      assert.deepStrictEqual(result.deadLetters, { sent: 2, failed: 0 })
      assert.strictEqual(dlq.requests.flatMap((r) => r.ids).length, 2)
      const byOutcome = Object.fromEntries(received.map((e) => [deadLetterData(e).outcome, e]))
      const rej = deadLetterData(byOutcome.Rejected!)
      assert.strictEqual(rej.destination, "main")
      assert.deepStrictEqual(
        rej.reason.violations?.map((v) => v.rule),
        ["tooBig"],
      )
      assert.strictEqual(originalEvent(byOutcome.Rejected!).id, "e1")
      const fail = deadLetterData(byOutcome.Failed!)
      assert.strictEqual(fail.reason.code, "InvalidRequest")
      assert.strictEqual(fail.reason.attempts, 1)
      assert.strictEqual(originalEvent(byOutcome.Failed!).id, "e2")
      // The dead letters' own outcomes are not in the result's outcomes or counts.
      assert.strictEqual(result.counts.deadLetter, undefined)
      assert.strictEqual(
        result.outcomes.every((o) => o.destination === "main"),
        true,
      )
    }),
  )

  it.effect(
    "a slow dead-letter destination with a small bound holds the producers back: all accounted for",
    () =>
      Effect.gen(function* () {
        const bound = 5
        const mainEntries = 10
        const main = scriptedAdapter({
          limits: { maxEntries: mainEntries },
          answer: (r) => r.ids.map(() => entryFailed(deliveryError("NotFound"))),
        })
        let failedSoFar = 0
        let dlqStarted = 0
        let maxWaiting = 0
        const dlq = scriptedAdapter({
          kind: "dlq",
          limits: { maxEntries: 1 },
          latencyMs: (r) => {
            // Dead letters made but not yet sent: what the dead-letter queue and its producers hold.
            dlqStarted += r.ids.length
            maxWaiting = Math.max(maxWaiting, failedSoFar - dlqStarted)
            return 10
          },
        })
        const result = yield* publishWith(
          {
            destinations: { main: { adapter: main.adapter, concurrency: 1 } },
            deadLetter: { adapter: dlq.adapter, concurrency: 1, maxQueuedEvents: bound },
            onOutcome: (o) => {
              if (o.destination === "main" && o._tag === "Failed") failedSoFar++
            },
          },
          events(200),
        )
        assert.strictEqual(result.failed, 200)
        assert.deepStrictEqual(result.deadLetters, { sent: 200, failed: 0 })
        const sentIds = new Set(dlq.requests.flatMap((r) => r.ids))
        assert.strictEqual(sentIds.size, 200)
        // The queue bound, plus the main worker's one request whose dead letters wait for room.
        assert.isAtMost(maxWaiting, bound + mainEntries)
      }),
  )

  it.effect("a failing dead-letter destination is counted and reported, never dead-lettered again", () =>
    Effect.gen(function* () {
      const main = scriptedAdapter({ answer: (r) => r.ids.map(() => entryFailed(deliveryError("NotFound"))) })
      const dlq = scriptedAdapter({ answer: () => deliveryError("AccessDenied") })
      const seen: Array<Outcome> = []
      const result = yield* publishWith(
        {
          destinations: { main: main.adapter },
          deadLetter: dlq.adapter,
          onOutcome: (o) => seen.push(o),
        },
        events(4),
      )
      assert.strictEqual(result.failed, 4)
      assert.deepStrictEqual(result.deadLetters, { sent: 0, failed: 4 })
      const dl = seen.filter((o) => o.destination === "deadLetter")
      assert.strictEqual(dl.length, 4)
      assert.strictEqual(
        dl.every((o) => o._tag === "Failed" && o.error.code === "AccessDenied"),
        true,
      )
      // One request: the dead-letter destination's failures were not sent to itself.
      assert.strictEqual(dlq.requests.length, 1)
    }),
  )

  it.effect(
    "close() drains the dead letters of the buffered producer, and reports what it could not send",
    () =>
      Effect.gen(function* () {
        const main = scriptedAdapter({
          answer: (r) => r.ids.map(() => entryFailed(deliveryError("NotFound"))),
        })
        const dlq = scriptedAdapter({ latencyMs: 50 })
        const p = yield* Publisher.make({ destinations: { main: main.adapter }, deadLetter: dlq.adapter })
        for (const e of events(3)) yield* p.enqueue(e)
        const result = yield* withClockSteps(p.close({ deadlineMs: 1_000 }))
        assert.strictEqual(result.failed, 3)
        assert.deepStrictEqual(result.deadLetters, { sent: 3, failed: 0 })

        const stuckDlq = scriptedAdapter({ latencyMs: 10_000 })
        const q = yield* Publisher.make({
          destinations: { main: main.adapter },
          deadLetter: stuckDlq.adapter,
        })
        for (const e of events(2)) yield* q.enqueue(e)
        const cut = yield* withClockSteps(q.close({ deadlineMs: 500, deadLetterDeadlineMs: 500 }), 10)
        assert.strictEqual(cut.failed, 2)
        assert.deepStrictEqual(cut.deadLetters, { sent: 0, failed: 2 })

        // Pairs that close itself fails (Closed) still reach the dead-letter destination in its grace.
        const stuck = scriptedAdapter({ latencyMs: 10_000 })
        const fileLike = scriptedAdapter()
        const r = yield* Publisher.make({
          destinations: { stuck: stuck.adapter },
          deadLetter: fileLike.adapter,
        })
        for (const e of events(3)) yield* r.enqueue(e)
        const closedResult = yield* withClockSteps(r.close({ deadlineMs: 100 }), 10)
        assert.strictEqual(closedResult.failed, 3)
        assert.deepStrictEqual(closedResult.deadLetters, { sent: 3, failed: 0 })
        assert.strictEqual(fileLike.requests.flatMap((q) => q.ids).length, 3)
      }).pipe(Effect.scoped),
  )
})
