import { assert, describe, it } from "@effect/vitest"
import { Effect, Fiber, Layer, Metric, Result } from "effect"
import { TestClock } from "effect/testing"
import {
  createPublisher,
  deliveryError,
  encoded,
  entryFailed,
  entryOk,
  type Failed,
  Metrics,
  type Outcome,
  Publisher,
  type PublisherOptions,
  publisherDefaults,
  rejected,
  resolvePublisherOptions,
  violation,
} from "../src/index.ts"
import { fixedRandom, withClockSteps } from "./clock.ts"
import { events, scriptedAdapter } from "./ScriptedAdapter.ts"

const publishWith = (options: PublisherOptions, input: ReadonlyArray<unknown>) =>
  Effect.scoped(Effect.flatMap(Publisher.make(options), (p) => withClockSteps(p.publish(input as never))))

const failedOf = (outcomes: ReadonlyArray<Outcome>) =>
  outcomes.filter((o): o is Failed => o._tag === "Failed")

describe("Publisher: publish path", () => {
  it.effect("delivers to every destination with receipts and attempts", () =>
    Effect.gen(function* () {
      const a = scriptedAdapter()
      const result = yield* publishWith({ destinations: { a: a.adapter } }, events(3))
      assert.isTrue(result.ok)
      assert.strictEqual(result.counts.a!.delivered, 3)
      assert.strictEqual(result.counts.a!.requests, 1)
      const o = result.forEvent("e1")[0]!
      assert.deepStrictEqual(o._tag === "Delivered" && [o.receipt, o.attempts], ["r-e1", 1])
    }),
  )

  it.effect(
    "rejects an invalid event for every destination, naming the event (or its index), the field and the rule",
    () =>
      Effect.gen(function* () {
        const a = scriptedAdapter()
        const b = scriptedAdapter()
        const result = yield* publishWith({ destinations: { a: a.adapter, b: b.adapter } }, [
          { id: "bad", source: "s", data: null },
          { type: "t", source: "", data: null },
          ...events(1),
        ])
        const problems = result.problems
        assert.strictEqual(problems.length, 4)
        assert.deepStrictEqual(
          problems.map((p) => [
            p.destination,
            p.eventId,
            p._tag === "Rejected" && p.violations[0]!.field,
            p._tag === "Rejected" && p.violations[0]!.rule,
          ]),
          [
            ["a", "bad", "type", "required"],
            ["b", "bad", "type", "required"],
            ["a", "input[1]", "source", "minLength"],
            ["b", "input[1]", "source", "minLength"],
          ],
        )
        assert.match((problems[2] as { message: string }).message, /event input\[1\] rejected for a: source/)
        assert.strictEqual(result.counts.a!.delivered, 1)
      }),
  )

  it.effect("rejects what the adapter's encode refuses and entries over the limits, before any request", () =>
    Effect.gen(function* () {
      const a = scriptedAdapter({
        limits: { maxEntryBytes: 50 },
        encode: (event) =>
          event.type === "refused"
            ? rejected(violation("detailType", "maxLength", "must be at most 3 characters"))
            : encoded({ id: event.id, type: event.type, bytes: 0 }, event.type === "huge" ? 500 : 10),
      })
      const result = yield* publishWith({ destinations: { a: a.adapter } }, [
        { id: "r", type: "refused", source: "s", data: 1 },
        { id: "h", type: "huge", source: "s", data: 1 },
        { id: "ok", type: "fine", source: "s", data: 1 },
      ])
      const [r, h] = result.problems
      assert.match(
        r!._tag === "Rejected" ? r!.message : "",
        /event r rejected for a: detailType must be at most 3/,
      )
      assert.deepStrictEqual(h!._tag === "Rejected" && h!.violations[0]!.rule, "maxEntryBytes")
      assert.match(h!._tag === "Rejected" ? h!.message : "", /500 bytes .* 50 bytes/)
      assert.deepStrictEqual(
        a.requests.map((q) => q.ids),
        [["ok"]],
      )
    }),
  )

  it.effect("an encode that throws is a Failed outcome for that event, not a crash", () =>
    Effect.gen(function* () {
      const a = scriptedAdapter({
        encode: (event) => {
          if (event.id === "boom") throw new TypeError("cannot read x")
          return encoded({ id: event.id, type: event.type, bytes: 1 }, 1)
        },
      })
      const result = yield* publishWith({ destinations: { a: a.adapter } }, [
        { id: "boom", type: "t", source: "s", data: 1 },
        ...events(2),
      ])
      const [f] = failedOf(result.outcomes)
      assert.strictEqual(f!.eventId, "boom")
      assert.strictEqual(f!.error.code, "Unknown")
      assert.isFalse(f!.error.retryable)
      assert.match(f!.error.rawMessage!, /adapter scripted encode threw: cannot read x/)
      assert.strictEqual(result.counts.a!.delivered, 2)
    }),
  )

  it.effect(
    "a send returning the wrong number of results fails the unmatched entries as an adapter bug",
    () =>
      Effect.gen(function* () {
        const a = scriptedAdapter({ answer: (req) => req.ids.slice(1).map(() => entryOk()) })
        const result = yield* publishWith({ destinations: { a: a.adapter } }, events(3))
        assert.strictEqual(result.counts.a!.delivered, 2)
        const [f] = failedOf(result.outcomes)
        assert.strictEqual(f!.eventId, "e2")
        assert.strictEqual(f!.error.code, "Unknown")
        assert.isFalse(f!.error.retryable)
        assert.match(f!.error.rawMessage!, /adapter scripted bug: send returned 2 results for 3 entries/)
        assert.strictEqual(a.requests.length, 1)
      }),
  )

  it.effect("routes by predicate and reports unrouted events", () =>
    Effect.gen(function* () {
      const a = scriptedAdapter()
      const b = scriptedAdapter()
      const result = yield* publishWith(
        {
          destinations: { a: a.adapter, b: { adapter: b.adapter, route: (e) => e.type === "b" } },
          routes: { a: (e) => e.type === "a" },
        },
        [
          { id: "1", type: "a", source: "s", data: 1 },
          { id: "2", type: "b", source: "s", data: 1 },
          { id: "3", type: "c", source: "s", data: 1 },
        ],
      )
      assert.deepStrictEqual(
        a.requests.map((r) => r.ids),
        [["1"]],
      )
      assert.deepStrictEqual(
        b.requests.map((r) => r.ids),
        [["2"]],
      )
      assert.deepStrictEqual(
        result.unrouted.map((e) => e.id),
        ["3"],
      )
      assert.strictEqual(result.unroutedCount, 1)
      assert.isFalse(result.ok)
    }),
  )

  it.effect("an onOutcome listener sees every outcome, and a throwing listener does not break delivery", () =>
    Effect.gen(function* () {
      const seen: Array<string> = []
      const a = scriptedAdapter()
      const result = yield* publishWith(
        {
          destinations: { a: a.adapter },
          onOutcome: (o) => {
            seen.push(`${o._tag}:${o.eventId}`)
            throw new Error("listener bug")
          },
        },
        events(3),
      )
      assert.strictEqual(result.counts.a!.delivered, 3)
      assert.deepStrictEqual(seen.sort(), ["Delivered:e0", "Delivered:e1", "Delivered:e2"])
    }),
  )
})

