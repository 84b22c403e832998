/**
 * The publisher's retry policy as an Effect `Schedule`: exponential backoff (a larger base after
 * throttling), capped, with full jitter, a maximum number of attempts and an elapsed-time limit.
 * The engine steps one schedule per request (`Schedule.toStep`) after each failed attempt: a delay
 * means "re-queue the retryable entries when it is over", done means "give up with the last error".
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Random from "effect/Random"
import * as Schedule from "effect/Schedule"
import type { RetryOptions } from "./PublisherOptions.ts"

/** Defaults of {@link RetryOptions} (the budget's defaults live with the budget). */
export const retryScheduleDefaults = {
  maxAttempts: 5,
  baseDelayMs: 100,
  maxDelayMs: 20_000,
  throttledBaseDelayMs: 500,
  maxElapsedMs: 60_000,
} as const

/** What the retry schedule is stepped with after a failed attempt. */
export interface RetryInput {
  /** One of the errors that left entries to retry was a throttling error (`Throttled`). */
  readonly throttled: boolean
  /**
   * Time since the first attempt of these entries started, in ms. The schedule's own elapsed time
   * starts at its first step (the first failure); the limit counts the first request too.
   */
  readonly elapsedMs: number
}

/**
 * The retry policy of {@link RetryOptions} as a `Schedule` over {@link RetryInput}; its output and
 * its delay are the wait before the next attempt. After the n-th failed attempt:
 *
 * - the delay is a uniform random fraction (full jitter, drawn from Effect's `Random`) of
 *   `min(maxDelayMs, base × 2^(n−1))`, where `base` is `throttledBaseDelayMs` after a throttling
 *   error and `baseDelayMs` otherwise, and never runs past `maxElapsedMs`;
 * - it is done once n reaches `maxAttempts`, or once `maxElapsedMs` has passed since the first attempt.
 *
 * `Schedule.jittered` is not full jitter (it scales the delay by 0.8–1.2), hence `modifyDelay`.
 */
export const retrySchedule = (
  options: Omit<RetryOptions, "budget"> = {},
): Schedule.Schedule<Duration.Duration, RetryInput> => {
  const d = retryScheduleDefaults
  const maxAttempts = options.maxAttempts ?? d.maxAttempts
  const baseDelayMs = options.baseDelayMs ?? d.baseDelayMs
  const throttledScale = (options.throttledBaseDelayMs ?? d.throttledBaseDelayMs) / baseDelayMs
  const maxDelay = Duration.millis(options.maxDelayMs ?? d.maxDelayMs)
  const maxElapsedMs = options.maxElapsedMs ?? d.maxElapsedMs

  const exponential: Schedule.Schedule<Duration.Duration, RetryInput> = Schedule.exponential(
    Duration.millis(baseDelayMs),
  )
  const backoff = exponential.pipe(
    // Same growth from the throttled base: base × 2^(n−1) scaled by throttledBase / base.
    Schedule.modifyDelay(({ input, duration }) =>
      Effect.succeed(
        Duration.min(input.throttled ? Duration.times(duration, throttledScale) : duration, maxDelay),
      ),
    ),
    Schedule.modifyDelay(({ duration }) => Effect.map(Random.next, (r) => Duration.times(duration, r))),
  )
  const forever: Schedule.Schedule<number, RetryInput> = Schedule.forever
  const withinElapsed = Schedule.while(forever, ({ input }) => input.elapsedMs < maxElapsedMs)
  // max: recur only while every part recurs, waiting the longest delay (the others wait 0).
  return Schedule.max([backoff, Schedule.recurs(maxAttempts - 1), withinElapsed]).pipe(
    // No retry starts past the elapsed limit.
    Schedule.modifyDelay(({ input, duration }) =>
      Effect.succeed(Duration.min(duration, Duration.millis(Math.max(0, maxElapsedMs - input.elapsedMs)))),
    ),
  )
}
