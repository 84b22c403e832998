/**
 * One destination of a publisher: its own bounded queue of requests, its own workers (concurrency),
 * retry timers and stop. A slow or failing destination only ever waits on itself; a request waiting
 * for its retry holds no worker. The request itself (timeout, span) is RequestSend.ts, what an
 * answer settles is Settle.ts, when to retry is RetryState.ts, the outcomes and metrics it reports
 * are DestinationOutcomes.ts, and the ordered mode's gate is KeyGate.ts.
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Queue from "effect/Queue"
import type * as Scope from "effect/Scope"
import type { Adapter } from "../Adapter.ts"
import type { DeliveryError } from "../DeliveryError.ts"
import type { Event } from "../Event.ts"
import type { PackedBatch } from "../Packing.ts"
import type { Ordering, ResolvedDestinationOptions } from "../PublisherOptions.ts"
import { DestinationOutcomes } from "./DestinationOutcomes.ts"
import { type Entry, Job } from "./Job.ts"
import { KeyGate, orderingKeysOf } from "./KeyGate.ts"
import { withMetricAttributes } from "./MetricContext.ts"
import { RequestSend } from "./RequestSend.ts"
import { Retrying } from "./RetryState.ts"
import type { Run } from "./Run.ts"
import { SendRate } from "./SendRate.ts"
import { type FinalFailure, finalError, type PendingRetry, type Settlement, settle } from "./Settle.ts"
import { Signal } from "./Signal.ts"

/** What a destination is made from: its options, resolved (see `resolvePublisherOptions`). */
export type DestinationSettings = ResolvedDestinationOptions

export class Destination {
  readonly name: string
  readonly adapter: Adapter<unknown>
  readonly route: ((event: Event) => boolean) | undefined
  readonly ordering: Ordering
  private readonly settings: DestinationSettings
  private readonly retrying: Retrying
  private readonly request: RequestSend
  /** Paces requests once the destination throttles; undefined when `sendRate` is off. */
  private readonly sendRate: SendRate | undefined
  /** Ordered mode: who may send next, per ordering key (undefined when `ordering` is `off`). */
  private readonly gate: KeyGate | undefined
  /** Jobs handed to this destination and not settled yet (queued, in flight or waiting to retry). */
  private readonly outstanding = new Set<Job>()
  private readonly timers = new Set<Fiber.Fiber<unknown>>()
  private workers: Array<Fiber.Fiber<unknown>> = []
  private stopped = false
  /** Entries queued or waiting for their retry: producers wait while it is at the bound. */
  private queuedEntries = 0
  private readonly room = new Signal()
  /** Queued entries at or below which waiters for room are woken. */
  private readonly wakeAtOrBelow: number
  private scope: Scope.Scope | undefined
  private readonly outcomes: DestinationOutcomes

  private constructor(
    settings: DestinationSettings,
    private readonly queue: Queue.Queue<Job>,
  ) {
    this.settings = settings
    this.name = settings.name
    this.adapter = settings.adapter
    this.route = settings.route
    this.ordering = settings.ordering
    this.retrying = new Retrying(settings.retry)
    this.request = new RequestSend(settings.name, settings.adapter, settings.requestTimeoutMs)
    this.sendRate = settings.sendRate === undefined ? undefined : new SendRate(settings.sendRate)
    this.gate = this.ordering === "off" ? undefined : new KeyGate()
    this.outcomes = new DestinationOutcomes(settings.name, this.request.attributes, settings.deadLetter)
    const max = settings.maxQueuedEvents
    this.wakeAtOrBelow = max - Math.max(1, Math.floor(max / 4))
  }

  static make(settings: DestinationSettings): Effect.Effect<Destination> {
    // Unbounded: the bound is `maxQueuedEvents`, counted in entries, which retries may exceed by
    // what is in flight (a retry never waits for room, so it can never deadlock the workers).
    return Effect.map(Queue.unbounded<Job>(), (queue) => new Destination(settings, queue))
  }

  /** Tokens left in the retry budget (for tests and diagnostics); undefined without a budget. */
  get budgetTokens(): number | undefined {
    return this.retrying.budgetTokens
  }

  /** Starts the workers (and the request deadline watcher) in the publisher's scope. */
  start(scope: Scope.Scope): Effect.Effect<void> {
    this.scope = scope
    return Effect.flatMap(Effect.context<never>(), (context) => {
      // The destination's metric attributes, put into the workers' context once for both the
      // outcome counters and the request latency (MetricContext.ts).
      const metricContext = withMetricAttributes(context, this.request.attributes)
      this.outcomes.start(metricContext)
      const clock = Context.get(context, Clock.Clock)
      const worker = Effect.forever(Effect.flatMap(Queue.take(this.queue), (job) => this.attempt(job, clock)))
      return Effect.forEach(Array.from({ length: this.settings.concurrency }), () =>
        Effect.forkIn(worker, scope),
      ).pipe(
        Effect.flatMap((fibers) =>
          Effect.map(this.request.start(context, metricContext, scope), (watcher) => {
            // Stopping interrupts them all, the deadline watcher included.
            this.workers = watcher === undefined ? fibers : [...fibers, watcher]
          }),
        ),
      )
    })
  }

