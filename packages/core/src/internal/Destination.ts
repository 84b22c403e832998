/**
 * One destination of a publisher: its own queue of requests, its own workers (concurrency), its own
 * retry budget. A slow or failing destination only ever waits on itself.
 */
import { Duration, Effect, Fiber, Metric, Queue, Random, Schedule, type Scope } from "effect"
import type { Adapter, Batch, SendResult } from "../Adapter.ts"
import { type DeliveryError, deliveryError } from "../DeliveryError.ts"
import type { Event } from "../Event.ts"
import * as Metrics from "../Metrics.ts"
import type { DestinationCounts, Failed } from "../Outcome.ts"
import type { PackItem } from "../Packing.ts"
import { RetryBudget, type RetryBudgetSettings } from "./RetryBudget.ts"
import type { Run } from "./Run.ts"

export interface ResolvedRetry {
  readonly maxAttempts: number
  readonly baseDelayMs: number
  readonly maxDelayMs: number
  readonly throttledBaseDelayMs: number
  readonly maxElapsedMs: number
  readonly budget: RetryBudgetSettings | undefined
}

/** One encoded (event, destination) pair on its way. */
export interface Entry extends PackItem {
  readonly event: Event
  readonly entry: unknown
  readonly sentId: string | undefined
}

/** One request's worth of entries, all of one run. */
export interface Job {
  readonly entries: ReadonlyArray<Entry>
  readonly batchKey: string | undefined
  readonly run: Run
}

export interface DestinationSettings {
  readonly name: string
  readonly adapter: Adapter<unknown>
  readonly route: ((event: Event) => boolean) | undefined
  readonly concurrency: number
  readonly retry: ResolvedRetry
  readonly requestTimeoutMs: number
  /** Requests waiting for a worker before producers wait. */
  readonly queueCapacity: number
}

/** Failure of one attempt that leaves retryable entries: drives the retry schedule. */
class RetryPending {
  readonly _tag = "RetryPending"
  constructor(readonly throttled: boolean) {}
}

/**
 * Exponential backoff with full jitter: attempt n waits a random time in
 * [0, min(maxDelay, base * 2^(n-1))], with a larger base after throttling, and never past the
 * elapsed limit. The attempt count and elapsed limits are also enforced per request by the engine,
 * which needs to report the entries it stops retrying.
 */
export const retrySchedule = (retry: ResolvedRetry): Schedule.Schedule<unknown, RetryPending> => {
  const throttleFactor = retry.throttledBaseDelayMs / retry.baseDelayMs
  const backoff = Schedule.exponential(Duration.millis(retry.baseDelayMs), 2).pipe(
    Schedule.setInputType<RetryPending>(),
    Schedule.modifyDelay(({ output, input, elapsed }) =>
      Effect.map(Random.next, (random) => {
        const ceiling = Math.min(
          retry.maxDelayMs,
          Duration.toMillis(output) * (input.throttled ? throttleFactor : 1),
        )
        return Duration.millis(Math.min(random * ceiling, Math.max(0, retry.maxElapsedMs - elapsed)))
      }),
    ),
  )
  return Schedule.max([
    backoff,
    Schedule.recurs(Math.max(0, retry.maxAttempts - 1)),
    Schedule.during(Duration.millis(retry.maxElapsedMs)),
  ])
}

const closedError = (attempts: number, outcomeUnknown: boolean) =>
  deliveryError("Closed", {
    rawMessage: "the publisher closed before the event was delivered",
    attempts,
    ...(outcomeUnknown ? { outcomeUnknown: true } : {}),
  })

export class Destination {
  readonly name: string
  readonly adapter: Adapter<unknown>
  readonly route: ((event: Event) => boolean) | undefined
  private readonly settings: DestinationSettings
  private readonly budget: RetryBudget | undefined
  private readonly schedule: Schedule.Schedule<unknown, RetryPending>
  private readonly outstanding = new Set<Job>()
  private workers: Array<Fiber.Fiber<unknown>> = []
  private stopped = false
  private readonly delivered: Metric.Counter<number>
  private readonly rejected: Metric.Counter<number>
  private readonly failed: Metric.Counter<number>
  private readonly retried: Metric.Counter<number>
  private readonly latency: Metric.Histogram<Duration.Duration>