describe("Publisher: retries", () => {
  it.effect("resends only the failed retryable entries of a request", () =>
    Effect.gen(function* () {
      const a = scriptedAdapter({
        answer: (req, n) =>
          req.ids.map((id) =>
            n > 0
              ? entryOk()
              : id === "e1"
                ? entryFailed(deliveryError("Unavailable"))
                : id === "e2"
                  ? entryFailed(deliveryError("InvalidRequest", { rawCode: "MalformedDetail" }))
                  : id === "e3"
                    ? entryFailed(deliveryError("Throttled"))
                    : entryOk(),
          ),
      })
      const result = yield* publishWith({ destinations: { a: a.adapter } }, events(5))
      assert.deepStrictEqual(
        a.requests.map((r) => [r.ids, r.attempt]),
        [
          [["e0", "e1", "e2", "e3", "e4"], 1],
          [["e1", "e3"], 2],
        ],
      )
      assert.strictEqual(result.counts.a!.retried, 2)
      assert.strictEqual(result.counts.a!.requests, 2)
      const e1 = result.forEvent("e1")[0]!
      assert.deepStrictEqual(e1._tag === "Delivered" && e1.attempts, 2)
      const [e2] = failedOf(result.outcomes)
      assert.deepStrictEqual(
        [e2!.eventId, e2!.error.rawCode, e2!.attempts, e2!.error.attempts],
        ["e2", "MalformedDetail", 1, 1],
      )
    }),
  )

  it.effect(
    "backs off exponentially with full jitter, harder after throttling when the send rate is off",
    () =>
      Effect.gen(function* () {
        const gaps = (code: "Unavailable" | "Throttled", sendRate?: false) =>
          Effect.gen(function* () {
            const a = scriptedAdapter({
              answer: (req, n) => (n < 3 ? deliveryError(code) : req.ids.map(() => entryOk())),
            })
            const result = yield* publishWith(
              {
                destinations: { a: a.adapter },
                retry: { budget: false },
                ...(sendRate === undefined ? {} : { sendRate }),
              },
              events(1),
            )
            assert.isTrue(result.ok)
            return a.requests.slice(1).map((r, i) => r.at - a.requests[i]!.at)
          }).pipe(fixedRandom(0.999))
        const plain = yield* gaps("Unavailable")
        const throttled = yield* gaps("Throttled", false)
        const paced = yield* gaps("Throttled")
        // random 0.999 × min(maxDelay, base × 2^(n-1)): base 100 ms, 500 ms after throttling with the
        // send rate off
        const expectClose = (actual: ReadonlyArray<number>, expected: ReadonlyArray<number>) => {
          assert.strictEqual(actual.length, expected.length)
          for (const [i, v] of actual.entries()) assert.closeTo(v, expected[i]!, 1)
        }
        expectClose(plain, [99.9, 199.8, 399.6])
        expectClose(throttled, [499.5, 999, 1998])
        // The adaptive send rate (on by default) paces retries after throttling: the base stays 100 ms,
        // and a retry waits for that backoff or its slot at the learned rate, whichever ends later.
        assert.strictEqual(paced.length, plain.length)
        for (const [i, gap] of paced.entries()) {
          assert.isAtLeast(gap, plain[i]! - 1)
          assert.isBelow(gap, throttled[i]!)
        }
      }),
  )

  it.effect("stops after maxAttempts with the last error and the attempt count", () =>
    Effect.gen(function* () {
      const a = scriptedAdapter({
        answer: () => deliveryError("InternalFailure", { rawCode: "InternalException" }),
      })
      const result = yield* publishWith(
        { destinations: { a: a.adapter }, retry: { maxAttempts: 3, budget: false } },
        events(2),
      )
      assert.strictEqual(a.requests.length, 3)
      const failed = failedOf(result.outcomes)
      assert.deepStrictEqual(
        failed.map((f) => [f.error.code, f.error.rawCode, f.attempts, f.error.attempts]),
        [
          ["InternalFailure", "InternalException", 3, 3],
          ["InternalFailure", "InternalException", 3, 3],
        ],
      )
    }),
  )

  it.effect("stops retrying once maxElapsedMs has passed", () =>
    Effect.gen(function* () {
      const a = scriptedAdapter({ latencyMs: 400, answer: () => deliveryError("Unavailable") })
      const result = yield* publishWith(
        { destinations: { a: a.adapter }, retry: { maxAttempts: 100, maxElapsedMs: 1_000, budget: false } },
        events(1),
      )
      const [f] = failedOf(result.outcomes)
      assert.strictEqual(f!.error.code, "Unavailable")
      // Every retry starts within 1 s of the first attempt; a 400 ms request ends after it.
      for (const r of a.requests) assert.isAtMost(r.at, 1_000)
      assert.isAtMost(a.requests.length, 4)
      assert.strictEqual(f!.attempts, a.requests.length)
    }).pipe(fixedRandom(0.5)),
  )

  it.effect("an empty retry budget stops retries: RetryBudgetExhausted keeps the last error's details", () =>
    Effect.gen(function* () {
      const a = scriptedAdapter({
        answer: () => deliveryError("Throttled", { rawCode: "ThrottlingException", httpStatus: 400 }),
      })
      const result = yield* publishWith(
        {
          destinations: { a: a.adapter },
          retry: { maxAttempts: 10, budget: { capacity: 12, retryCost: 5 } },
        },
        events(1),
      )
      // 12 tokens pay for two retries (5 each): three requests, then the budget is empty.
      assert.strictEqual(a.requests.length, 3)
      const [f] = failedOf(result.outcomes)
      assert.deepStrictEqual(
        [f!.error.code, f!.error.lastCode, f!.error.rawCode, f!.error.httpStatus, f!.attempts],
        ["RetryBudgetExhausted", "Throttled", "ThrottlingException", 400, 3],
      )
      assert.match(f!.error.message, /retry budget exhausted, last error Throttled/)
    }).pipe(fixedRandom(0)),
  )

  it.effect(
    "a timed-out request that is not retried is Failed Timeout with outcomeUnknown, and its send is aborted",
    () =>
      Effect.gen(function* () {
        let aborted = 0
        const { defineAdapter } = yield* Effect.promise(() => import("../src/index.ts"))
        const adapter = defineAdapter({
          kind: "hang",
          limits: { maxEntries: 10, maxRequestBytes: 1_000, maxEntryBytes: 100 },
          encode: (e) => encoded(e.id, 1),
          send: (_batch, { signal }) =>
            new Promise(() => {
              signal.addEventListener("abort", () => aborted++)
            }),
        })
        const result = yield* publishWith(
          { destinations: { a: adapter }, requestTimeoutMs: 1_000, retry: { maxAttempts: 1 } },
          events(2),
        )
        const failed = failedOf(result.outcomes)
        assert.deepStrictEqual(
          failed.map((f) => [f.error.code, f.error.outcomeUnknown, f.attempts]),
          [
            ["Timeout", true, 1],
            ["Timeout", true, 1],
          ],
        )
        assert.strictEqual(result.counts.a!.outcomeUnknown, 2)
        assert.strictEqual(aborted, 1)
      }),
  )
})