  /**
   * Hands packed requests of `run` to the workers, in order; waits while the queue is full
   * (backpressure). Those that fit go in at once, without an Effect each.
   */
  submitAll(batches: ReadonlyArray<PackedBatch<Entry>>, run: Run, from = 0): Effect.Effect<void> {
    let i = from
    for (; i < batches.length && !this.stopped && this.hasRoomFor(batches[i]!.items.length); i++)
      this.enqueue(this.accept(batches[i]!, run))
    if (i === batches.length) return Effect.void
    const next = i + 1
    return Effect.andThen(
      this.submit(batches[i]!, run),
      Effect.suspend(() => this.submitAll(batches, run, next)),
    )
  }

  /** An empty queue always takes a request, so a request larger than the bound still goes. */
  private hasRoomFor(entries: number): boolean {
    return this.queuedEntries === 0 || this.queuedEntries + entries <= this.settings.maxQueuedEvents
  }

  /** Hands one packed request of `run` to the workers; waits while the queue is full (backpressure). */
  submit(batch: PackedBatch<Entry>, run: Run): Effect.Effect<void> {
    const job = this.accept(batch, run)
    if (this.stopped) return this.countSettled(0, this.closeJob(job, 0, false))
    const n = job.entries.length
    if (this.hasRoomFor(n)) return Effect.sync(() => this.enqueue(job))
    return Effect.andThen(
      this.room.waitUntil(() => this.stopped || this.hasRoomFor(n)),
      Effect.suspend(() =>
        this.stopped
          ? this.countSettled(0, this.closeJob(job, 0, false))
          : Effect.sync(() => this.enqueue(job)),
      ),
    )
  }

  /** The same without waiting for room (dead letters of pairs that close failed). */
  submitUnsafe(batch: PackedBatch<Entry>, run: Run): void {
    const job = this.accept(batch, run)
    if (this.stopped) this.outcomes.countSettledUnsafe(0, this.closeJob(job, 0, false))
    else this.enqueue(job)
  }

  private accept(batch: PackedBatch<Entry>, run: Run): Job {
    const job = new Job(batch.items, batch.batchKey, run)
    run.dispatched(1)
    this.outstanding.add(job)
    return job
  }

  /** Counts the job as queued; it goes to the workers now, or (ordered mode) once its keys are free. */
  private enqueue(job: Job) {
    this.queuedEntries += job.entries.length
    if (this.gate === undefined || this.gate.admit(job)) Queue.offerUnsafe(this.queue, job)
  }

  /** Ordered mode: the job holds only the keys of `pending` now; jobs that were waiting for the rest go. */
  private releaseKeys(job: Job, pending: ReadonlyArray<Entry> | undefined) {
    const ready = this.gate?.release(job, pending === undefined ? undefined : orderingKeysOf(pending))
    if (ready === undefined || this.stopped) return
    for (const next of ready) if (this.outstanding.has(next)) Queue.offerUnsafe(this.queue, next)
  }

