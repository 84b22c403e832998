/**
 * Retrying, in two small objects: a destination's {@link Retrying} (its schedule and its budget)
 * and each job's {@link RetryState} (its step of that schedule, when it started, what its last
 * retry cost). Deciding about a failed request is one call: retry after a delay, or give up.
 */
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Pull from "effect/Pull"
import * as Schedule from "effect/Schedule"
import type { ResolvedRetryOptions } from "../PublisherOptions.ts"
import { type RetryInput, retrySchedule } from "../RetrySchedule.ts"
import { RetryBudget } from "./RetryBudget.ts"

/** One job's position in the retry schedule (`Schedule.toStep`): the wait before its next attempt, or done. */
type RetryStep = (
  now: number,
  input: RetryInput,
) => Pull.Pull<[Duration.Duration, Duration.Duration], never, Duration.Duration>

/** Where one job stands. */
export class RetryState {
  /** Effect clock time of the first attempt (ms), -1 before it. */
  startedAt = -1
  /** Tokens the last retry took from the budget, given back when it succeeds. */
  cost = 0
  /** This job's step of the destination's schedule, made at its first failure. */
  step: RetryStep | undefined = undefined
}

/**
 * What to do with the entries a failed request left retryable: `retry` after `delay`, or give up
 * because the schedule is `done` (attempts or time) or the budget is `exhausted`.
 */
export type RetryDecision =
  | { readonly _tag: "retry"; readonly delay: Duration.Duration }
  | { readonly _tag: "done" }
  | { readonly _tag: "exhausted" }

const done: RetryDecision = { _tag: "done" }
const exhausted: RetryDecision = { _tag: "exhausted" }

/** A destination's retry policy: one schedule stepped per job, one budget shared by its jobs. */
export class Retrying {
  private readonly schedule: Schedule.Schedule<Duration.Duration, RetryInput>
  private readonly budget: RetryBudget | undefined

  constructor(settings: ResolvedRetryOptions) {
    this.schedule = retrySchedule(settings)
    this.budget = settings.budget === undefined ? undefined : new RetryBudget(settings.budget)
  }

  /** Tokens left in the budget (tests and diagnostics); undefined without a budget. */
  get budgetTokens(): number | undefined {
    return this.budget?.available
  }

  /** The job's request left nothing to retry: AWS SDK standard mode refills the budget. */
  settledWithoutRetry(state: RetryState, requestSucceeded: boolean): void {
    // A successful retry gives back what it took, any other successful request one token.
    if (requestSucceeded) {
      if (state.cost > 0) this.budget?.refill(state.cost)
      else this.budget?.refill()
    }
    state.cost = 0
  }

  /**
   * Steps the job's schedule after a failed attempt, then pays the retry from the budget (more
   * after a timeout). `now` is the Effect clock's time in ms.
   */
  decide(
    state: RetryState,
    now: number,
    throttled: boolean,
    timedOut: boolean,
  ): Effect.Effect<RetryDecision> {
    state.cost = 0
    const input: RetryInput = { throttled, elapsedMs: now - state.startedAt }
    const step =
      state.step === undefined
        ? Effect.map(Schedule.toStep(this.schedule), (next) => (state.step = next))
        : Effect.succeed(state.step)
    return Effect.flatMap(step, (next) =>
      Pull.matchEffect(next(now, input), {
        onSuccess: ([delay]): Effect.Effect<RetryDecision> => {
          const cost = this.budget?.tryAcquire(timedOut)
          if (cost === 0) return Effect.succeed(exhausted)
          if (cost !== undefined) state.cost = cost
          return Effect.succeed({ _tag: "retry", delay })
        },
        onDone: () => Effect.succeed(done),
        onFailure: Effect.failCause,
      }),
    )
  }
}