describe("Publisher: fan-out isolation", () => {
  it.effect(
    "a slow destination does not delay a fast one's outcomes; a failing one loses none of the other's",
    () =>
      Effect.gen(function* () {
        const seen: Record<string, number> = { fast: 0, slow: 0, broken: 0 }
        const fast = scriptedAdapter()
        const slow = scriptedAdapter({ latencyMs: 60_000 })
        const broken = scriptedAdapter({ answer: () => deliveryError("Unavailable") })
        const result = yield* Effect.scoped(
          Effect.gen(function* () {
            const p = yield* Publisher.make({
              destinations: { fast: fast.adapter, slow: slow.adapter, broken: broken.adapter },
              requestTimeoutMs: 120_000,
              retry: { maxAttempts: 3 },
              onOutcome: (o) => {
                seen[o.destination]!++
              },
            })
            const fiber = yield* Effect.forkChild(p.publish(events(25)))
            // Before the clock moves at all, the fast destination settles everything.
            for (let i = 0; i < 1_000 && seen.fast! < 25; i++) yield* Effect.yieldNow
            assert.strictEqual(seen.fast, 25)
            assert.strictEqual(seen.slow, 0)
            let slowDoneAt: number | undefined
            for (let t = 0; fiber.pollUnsafe() === undefined; t += 1_000) {
              yield* TestClock.adjust(1_000)
              yield* Effect.yieldNow
              if (slowDoneAt === undefined && seen.slow === 25) slowDoneAt = t + 1_000
            }
            assert.isAtLeast(slowDoneAt!, 60_000)
            return yield* Fiber.join(fiber)
          }),
        )
        assert.strictEqual(result.counts.fast!.delivered, 25)
        assert.strictEqual(result.counts.slow!.delivered, 25)
        assert.strictEqual(result.counts.broken!.failed, 25)
        assert.strictEqual(broken.requests.length, 3 * 3)
      }),
  )
})