  private constructor(
    settings: DestinationSettings,
    private readonly queue: Queue.Queue<Job>,
  ) {
    this.settings = settings
    this.name = settings.name
    this.adapter = settings.adapter
    this.route = settings.route
    this.budget = settings.retry.budget === undefined ? undefined : new RetryBudget(settings.retry.budget)
    this.schedule = retrySchedule(settings.retry)
    const attributes = { destination: settings.name, kind: settings.adapter.kind }
    this.delivered = Metric.withAttributes(Metrics.delivered, attributes)
    this.rejected = Metric.withAttributes(Metrics.rejected, attributes)
    this.failed = Metric.withAttributes(Metrics.failed, attributes)
    this.retried = Metric.withAttributes(Metrics.retried, attributes)
    this.latency = Metric.withAttributes(Metrics.requestDuration, attributes)
  }

  static make(settings: DestinationSettings): Effect.Effect<Destination> {
    return Effect.map(Queue.bounded<Job>(settings.queueCapacity), (queue) => new Destination(settings, queue))
  }

  /** Tokens left in the retry budget (for tests and diagnostics); undefined without a budget. */
  get budgetTokens(): number | undefined {
    return this.budget?.available
  }

  /** Starts the workers in the publisher's scope. */
  start(scope: Scope.Scope): Effect.Effect<void> {
    const worker = Effect.forever(Effect.flatMap(Queue.take(this.queue), (job) => this.deliver(job)))
    return Effect.forEach(Array.from({ length: this.settings.concurrency }), () =>
      Effect.forkIn(worker, scope),
    ).pipe(
      Effect.tap((fibers) =>
        Effect.sync(() => {
          this.workers = fibers
        }),
      ),
      Effect.asVoid,
    )
  }

  /** Hands a request to the workers; waits while the queue is full (backpressure). */
  submit(job: Job): Effect.Effect<void> {
    job.run.dispatched(1)
    this.outstanding.add(job)
    if (this.stopped) return this.countSettled(0, this.closeJob(job, job.entries, 0, false))
    if (Queue.offerUnsafe(this.queue, job)) return Effect.void
    return Effect.flatMap(Queue.offer(this.queue, job), (offered) =>
      offered ? Effect.void : this.countSettled(0, this.closeJob(job, job.entries, 0, false)),
    )
  }

  /** Metrics for pairs settled before any request (rejections, encode failures, overflow, close). */
  countSettled(rejected: number, failed: number): Effect.Effect<void> {
    if (rejected === 0 && failed === 0) return Effect.void
    return Effect.andThen(
      rejected === 0 ? Effect.void : Metric.update(this.rejected, rejected),
      failed === 0 ? Effect.void : Metric.update(this.failed, failed),
    )
  }

  /**
   * Stops the destination now: requests in flight are interrupted (their adapter's signal aborts)
   * and every pair not delivered yet is `Failed` with code `Closed`.
   */
  get stop(): Effect.Effect<void> {
    return Effect.suspend(() => {
      this.stopped = true
      return Effect.andThen(
        Fiber.interruptAll(this.workers),
        Effect.suspend(() => {
          // Shutting the queue down resumes producers waiting on it: their offers report false.
          Queue.shutdownUnsafe(this.queue)
          let closed = 0
          for (const job of Array.from(this.outstanding)) closed += this.closeJob(job, job.entries, 0, false)
          return this.countSettled(0, closed)
        }),
      )
    })
  }

  get close(): Effect.Effect<void> {
    return this.adapter.close
  }