  /** Metrics for pairs settled before any request (rejections, encode failures, overflow, close). */
  countSettled(rejected: number, failed: number): Effect.Effect<void> {
    return this.outcomes.countSettled(rejected, failed)
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

  /**
   * Settles a request's remaining entries as `Closed`; returns how many (0 if already settled).
   */
  private closeJob(job: Job, attempts: number, inFlight: boolean): number {
    if (!this.outstanding.delete(job)) return 0
    const closed = this.outcomes.closed(job, attempts, inFlight)
    job.entries = []
    job.run.settled()
    job.run.flushDeadLettersNow()
    return closed
  }

  /**
   * A request is settled: its dead letters are handed over first (waiting for room in the
   * dead-letter queue, which holds this worker: backpressure), so `publish` waits for them too.
   * The dead-letter destination's own outcomes are never dead-lettered, so it never waits on itself.
   */
  private finish(job: Job): Effect.Effect<void> {
    job.entries = []
    if (this.gate !== undefined) this.releaseKeys(job, undefined)
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

  /** One request of a job; what stays retryable waits for its backoff off the workers. */
  private attempt(job: Job, clock: Clock.Clock): Effect.Effect<void> {
    if (!this.outstanding.has(job)) return Effect.void
    const entries = job.entries
    this.queuedEntries -= entries.length
    // Whoever waits for room (the intake) wakes once a quarter of the bound is free, or the queue
    // is empty, rather than at every request taken: it then hands over many requests per wake.
    if (this.queuedEntries <= this.wakeAtOrBelow) this.room.notify()
    // Once the destination has throttled, the request waits for its slot of the send rate first;
    // until then it is neither counted nor in flight (closing meanwhile leaves no doubt).
    const wait = this.sendRate === undefined ? 0 : this.sendRate.reserve(clock.currentTimeMillisUnsafe())
    if (wait > 0)
      return Effect.andThen(
        Effect.sleep(Duration.millis(wait)),
        Effect.suspend(() => this.sendRequest(job, entries, clock)),
      )
    return this.sendRequest(job, entries, clock)
  }

  private sendRequest(job: Job, entries: ReadonlyArray<Entry>, clock: Clock.Clock): Effect.Effect<void> {
    const now = clock.currentTimeMillisUnsafe()
    if (job.retry.startedAt < 0) job.retry.startedAt = now
    const attempts = ++job.attempts
    const wire = new Array<unknown>(entries.length)
    for (let i = 0; i < entries.length; i++) wire[i] = entries[i]!.entry
    job.run.countRequest(this.name)
    job.inFlight = true
    return Effect.flatMap(
      this.request.send({ entries: wire, batchKey: job.batchKey, attempt: attempts }, now, clock),
      (answer) => {
        job.inFlight = false
        const settlement = settle(entries, answer, attempts, job.inDoubt, this.adapter.kind)
        // Throttled as a whole (nothing got through): a rate signal. A few throttled entries beside
        // delivered ones are a hot partition, which a slower destination-wide rate would not help.
        const throttled = settlement.delivered === 0 && settlement.retry?.throttled === true
        this.sendRate?.answered(clock.currentTimeMillisUnsafe(), now, throttled)
        return this.apply(job, settlement, clock)
      },
    )
  }

  /**
   * Records what one answer settled and decides about the rest: back to the queue after a backoff
   * (fresh requests keep flowing meanwhile), or give up with the last errors (attempts, elapsed
   * time, or an empty retry budget). Metrics are updated once per request.
   */
  private apply(job: Job, settlement: Settlement, clock: Clock.Clock): Effect.Effect<void> {
    const run = job.run
    if (settlement.delivered > 0) this.outcomes.delivered(job, settlement)
    const failures = settlement.failures
    for (const f of failures) this.outcomes.failed(run, f.entry, f.error, job.attempts)
    const retry = settlement.retry
    if (retry === undefined) {
      this.retrying.settledWithoutRetry(job.retry, settlement.requestSucceeded)
      this.outcomes.countFailed(failures.length)
      return this.finish(job)
    }
    job.doubt(retry.inDoubt)
    return Effect.flatMap(
      this.retrying.decide(job.retry, clock.currentTimeMillisUnsafe(), retry.throttled, retry.timedOut),
      (decision) => {
        if (decision._tag === "retry") return this.retryAfter(job, retry.entries, failures, decision.delay)
        // Budget exhaustion keeps what the destination said (raw code, message, outcomeUnknown)
        // and names the budget in the code: the engine chose not to retry. Otherwise the last
        // errors as they are.
        const attempts = job.attempts
        return this.giveUp(job, retry, failures, (e) =>
          decision._tag === "exhausted"
            ? e.with({ code: "RetryBudgetExhausted", retryable: true, lastCode: e.code, attempts })
            : e,
        )
      },
    )
  }

  /** No retry for the pending entries: each ends `Failed` with its last error, as `toFailure` maps it. */
  private giveUp(
    job: Job,
    pending: PendingRetry,
    failures: ReadonlyArray<FinalFailure>,
    toFailure: (e: DeliveryError) => DeliveryError,
  ): Effect.Effect<void> {
    const attempts = job.attempts
    for (let i = 0; i < pending.entries.length; i++) {
      const e = pending.entries[i]!
      this.outcomes.failed(
        job.run,
        e,
        finalError(toFailure(pending.errors[i]!), e, job.inDoubt, attempts),
        attempts,
      )
    }
    this.outcomes.countFailed(failures.length + pending.entries.length)
    return this.finish(job)
  }

  /** The pending entries wait out `delay` off the workers, then join the queue again. */
  private retryAfter(
    job: Job,
    pending: ReadonlyArray<Entry>,
    failures: ReadonlyArray<FinalFailure>,
    delay: Duration.Duration,
  ): Effect.Effect<void> {
    const run = job.run
    this.outcomes.countFailed(failures.length)
    this.outcomes.countRetried(run, pending.length)
    job.entries = pending
    // Ordered mode: the keys whose entries all settled are free for later jobs; the rest wait here.
    if (this.gate !== undefined) this.releaseKeys(job, pending)
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
