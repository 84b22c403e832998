import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import {
  type Delivered,
  deliveryError,
  entryFailed,
  entryOk,
  type Failed,
  type Outcome,
  Publisher,
  type PublisherOptions,
} from "../src/index.ts"
import { fixedRandom, withClockSteps } from "./clock.ts"
import { events, type SentRequest, scriptedAdapter } from "./ScriptedAdapter.ts"

const publishWith = (options: PublisherOptions, input: ReadonlyArray<unknown>) =>
  Effect.scoped(Effect.flatMap(Publisher.make(options), (p) => withClockSteps(p.publish(input as never))))

const deliveredOf = (outcomes: ReadonlyArray<Outcome>) =>
  outcomes.filter((o): o is Delivered => o._tag === "Delivered")
const failedOf = (outcomes: ReadonlyArray<Outcome>) =>
  outcomes.filter((o): o is Failed => o._tag === "Failed")

/**
 * A destination that stores every entry of a request as soon as it arrives; the first request that
 * carries e0 then hangs past the engine's request timeout (applied, answer lost). What happens to
 * e0's later requests is `later`'s answer.
 */
const applyThenTimeout = (later: (request: SentRequest) => ReturnType<typeof entryOk>) => {
  const stored: Array<string> = []
  const scripted = scriptedAdapter({
    limits: { maxEntries: 1 },
    latencyMs: (r) => (r.ids[0] === "e0" && r.attempt === 1 ? 5_000 : 0),
    answer: (r) => {
      stored.push(...r.ids)
      return r.ids[0] === "e0" && r.attempt > 1 ? [later(r)] : r.ids.map(() => entryOk())
    },
  })
  // The hanging request is stored before its answer is lost: record it when it starts.
  const adapter = {
    ...scripted.adapter,
    send: (batch: Parameters<typeof scripted.adapter.send>[0]) => {
      if (batch.attempt === 1 && batch.entries[0]?.id === "e0") stored.push("e0")
      return scripted.adapter.send(batch)
    },
  }
  return { adapter, stored, requests: scripted.requests }
}

const options = (adapter: PublisherOptions["destinations"][string]): PublisherOptions => ({
  destinations: { a: adapter },
  requestTimeoutMs: 1_000,
  retry: { maxAttempts: 3, baseDelayMs: 10 },
})

