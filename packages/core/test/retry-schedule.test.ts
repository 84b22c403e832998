import { assert, describe, it } from "@effect/vitest"
import { Duration, Effect, Exit, Pull, Schedule } from "effect"
import { type RetryInput, retrySchedule } from "../src/index.ts"
import { fixedRandom } from "./clock.ts"

/** Steps a fresh copy of `schedule` with `inputs`: the delay in ms of each step, or "done". */
const delays = (
  schedule: Schedule.Schedule<Duration.Duration, RetryInput>,
  inputs: ReadonlyArray<RetryInput>,
) =>
  Effect.gen(function* () {
    const step = yield* Schedule.toStep(schedule)
    const out: Array<number | "done"> = []
    for (const input of inputs) {
      const exit = yield* Effect.exit(step(0, input))
      if (Exit.isSuccess(exit)) out.push(Duration.toMillis(exit.value[1]))
      else {
        assert.isTrue(Pull.isDoneCause(exit.cause))
        out.push("done")
        break
      }
    }
    return out
  })

const plain = (elapsedMs = 0): RetryInput => ({ throttled: false, elapsedMs })
const throttled = (elapsedMs = 0): RetryInput => ({ throttled: true, elapsedMs })

describe("retrySchedule", () => {
  it.effect("waits a random fraction of base × 2^(n−1), from the throttled base after throttling", () =>
    Effect.gen(function* () {
      const s = retrySchedule()
      assert.deepStrictEqual(yield* delays(s, [plain(), plain(), plain()]), [50, 100, 200])
      assert.deepStrictEqual(yield* delays(s, [throttled(), plain(), throttled()]), [250, 100, 1_000])
    }).pipe(fixedRandom(0.5)),
  )

  it.effect("is full jitter: the random fraction goes down to 0", () =>
    Effect.gen(function* () {
      assert.deepStrictEqual(yield* delays(retrySchedule(), [plain(), throttled()]), [0, 0])
    }).pipe(fixedRandom(0)),
  )

  it.effect("caps the delay at maxDelayMs before the jitter", () =>
    Effect.gen(function* () {
      const s = retrySchedule({ maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 300 })
      assert.deepStrictEqual(yield* delays(s, [plain(), plain(), plain(), plain()]), [100, 200, 300, 300])
    }).pipe(fixedRandom(1)),
  )

  it.effect("is done after maxAttempts − 1 retries", () =>
    Effect.gen(function* () {
      const inputs = Array.from({ length: 5 }, () => plain())
      assert.deepStrictEqual(yield* delays(retrySchedule({ maxAttempts: 3 }), inputs), [0, 0, "done"])
      assert.deepStrictEqual(yield* delays(retrySchedule({ maxAttempts: 1 }), inputs), ["done"])
    }).pipe(fixedRandom(0)),
  )

  it.effect("is done once maxElapsedMs has passed, and no wait runs past it", () =>
    Effect.gen(function* () {
      const s = retrySchedule({ maxAttempts: 100, baseDelayMs: 1_000, maxElapsedMs: 2_500 })
      // 1 × 1000 ms, then 2000 ms cut to the 1000 ms left, then the limit has passed.
      assert.deepStrictEqual(yield* delays(s, [plain(0), plain(1_500), plain(2_500)]), [1_000, 1_000, "done"])
    }).pipe(fixedRandom(1)),
  )
})
