/** Test-clock helpers: TestClock.adjust only wakes sleeps already scheduled, so step in a loop. */
import { Effect, Fiber, Random } from "effect"
import { TestClock } from "effect/testing"

/** Runs `effect` while stepping the test clock by `stepMs` until it completes. */
export const withClockSteps = <A, E, R>(effect: Effect.Effect<A, E, R>, stepMs = 1, maxSteps = 1_000_000) =>
  Effect.gen(function* () {
    const fiber = yield* Effect.forkChild(effect)
    for (let i = 0; i < maxSteps && fiber.pollUnsafe() === undefined; i++) {
      yield* TestClock.adjust(stepMs)
      yield* Effect.yieldNow
    }
    return yield* Fiber.join(fiber)
  })

/** A Random that always answers `value`, so full jitter gives a known delay. */
export const fixedRandom = (value: number) =>
  Effect.provideService(Random.Random, { nextDoubleUnsafe: () => value, nextIntUnsafe: () => 0 })