describe("Publisher: duplicates are visible, never hidden", () => {
  it.effect("applied, timed out, then delivered on retry: Delivered with possibleDuplicate, counted", () =>
    Effect.gen(function* () {
      const d = applyThenTimeout(() => entryOk("r-e0"))
      const result = yield* publishWith(options(d.adapter), events(3))
      // The destination holds e0 twice: the outcome says it may.
      assert.deepStrictEqual(
        d.stored.filter((id) => id === "e0"),
        ["e0", "e0"],
      )
      const delivered = deliveredOf(result.outcomes)
      assert.strictEqual(delivered.length, 3)
      const e0 = delivered.find((o) => o.eventId === "e0")!
      assert.strictEqual(e0.possibleDuplicate, true)
      assert.strictEqual(e0.attempts, 2)
      for (const o of delivered.filter((o) => o.eventId !== "e0"))
        assert.strictEqual("possibleDuplicate" in o, false)
      assert.strictEqual(result.counts.a!.possibleDuplicates, 1)
      assert.strictEqual(result.counts.a!.outcomeUnknown, 0)
      assert.strictEqual(result.possibleDuplicates, 1)
      assert.strictEqual(result.ok, true)
    }).pipe(fixedRandom(0.5)),
  )

  it.effect("the count holds without retained outcomes or a listener (no Delivered objects)", () =>
    Effect.gen(function* () {
      const d = applyThenTimeout(() => entryOk())
      const result = yield* publishWith({ ...options(d.adapter), retainOutcomes: "none" }, events(3))
      assert.strictEqual(result.outcomes.length, 0)
      assert.strictEqual(result.counts.a!.delivered, 3)
      assert.strictEqual(result.counts.a!.possibleDuplicates, 1)
      assert.strictEqual(result.possibleDuplicates, 1)
    }).pipe(fixedRandom(0.5)),
  )

  it.effect("applied, timed out, then refused for good: Failed keeps outcomeUnknown", () =>
    Effect.gen(function* () {
      const d = applyThenTimeout(() => entryFailed(deliveryError("InvalidRequest", { rawCode: "Refused" })))
      const result = yield* publishWith(options(d.adapter), events(2))
      const [failed] = failedOf(result.outcomes)
      assert.strictEqual(failed!.eventId, "e0")
      // The last answer was a clean refusal, but the first request may have been applied.
      assert.deepStrictEqual(
        [failed!.error.code, failed!.error.rawCode, failed!.error.outcomeUnknown, failed!.attempts],
        ["InvalidRequest", "Refused", true, 2],
      )
      assert.strictEqual(failed!.error.attempts, 2)
      assert.strictEqual(result.counts.a!.outcomeUnknown, 1)
      assert.strictEqual(result.counts.a!.possibleDuplicates, 0)
    }).pipe(fixedRandom(0.5)),
  )

  it.effect("applied, timed out, then throttled until attempts run out: Failed keeps outcomeUnknown", () =>
    Effect.gen(function* () {
      const d = applyThenTimeout(() => entryFailed(deliveryError("Throttled")))
      const result = yield* publishWith(options(d.adapter), events(1))
      const [failed] = failedOf(result.outcomes)
      assert.deepStrictEqual(
        [failed!.error.code, failed!.error.outcomeUnknown, failed!.attempts],
        ["Throttled", true, 3],
      )
      assert.strictEqual(result.counts.a!.outcomeUnknown, 1)
    }).pipe(fixedRandom(0.5)),
  )

  it.effect("a per-entry outcome-unknown answer marks only that entry of the request", () =>
    Effect.gen(function* () {
      const a = scriptedAdapter({
        answer: (r) =>
          r.attempt === 1
            ? r.ids.map((id) =>
                id === "e1"
                  ? entryFailed(deliveryError("InternalFailure", { outcomeUnknown: true }))
                  : entryOk(),
              )
            : r.ids.map(() => entryOk()),
      })
      const result = yield* publishWith({ destinations: { a: a.adapter } }, events(3))
      const flagged = deliveredOf(result.outcomes).filter((o) => o.possibleDuplicate === true)
      assert.deepStrictEqual(
        flagged.map((o) => o.eventId),
        ["e1"],
      )
      assert.strictEqual(result.counts.a!.possibleDuplicates, 1)
    }).pipe(fixedRandom(0.5)),
  )

  it.effect("clean retries (throttled, unavailable) leave no flag", () =>
    Effect.gen(function* () {
      const a = scriptedAdapter({
        answer: (r) =>
          r.attempt === 1
            ? deliveryError("Unavailable")
            : r.attempt === 2
              ? r.ids.map(() => entryFailed(deliveryError("Throttled")))
              : r.ids.map(() => entryOk()),
      })
      const result = yield* publishWith(
        { destinations: { a: a.adapter }, retry: { maxAttempts: 3, budget: false } },
        events(4),
      )
      const delivered = deliveredOf(result.outcomes)
      assert.strictEqual(delivered.length, 4)
      for (const o of delivered) {
        assert.strictEqual(o.attempts, 3)
        assert.strictEqual("possibleDuplicate" in o, false)
      }
      assert.strictEqual(result.counts.a!.possibleDuplicates, 0)
      assert.strictEqual(result.possibleDuplicates, 0)
    }).pipe(fixedRandom(0.5)),
  )

  it.effect(
    "closing while an entry waits for its retry after an unknown outcome: Closed with outcomeUnknown",
    () =>
      Effect.gen(function* () {
        const a = scriptedAdapter({
          answer: (r) =>
            r.ids.map((id) =>
              id === "e0" ? entryFailed(deliveryError("Network", { outcomeUnknown: true })) : entryOk(),
            ),
        })
        const p = yield* Publisher.make({
          destinations: { a: a.adapter },
          retry: { baseDelayMs: 60_000, maxDelayMs: 60_000 },
        })
        yield* p.enqueue(events(2)[0]!)
        yield* p.enqueue(events(2)[1]!)
        const result = yield* withClockSteps(p.close({ deadlineMs: 1_000 }), 10)
        const [failed] = failedOf(result.outcomes)
        assert.deepStrictEqual(
          [failed!.eventId, failed!.error.code, failed!.error.outcomeUnknown],
          ["e0", "Closed", true],
        )
        assert.strictEqual(result.counts.a!.delivered, 1)
      }).pipe(fixedRandom(0.5), Effect.scoped),
  )
})