  /** Settles a request's remaining entries as `Closed`; returns how many (0 if already settled). */
  private closeJob(
    job: Job,
    entries: ReadonlyArray<Entry>,
    attempts: number,
    outcomeUnknown: boolean,
  ): number {
    if (!this.outstanding.delete(job)) return 0
    const error = closedError(attempts, outcomeUnknown)
    for (const e of entries) job.run.record(this.failure(e, error, attempts))
    job.run.settled()
    return entries.length
  }

  private failure(e: Entry, error: DeliveryError, attempts: number): Failed {
    return { _tag: "Failed", destination: this.name, eventId: e.event.id, event: e.event, error, attempts }
  }

  /** Sends one request, retrying only its failed retryable entries, until every entry is settled. */
  private deliver(job: Job): Effect.Effect<void> {
    const { run } = job
    const counts = run.countsOf(this.name)
    let pending: ReadonlyArray<Entry> = job.entries
    let lastErrors: ReadonlyArray<DeliveryError> = []
    let attempts = 0
    let startedAt = 0
    let inFlight = false

    const giveUp = (toError: (error: DeliveryError) => DeliveryError) => {
      const failed = pending
      const errors = lastErrors
      pending = []
      for (let i = 0; i < failed.length; i++)
        run.record(this.failure(failed[i]!, toError(errors[i]!), attempts))
      return failed.length
    }

    const attempt: Effect.Effect<void, RetryPending> = Effect.suspend(() => {
      attempts++
      const entries = pending
      const wire = new Array<unknown>(entries.length)
      for (let i = 0; i < entries.length; i++) wire[i] = entries[i]!.entry
      counts.requests++
      inFlight = true
      return Effect.flatMap(
        this.send({ entries: wire, batchKey: job.batchKey, attempt: attempts }),
        (result) => {
          inFlight = false
          return this.settleAttempt(result, entries, attempts, counts, run, startedAt, (retry, errors) => {
            pending = retry
            lastErrors = errors
          })
        },
      )
    })

    return Effect.clockWith((clock) => {
      startedAt = clock.currentTimeMillisUnsafe()
      return attempt.pipe(
        Effect.retry(this.schedule),
        // The schedule stopped first (it mirrors the engine's own limits): report what is left.
        Effect.catch(() =>
          Effect.suspend(() =>
            Metric.update(
              this.failed,
              giveUp((e) => e),
            ),
          ),
        ),
        Effect.onInterrupt(() =>
          Effect.suspend(() => {
            const left = pending
            pending = []
            const unknown = inFlight || lastErrors.some((e) => e.outcomeUnknown === true)
            return this.countSettled(0, this.closeJob(job, left, attempts, unknown))
          }),
        ),
        Effect.ensuring(
          Effect.sync(() => {
            if (this.outstanding.delete(job)) run.settled()
          }),
        ),
      )
    })
  }

  /** One request: timeout (which aborts the adapter's signal), span, latency. Never fails. */
  private send(batch: Batch<unknown>): Effect.Effect<SendResult | DeliveryError> {
    const timeoutMs = this.settings.requestTimeoutMs
    return this.adapter.send(batch).pipe(
      Effect.timeoutOrElse({
        duration: Duration.millis(timeoutMs),
        orElse: () =>
          Effect.fail(
            deliveryError("Timeout", {
              rawMessage: `no response within ${timeoutMs} ms`,
              outcomeUnknown: true,
            }),
          ),
      }),
      Effect.catch((error: DeliveryError) => Effect.succeed(error)),
      Effect.trackDuration(this.latency),
      Effect.withSpan("eventport.send", {
        attributes: {
          destination: this.name,
          kind: this.adapter.kind,
          entries: batch.entries.length,
          attempt: batch.attempt,
        },
      }),
    )
  }