describe("Publisher: Effect API", () => {
  it.effect(
    "Publisher.layer provides the service, records metrics, and closing the scope closes the adapters",
    () =>
      Effect.gen(function* () {
        const a = scriptedAdapter({ kind: "layer-test" })
        const result = yield* Effect.scoped(
          Layer.build(Publisher.layer({ destinations: { metered: a.adapter } })).pipe(
            Effect.flatMap((context) =>
              Publisher.use((p) => p.publish(events(4))).pipe(Effect.provide(context)),
            ),
          ),
        )
        assert.strictEqual(result.delivered, 4)
        assert.strictEqual(a.closed, 1)
        const delivered = yield* Metric.value(
          Metric.withAttributes(Metrics.delivered, { destination: "metered", kind: "layer-test" }),
        )
        assert.strictEqual(delivered.count, 4)
      }),
  )

  it.effect("metrics carry the attributes of the publisher's context beside destination and kind", () =>
    Effect.gen(function* () {
      const a = scriptedAdapter({ kind: "attributed-test" })
      const service = { service: "checkout" }
      yield* Effect.scoped(
        Layer.build(Publisher.layer({ destinations: { metered: a.adapter } })).pipe(
          Effect.flatMap((context) =>
            Publisher.use((p) => p.publish(events(3))).pipe(Effect.provide(context)),
          ),
        ),
      ).pipe(Effect.provideService(Metric.CurrentMetricAttributes, service))
      const attributes = { ...service, destination: "metered", kind: "attributed-test" }
      const delivered = yield* Metric.value(Metric.withAttributes(Metrics.delivered, attributes))
      assert.strictEqual(delivered.count, 3)
      const latency = yield* Metric.value(Metric.withAttributes(Metrics.requestDuration, attributes))
      assert.isAbove(latency.count, 0)
      // Without the context's attribute it is another series, which this publisher never updated.
      const bare = yield* Metric.value(
        Metric.withAttributes(Metrics.delivered, { destination: "metered", kind: "attributed-test" }),
      )
      assert.strictEqual(bare.count, 0)
    }),
  )

  it.effect(
    "bad options fail Publisher.make and Publisher.layer with a PublisherOptionsError naming the option",
    () =>
      Effect.gen(function* () {
        const a = scriptedAdapter()
        const made = yield* Effect.flip(
          Effect.scoped(Publisher.make({ destinations: { a: a.adapter }, retry: { maxAttempts: 0 } })),
        )
        assert.strictEqual(made._tag, "PublisherOptionsError")
        assert.strictEqual(made.option, "a.retry.maxAttempts")
        assert.strictEqual(made.problem, "range")
        assert.match(made.message, /a\.retry\.maxAttempts must be a positive integer, got 0/)
        const layered = yield* Effect.flip(
          Effect.scoped(Layer.build(Publisher.layer({ destinations: { a: { adapter: {} as never } } }))),
        )
        assert.strictEqual(layered.option, "a")
        assert.strictEqual(layered.problem, "type")
        assert.match(layered.message, /destination a is not an adapter/)
      }),
  )

  it("resolvePublisherOptions is pure: defaults filled in, or the error as a value", () => {
    const a = scriptedAdapter()
    const ok = resolvePublisherOptions({ destinations: { a: a.adapter }, concurrency: 2 })
    assert.isTrue(Result.isSuccess(ok))
    const resolved = Result.getOrThrow(ok)
    assert.strictEqual(resolved.destinations[0]!.concurrency, 2)
    assert.strictEqual(resolved.destinations[0]!.requestTimeoutMs, publisherDefaults.requestTimeoutMs)
    assert.deepStrictEqual(resolved.buffer, publisherDefaults.buffer)
    const bad = resolvePublisherOptions({ destinations: {} })
    assert.isTrue(Result.isFailure(bad))
    assert.strictEqual(Result.isFailure(bad) && bad.failure.option, "destinations")
  })

  it("createPublisher keeps throwing RangeError and TypeError with the same messages", () => {
    const a = scriptedAdapter()
    assert.throws(
      () => createPublisher({ destinations: { a: a.adapter }, buffer: { maxEvents: 1.5 } }),
      RangeError,
      "createPublisher: buffer.maxEvents must be a positive integer, got 1.5",
    )
    assert.throws(
      () => createPublisher({ destinations: { a: 42 as never } }),
      TypeError,
      /destination a is not an adapter/,
    )
  })
})
