/**
 * One destination of a publisher: its own bounded queue of requests, its own workers (concurrency),
 * its own retry budget. A slow or failing destination only ever waits on itself; a request waiting
 * for its retry holds no worker.
 */
import {
  Clock,
  Context,
  Duration,
  Effect,
  Fiber,
  Metric,
  Pull,
  Queue,
  References,
  Schedule,
  type Scope,
  Tracer,
} from "effect"
import type { Adapter, Batch, SendResult } from "../Adapter.ts"
import { type DeliveryError, deliveryError } from "../DeliveryError.ts"
import type { Event } from "../Event.ts"
import * as Metrics from "../Metrics.ts"
import type { Delivered, Failed, Outcome } from "../Outcome.ts"
import type { PackItem } from "../Packing.ts"
import { type RetryInput, retrySchedule } from "../RetrySchedule.ts"
import { type DirectSend, directSendOf } from "./DirectSend.ts"
import { RequestDeadlines } from "./RequestDeadlines.ts"
import { RetryBudget, type RetryBudgetSettings } from "./RetryBudget.ts"
import type { Run } from "./Run.ts"
import { Signal } from "./Signal.ts"

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

/**
 * One request's worth of entries, all of one run, and its retry state. A job waiting out its
 * backoff holds no worker: it sits on a timer and joins the queue again when due.
 */
export class Job {
  /** Requests that carried these entries so far. */
  attempts = 0
  /** Effect clock time of the first attempt (ms), -1 before it. */
  startedAt = -1
  /** Tokens the last retry took from the budget, given back when it succeeds. */
  retryCost = 0
  /** A request with these entries is out now (an interrupt leaves the outcome unknown). */
  inFlight = false
  /**
   * Entries an earlier request may have applied (it ended with an unknown outcome): a later
   * Delivered is a possible duplicate, a later Failed keeps `outcomeUnknown`. Rare, so made on first need.
   */
  inDoubt: Set<Entry> | undefined = undefined
  /** This request's step of the destination's retry schedule, made at its first failure. */
  nextRetry: RetryStep | undefined = undefined
  constructor(
    /** Entries not settled yet. */
    public entries: ReadonlyArray<Entry>,
    readonly batchKey: string | undefined,
    readonly run: Run,
  ) {}
}

export interface DestinationSettings {
  readonly name: string
  readonly adapter: Adapter<unknown>
  readonly route: ((event: Event) => boolean) | undefined
  readonly concurrency: number
  readonly retry: ResolvedRetry
  readonly requestTimeoutMs: number
  /** Entries queued (waiting for a worker or for their retry) before producers wait. */
  readonly maxQueuedEvents: number
  /** The publisher's dead-letter destination: its outcomes are counted apart, never dead-lettered. */
  readonly deadLetter?: boolean
}

/** One request's position in the retry schedule (`Schedule.toStep`): the wait before its next attempt, or done. */
type RetryStep = (
  now: number,
  input: RetryInput,
) => Pull.Pull<[Duration.Duration, Duration.Duration], never, Duration.Duration>