  /**
   * Records what one request settled and decides about the rest: retry (fail with RetryPending)
   * or give up with the last errors (attempts, elapsed time, or an empty retry budget).
   */
  private settleAttempt(
    result: SendResult | DeliveryError,
    entries: ReadonlyArray<Entry>,
    attempts: number,
    counts: DestinationCounts,
    run: Run,
    startedAt: number,
    keep: (retry: ReadonlyArray<Entry>, errors: ReadonlyArray<DeliveryError>) => void,
  ): Effect.Effect<void, RetryPending> {
    const retry: Array<Entry> = []
    const errors: Array<DeliveryError> = []
    let delivered = 0
    let failed = 0
    const fail = (e: Entry, error: DeliveryError) => {
      if (error.retryable) {
        retry.push(e)
        errors.push(error)
      } else {
        failed++
        run.record(this.failure(e, error.attempts === attempts ? error : error.with({ attempts }), attempts))
      }
    }
    if (!Array.isArray(result)) {
      const error = (result as DeliveryError).with({ attempts })
      for (const e of entries) fail(e, error)
    } else {
      const results = result as SendResult
      // Results must be index-aligned; a longer answer cannot be matched to entries at all.
      const matched =
        results.length === entries.length
          ? entries.length
          : results.length < entries.length
            ? results.length
            : 0
      if (matched < entries.length) {
        const bug = deliveryError("Unknown", {
          retryable: false,
          outcomeUnknown: true,
          rawMessage: `adapter ${this.adapter.kind} bug: send returned ${results.length} results for ${entries.length} entries (one result per entry, in order)`,
          attempts,
        })
        for (let i = matched; i < entries.length; i++) {
          failed++
          run.record(this.failure(entries[i]!, bug, attempts))
        }
      }
      for (let i = 0; i < matched; i++) {
        const e = entries[i]!
        const r = results[i]!
        if (r.ok) {
          delivered++
          const outcome: {
            _tag: "Delivered"
            destination: string
            eventId: string
            event: Event
            attempts: number
            receipt?: string
            sentId?: string
          } = { _tag: "Delivered", destination: this.name, eventId: e.event.id, event: e.event, attempts }
          if (r.receipt !== undefined) outcome.receipt = r.receipt
          if (e.sentId !== undefined) outcome.sentId = e.sentId
          run.record(outcome)
        } else fail(e, r.error)
      }
    }
    if (retry.length === 0 && failed === 0) this.budget?.refill()

    let metrics = Effect.andThen(
      delivered === 0 ? Effect.void : Metric.update(this.delivered, delivered),
      failed === 0 ? Effect.void : Metric.update(this.failed, failed),
    )
    if (retry.length === 0) {
      keep([], [])
      return metrics
    }

    return Effect.flatMap(
      Effect.clockWith((clock) => Effect.succeed(clock.currentTimeMillisUnsafe())),
      (now) => {
        let stop: ((e: DeliveryError) => DeliveryError) | undefined
        if (
          attempts >= this.settings.retry.maxAttempts ||
          now - startedAt >= this.settings.retry.maxElapsedMs
        )
          stop = (e) => e.with({ attempts })
        else if (
          this.budget !== undefined &&
          !this.budget.tryAcquire(errors.some((e) => e.code === "Timeout"))
        )
          // Budget exhaustion keeps what the destination said (raw code, message, outcomeUnknown)
          // and names the budget in the code: the engine chose not to retry.
          stop = (e) =>
            e.with({
              code: "RetryBudgetExhausted",
              retryable: true,
              lastCode: e.code,
              attempts,
            })
        if (stop !== undefined) {
          for (let i = 0; i < retry.length; i++)
            run.record(this.failure(retry[i]!, stop(errors[i]!), attempts))
          keep([], [])
          metrics = Effect.andThen(metrics, Metric.update(this.failed, retry.length))
          return metrics
        }
        counts.retried += retry.length
        keep(retry, errors)
        return metrics.pipe(
          Effect.andThen(Metric.update(this.retried, retry.length)),
          Effect.andThen(Effect.fail(new RetryPending(errors.some((e) => e.code === "Throttled")))),
        )
      },
    )
  }
}