const closedError = (attempts: number, outcomeUnknown: boolean): DeliveryError =>
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
  private readonly retrySchedule: Schedule.Schedule<Duration.Duration, RetryInput>
  /** Jobs handed to this destination and not settled yet (queued, in flight or waiting to retry). */
  private readonly outstanding = new Set<Job>()
  private readonly timers = new Set<Fiber.Fiber<unknown>>()
  private workers: Array<Fiber.Fiber<unknown>> = []
  private stopped = false
  /** Entries queued or waiting for their retry: producers wait while it is at the bound. */
  private queuedEntries = 0
  private readonly room = new Signal()
  private context: Context.Context<never> | undefined
  private scope: Scope.Scope | undefined
  private readonly delivered: Metric.Counter<number>
  private readonly rejected: Metric.Counter<number>
  private readonly failed: Metric.Counter<number>
  private readonly retried: Metric.Counter<number>
  private readonly latency: Metric.Histogram<Duration.Duration>
  private readonly spanAttributes: Record<string, unknown>
  /** The `defineAdapter` definition's own send, when the adapter has one (see DirectSend). */
  private readonly direct: DirectSend | undefined
  /** Timeouts of requests sent through `direct`, watched by one fiber; made at start. */
  private deadlines: RequestDeadlines | undefined
  /**
   * No tracing backend is installed (Effect's native tracer, or tracing disabled) where the workers
   * run: a span per Promise send could be seen by no one, so that path makes none. Set at start.
   */
  private untraced = false

  private constructor(
    settings: DestinationSettings,
    private readonly queue: Queue.Queue<Job>,
  ) {
    this.settings = settings
    this.name = settings.name
    this.adapter = settings.adapter
    this.route = settings.route
    this.budget = settings.retry.budget === undefined ? undefined : new RetryBudget(settings.retry.budget)
    this.retrySchedule = retrySchedule(settings.retry)
    const attributes = { destination: settings.name, kind: settings.adapter.kind }
    this.delivered = Metric.withAttributes(Metrics.delivered, attributes)
    this.rejected = Metric.withAttributes(Metrics.rejected, attributes)
    this.failed = Metric.withAttributes(Metrics.failed, attributes)
    this.retried = Metric.withAttributes(Metrics.retried, attributes)
    this.latency = Metric.withAttributes(Metrics.requestDuration, attributes)
    this.spanAttributes = attributes
    this.direct = directSendOf(settings.adapter)
  }

  static make(settings: DestinationSettings): Effect.Effect<Destination> {
    // Unbounded: the bound is `maxQueuedEvents`, counted in entries, which retries may exceed by
    // what is in flight (a retry never waits for room, so it can never deadlock the workers).
    return Effect.map(Queue.unbounded<Job>(), (queue) => new Destination(settings, queue))
  }

  /** Tokens left in the retry budget (for tests and diagnostics); undefined without a budget. */
  get budgetTokens(): number | undefined {
    return this.budget?.available
  }

  /** Starts the workers in the publisher's scope. */
  start(scope: Scope.Scope): Effect.Effect<void> {
    this.scope = scope
    return Effect.flatMap(Effect.context<never>(), (context) => {
      this.context = context
      this.untraced =
        !Context.get(context, References.TracerEnabled) ||
        Context.get(context, Tracer.Tracer) === Tracer.nativeTracer
      const clock = Context.get(context, Clock.Clock)
      const worker = Effect.forever(Effect.flatMap(Queue.take(this.queue), (job) => this.attempt(job, clock)))
      const deadlines =
        this.direct === undefined ? undefined : new RequestDeadlines(this.settings.requestTimeoutMs, clock)
      this.deadlines = deadlines
      return Effect.forEach(Array.from({ length: this.settings.concurrency }), () =>
        Effect.forkIn(worker, scope),
      ).pipe(
        Effect.flatMap((fibers) =>
          deadlines === undefined
            ? Effect.succeed(fibers)
            : Effect.map(Effect.forkIn(deadlines.watch, scope), (watcher) => [...fibers, watcher]),
        ),
        Effect.map((fibers) => {
          // Stopping interrupts them all, the deadline watcher included.
          this.workers = fibers
          return undefined
        }),
      )
    })
  }

  /** Hands a request to the workers; waits while this destination's queue is full (backpressure). */
  submit(job: Job): Effect.Effect<void> {
    job.run.dispatched(1)
    this.outstanding.add(job)
    if (this.stopped) return this.countSettled(0, this.closeJob(job, 0, false))
    const n = job.entries.length
    const max = this.settings.maxQueuedEvents
    // An empty queue always takes a request, so a request larger than the bound still goes.
    if (this.queuedEntries === 0 || this.queuedEntries + n <= max) return Effect.sync(() => this.enqueue(job))
    return Effect.andThen(
      this.room.waitUntil(() => this.stopped || this.queuedEntries === 0 || this.queuedEntries + n <= max),
      Effect.suspend(() =>
        this.stopped
          ? this.countSettled(0, this.closeJob(job, 0, false))
          : Effect.sync(() => this.enqueue(job)),
      ),
    )
  }

  /** Hands a request over without waiting for room (dead letters of pairs that close failed). */
  submitUnsafe(job: Job): void {
    job.run.dispatched(1)
    this.outstanding.add(job)
    if (this.stopped) this.countSettledUnsafe(0, this.closeJob(job, 0, false))
    else this.enqueue(job)
  }

  private enqueue(job: Job) {
    this.queuedEntries += job.entries.length
    Queue.offerUnsafe(this.queue, job)
  }

  /** Metrics for pairs settled before any request (rejections, encode failures, overflow, close). */
  countSettled(rejected: number, failed: number): Effect.Effect<void> {
    if (rejected === 0 && failed === 0) return Effect.void
    return Effect.andThen(
      rejected === 0 ? Effect.void : Metric.update(this.rejected, rejected),
      failed === 0 ? Effect.void : Metric.update(this.failed, failed),
    )
  }

  private countSettledUnsafe(rejected: number, failed: number) {
    const context = this.context
    if (context === undefined) return
    if (rejected > 0) this.rejected.updateUnsafe(rejected, context)
    if (failed > 0) this.failed.updateUnsafe(failed, context)
  }

  /**
   * Stops the destination now: requests in flight are interrupted (their adapter's signal aborts),
   * retry timers are cancelled, and every pair not delivered yet is `Failed` with code `Closed`.
   */
  get stop(): Effect.Effect<void> {
    return Effect.suspend(() => {
      this.stopped = true
      this.room.notify()
      return Effect.andThen(
        Fiber.interruptAll([...this.workers, ...this.timers]),
        Effect.suspend(() => {
          Queue.shutdownUnsafe(this.queue)
          let closed = 0
          for (const job of Array.from(this.outstanding))
            closed += this.closeJob(job, job.attempts, job.inFlight)
          return this.countSettled(0, closed)
        }),
      )
    })
  }

  get close(): Effect.Effect<void> {
    return this.adapter.close
  }

  /** Requests not settled yet, queued, in flight or waiting for a retry. */
  get busy(): boolean {
    return this.outstanding.size > 0
  }

  private record(run: Run, outcome: Outcome) {
    if (this.settings.deadLetter === true) run.recordDeadLetter(outcome)
    else run.record(outcome)
  }

  /**
   * Settles a request's remaining entries as `Closed`; returns how many (0 if already settled).
   * `inFlight`: the request was interrupted, so every entry's outcome is unknown; otherwise only
   * those an earlier request left in doubt.
   */
  private closeJob(job: Job, attempts: number, inFlight: boolean): number {
    if (!this.outstanding.delete(job)) return 0
    const error = closedError(attempts, inFlight)
    const inDoubt = inFlight ? undefined : job.inDoubt
    const doubtful = inDoubt === undefined ? error : closedError(attempts, true)
    const entries = job.entries
    for (const e of entries)
      this.record(job.run, this.failure(e, inDoubt?.has(e) === true ? doubtful : error, attempts))
    job.entries = []
    job.run.settled()
    job.run.flushDeadLettersNow()
    return entries.length
  }

  /**
   * A request is settled: its dead letters are handed over first (waiting for room in the
   * dead-letter queue, which holds this worker: backpressure), so `publish` waits for them too.
   * The dead-letter destination's own outcomes are never dead-lettered, so it never waits on itself.
   */
  private finish(job: Job): Effect.Effect<void> {
    // Called inside the worker's step for this request: with nothing to hand over, it settles now
    // rather than in two more Effect steps per request.
    if (this.settings.deadLetter === true || !job.run.hasDeadLetters) {
      this.finishNow(job)
      return Effect.void
    }
    return Effect.andThen(
      job.run.flushDeadLetters,
      Effect.sync(() => this.finishNow(job)),
    )
  }

  private finishNow(job: Job) {
    if (this.outstanding.delete(job)) job.run.settled()
    // Whoever waits for this destination to go idle (close's dead-letter grace) re-checks.
    if (this.outstanding.size === 0) job.run.notify()
  }

  private failure(e: Entry, error: DeliveryError, attempts: number): Failed {
    return { _tag: "Failed", destination: this.name, eventId: e.event.id, event: e.event, error, attempts }
  }

  /**
   * The error an entry ends `Failed` with: `error` with the attempts, and `outcomeUnknown` when an
   * earlier request may have applied it (even if the last answer was a clean refusal).
   */
  private finalError(job: Job, e: Entry, error: DeliveryError, attempts: number): DeliveryError {
    const doubt = error.outcomeUnknown !== true && job.inDoubt !== undefined && job.inDoubt.has(e)
    if (doubt) return error.with({ attempts, outcomeUnknown: true })
    return error.attempts === attempts ? error : error.with({ attempts })
  }

  /** One request of a job; what stays retryable waits for its backoff off the workers. */
  private attempt(job: Job, clock: Clock.Clock): Effect.Effect<void> {
    if (!this.outstanding.has(job)) return Effect.void
    const entries = job.entries
    this.queuedEntries -= entries.length
    this.room.notify()
    const now = clock.currentTimeMillisUnsafe()
    if (job.startedAt < 0) job.startedAt = now
    job.attempts++
    const attempts = job.attempts
    const wire = new Array<unknown>(entries.length)
    for (let i = 0; i < entries.length; i++) wire[i] = entries[i]!.entry
    job.run.countsOf(this.name).requests++
    job.inFlight = true
    return Effect.flatMap(
      this.send({ entries: wire, batchKey: job.batchKey, attempt: attempts }, now, clock),
      (result) => {
        job.inFlight = false
        return this.settle(job, entries, attempts, result, clock)
      },
    )
  }

  /**
   * One request: timeout (which aborts the adapter's signal), span, latency. Never fails.
   * The latency is read from the clock around the request rather than a tracking wrapper.
   */
  private send(
    batch: Batch<unknown>,
    startedAt: number,
    clock: Clock.Clock,
  ): Effect.Effect<SendResult | DeliveryError> {
    const direct = this.direct
    const deadlines = this.deadlines
    if (direct !== undefined && deadlines !== undefined && this.untraced)
      return this.sendDirect(direct, deadlines, batch, startedAt, clock)
    const answer =
      direct === undefined || deadlines === undefined
        ? this.withTimeout(this.adapter.send(batch))
        : this.sendDirect(direct, deadlines, batch, undefined, clock)
    return answer.pipe(
      Effect.map((result) => {
        this.recordLatency(startedAt, clock)
        return result
      }),
      // No stack trace per span: capturing one (an Error per request) was the engine's largest
      // single cost per request, and the span's name and attributes already say where it is.
      Effect.withSpan(
        Metrics.sendSpanName,
        { attributes: { ...this.spanAttributes, entries: batch.entries.length, attempt: batch.attempt } },
        { captureStackTrace: false },
      ),
    )
  }

  private recordLatency(startedAt: number, clock: Clock.Clock) {
    if (this.context !== undefined)
      this.latency.updateUnsafe(Duration.millis(clock.currentTimeMillisUnsafe() - startedAt), this.context)
  }

  /** What `send` adds around an adapter's Effect when the direct path made no span: span and latency. */
  private traced(
    batch: Batch<unknown>,
    answer: Effect.Effect<SendResult | DeliveryError>,
    startedAt: number,
    clock: Clock.Clock,
  ): Effect.Effect<SendResult | DeliveryError> {
    return answer.pipe(
      Effect.map((result) => {
        this.recordLatency(startedAt, clock)
        return result
      }),
      Effect.withSpan(
        Metrics.sendSpanName,
        { attributes: { ...this.spanAttributes, entries: batch.entries.length, attempt: batch.attempt } },
        { captureStackTrace: false },
      ),
    )
  }

  private timeoutError(): DeliveryError {
    return deliveryError("Timeout", {
      rawMessage: `no response within ${this.settings.requestTimeoutMs} ms`,
      outcomeUnknown: true,
    })
  }

  /** An adapter's own Effect raced against the request timeout (adapters not made by `defineAdapter`). */
  private withTimeout(
    sent: Effect.Effect<SendResult, DeliveryError>,
  ): Effect.Effect<SendResult | DeliveryError> {
    return sent.pipe(
      Effect.timeoutOrElse({
        duration: Duration.millis(this.settings.requestTimeoutMs),
        orElse: () => Effect.fail(this.timeoutError()),
      }),
      Effect.catch((error: DeliveryError) => Effect.succeed(error)),
    )
  }

  /**
   * One request through the definition's own send. A Promise is awaited in one async step: the
   * destination's deadline watcher (not a fiber per request) aborts the signal and answers Timeout
   * when it is due, and an interrupt (close) aborts the signal too. An Effect-returning send runs as
   * an Effect, raced against the timeout.
   */
  private sendDirect(
    direct: DirectSend,
    deadlines: RequestDeadlines,
    batch: Batch<unknown>,
    untracedStart: number | undefined,
    clock: Clock.Clock,
  ): Effect.Effect<SendResult | DeliveryError> {
    // Traced, the send runs inside the span `send` wraps around this; untraced, it runs now (the
    // worker is already inside its step for this request) and records its own latency.
    return untracedStart === undefined
      ? Effect.suspend(() => this.sendNow(direct, deadlines, batch, undefined, clock))
      : this.sendNow(direct, deadlines, batch, untracedStart, clock)
  }

  private sendNow(
    direct: DirectSend,
    deadlines: RequestDeadlines,
    batch: Batch<unknown>,
    untracedStart: number | undefined,
    clock: Clock.Clock,
  ): Effect.Effect<SendResult | DeliveryError> {
    const controller = new AbortController()
    let sent: unknown
    try {
      sent = direct.send(batch, { signal: controller.signal })
    } catch (error) {
      const thrown = Effect.sync(() => direct.toDeliveryError(error))
      return untracedStart === undefined ? thrown : this.traced(batch, thrown, untracedStart, clock)
    }
    if (Effect.isEffect(sent)) {
      const answer = this.withTimeout(
        (sent as Effect.Effect<SendResult, unknown>).pipe(Effect.mapError(direct.toDeliveryError)),
      )
      // An Effect send may read its span even without a tracing backend: it keeps it.
      return untracedStart === undefined ? answer : this.traced(batch, answer, untracedStart, clock)
    }
    const promise = sent as PromiseLike<SendResult>
    return Effect.callback<SendResult | DeliveryError>((resume) => {
      const request = deadlines.start(() => {
        controller.abort()
        if (untracedStart !== undefined) this.recordLatency(untracedStart, clock)
        resume(Effect.succeed(this.timeoutError()))
      })
      const answered = (result: SendResult) => {
        if (!deadlines.settle(request)) return
        if (untracedStart !== undefined) this.recordLatency(untracedStart, clock)
        resume(Effect.succeed(result))
      }
      const failed = (error: unknown) => {
        if (!deadlines.settle(request)) return
        if (untracedStart !== undefined) this.recordLatency(untracedStart, clock)
        // Classified in the fiber, as Effect.tryPromise does with its catch.
        resume(Effect.sync(() => direct.toDeliveryError(error)))
      }
      try {
        promise.then(answered, failed)
      } catch (error) {
        // Neither a Promise nor an Effect: `then` is missing or throws.
        failed(error)
      }
      return Effect.sync(() => {
        // Interrupted (the publisher is closing): the request is abandoned and aborted.
        deadlines.settle(request)
        controller.abort()
      })
    })
  }

  /**
   * Records what one request settled and decides about the rest: back to the queue after a
   * backoff (fresh requests keep flowing meanwhile), or give up with the last errors (attempts,
   * elapsed time, or an empty retry budget). Metrics are updated once per request.
   */
  private settle(
    job: Job,
    entries: ReadonlyArray<Entry>,
    attempts: number,
    result: SendResult | DeliveryError,
    clock: Clock.Clock,
  ): Effect.Effect<void> {
    const run = job.run
    const context = this.context!
    let retry: Array<Entry> | undefined
    let errors: Array<DeliveryError> | undefined
    let delivered = 0
    let failed = 0
    let throttled = false
    let timedOut = false
    const fail = (e: Entry, error: DeliveryError) => {
      if (error.retryable) {
        if (retry === undefined) {
          retry = []
          errors = []
        }
        retry.push(e)
        errors!.push(error)
        if (error.code === "Throttled") throttled = true
        else if (error.code === "Timeout") timedOut = true
        // The destination may hold it already: whatever comes next must say so.
        if (error.outcomeUnknown === true) {
          if (job.inDoubt === undefined) job.inDoubt = new Set()
          job.inDoubt.add(e)
        }
      } else {
        failed++
        this.record(run, this.failure(e, this.finalError(job, e, error, attempts), attempts))
      }
    }
    const requestSucceeded = Array.isArray(result)
    if (!requestSucceeded) {
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
          this.record(run, this.failure(entries[i]!, bug, attempts))
        }
      }
      // Without a listener or retained Delivered outcomes, a delivery is only a count: no object.
      const keepDelivered = this.settings.deadLetter === true || run.wantsDelivered
      const inDoubt = job.inDoubt
      let duplicates = 0
      for (let i = 0; i < matched; i++) {
        const r = results[i]!
        const e = entries[i]!
        if (!r.ok) {
          fail(e, r.error)
          continue
        }
        delivered++
        // An earlier request of this entry may have been applied too: a possible duplicate.
        const duplicate = inDoubt?.has(e) === true
        if (duplicate) duplicates++
        if (!keepDelivered) continue
        const outcome: { -readonly [K in keyof Delivered]: Delivered[K] } = {
          _tag: "Delivered",
          destination: this.name,
          eventId: e.event.id,
          event: e.event,
          attempts,
        }
        if (r.receipt !== undefined) outcome.receipt = r.receipt
        if (e.sentId !== undefined) outcome.sentId = e.sentId
        if (duplicate) outcome.possibleDuplicate = true
        this.record(run, outcome)
      }
      if (!keepDelivered && delivered > 0) run.countDelivered(this.name, delivered, duplicates)
    }
    if (delivered > 0) this.delivered.updateUnsafe(delivered, context)
    if (requestSucceeded && retry === undefined) {
      // AWS SDK standard mode: a successful retry gives back what it took, any other success one token.
      if (job.retryCost > 0) this.budget?.refill(job.retryCost)
      else this.budget?.refill()
    }
    job.retryCost = 0
    if (retry === undefined) {
      if (failed > 0) this.failed.updateUnsafe(failed, context)
      job.entries = []
      return this.finish(job)
    }
    const pending = retry
    const pendingErrors = errors!
    const input: RetryInput = { throttled, elapsedMs: clock.currentTimeMillisUnsafe() - job.startedAt }
    const step =
      job.nextRetry === undefined
        ? Effect.map(Schedule.toStep(this.retrySchedule), (next) => (job.nextRetry = next))
        : Effect.succeed(job.nextRetry)
    return Effect.flatMap(step, (next) =>
      Pull.matchEffect(next(clock.currentTimeMillisUnsafe(), input), {
        onSuccess: ([delay]) => {
          const cost = this.budget?.tryAcquire(timedOut)
          if (cost === 0)
            // Budget exhaustion keeps what the destination said (raw code, message, outcomeUnknown)
            // and names the budget in the code: the engine chose not to retry.
            return this.giveUp(job, pending, pendingErrors, failed, (e) =>
              e.with({ code: "RetryBudgetExhausted", retryable: true, lastCode: e.code, attempts }),
            )
          if (cost !== undefined) job.retryCost = cost
          return this.retryAfter(job, pending, failed, delay)
        },
        // Out of attempts or time: the last errors as they are.
        onDone: () => this.giveUp(job, pending, pendingErrors, failed, (e) => e),
        onFailure: Effect.failCause,
      }),
    )
  }

  /** No retry for the pending entries: each ends `Failed` with its last error, as `toFailure` maps it. */
  private giveUp(
    job: Job,
    pending: ReadonlyArray<Entry>,
    errors: ReadonlyArray<DeliveryError>,
    failed: number,
    toFailure: (e: DeliveryError) => DeliveryError,
  ): Effect.Effect<void> {
    const attempts = job.attempts
    for (let i = 0; i < pending.length; i++) {
      const e = pending[i]!
      this.record(
        job.run,
        this.failure(e, this.finalError(job, e, toFailure(errors[i]!), attempts), attempts),
      )
    }
    this.failed.updateUnsafe(failed + pending.length, this.context!)
    job.entries = []
    return this.finish(job)
  }

  /** The pending entries wait out `delay` off the workers, then join the queue again. */
  private retryAfter(
    job: Job,
    pending: ReadonlyArray<Entry>,
    failed: number,
    delay: Duration.Duration,
  ): Effect.Effect<void> {
    const run = job.run
    const context = this.context!
    if (failed > 0) this.failed.updateUnsafe(failed, context)
    run.countsOf(this.name).retried += pending.length
    this.retried.updateUnsafe(pending.length, context)
    job.entries = pending
    // The job waits off the workers; it counts against the queue bound meanwhile.
    this.queuedEntries += pending.length
    const requeue = Effect.sync(() => {
      if (this.stopped || !this.outstanding.has(job)) return
      Queue.offerUnsafe(this.queue, job)
    })
    const wait =
      Duration.toMillis(delay) <= 0
        ? requeue
        : Effect.flatMap(
            Effect.forkIn(Effect.andThen(Effect.sleep(delay), requeue), this.scope!),
            (fiber) => {
              this.timers.add(fiber)
              fiber.addObserver(() => this.timers.delete(fiber))
              return Effect.void
            },
          )
    return this.settings.deadLetter === true ? wait : Effect.andThen(wait, run.flushDeadLetters)
  }
}
