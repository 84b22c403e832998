/**
 * What one destination reports: the outcomes of its pairs (into the run they belong to, or as
 * dead-letter outcomes for the dead-letter destination) and its metrics. The destination decides;
 * this records, once per request where it can.
 */
import type * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Metric from "effect/Metric"
import { type DeliveryError, deliveryError } from "../DeliveryError.ts"
import * as Metrics from "../Metrics.ts"
import { deliveredOutcome, failedOutcome, type Outcome } from "../Outcome.ts"
import type { Entry, Job } from "./Job.ts"
import type { Run } from "./Run.ts"
import type { Settlement } from "./Settle.ts"

const closedError = (attempts: number, outcomeUnknown: boolean): DeliveryError =>
  deliveryError("Closed", {
    rawMessage: "the publisher closed before the event was delivered",
    attempts,
    ...(outcomeUnknown ? { outcomeUnknown: true } : {}),
  })

export class DestinationOutcomes {
  /** For updates inside an Effect, which read the attributes of the fiber's own context. */
  private readonly rejectedCount: Metric.Counter<number>
  private readonly failedCount: Metric.Counter<number>
  /**
   * The workers' context with this destination's metric attributes, for updates of the plain
   * metrics outside an Effect (see MetricContext.ts); set when the destination starts.
   */
  private metricContext: Context.Context<never> | undefined

  constructor(
    private readonly name: string,
    /** The destination's metric attributes, the same its requests carry (RequestSend's). */
    attributes: Readonly<Record<string, string>>,
    /** The publisher's dead-letter destination: its outcomes are counted apart, never dead-lettered. */
    private readonly deadLetter: boolean,
  ) {
    this.rejectedCount = Metric.withAttributes(Metrics.rejected, attributes)
    this.failedCount = Metric.withAttributes(Metrics.failed, attributes)
  }

  /** Takes the workers' context with the destination's metric attributes when it starts. */
  start(metricContext: Context.Context<never>): void {
    this.metricContext = metricContext
  }

  /** Metrics for pairs settled before any request (rejections, encode failures, overflow, close). */
  countSettled(rejected: number, failed: number): Effect.Effect<void> {
    if (rejected === 0 && failed === 0) return Effect.void
    return Effect.andThen(
      rejected === 0 ? Effect.void : Metric.update(this.rejectedCount, rejected),
      failed === 0 ? Effect.void : Metric.update(this.failedCount, failed),
    )
  }

  /** The same outside an Effect (close); nothing before the destination started. */
  countSettledUnsafe(rejected: number, failed: number): void {
    const context = this.metricContext
    if (context === undefined) return
    if (rejected > 0) Metrics.rejected.updateUnsafe(rejected, context)
    if (failed > 0) Metrics.failed.updateUnsafe(failed, context)
  }

  /** Pairs that ended `Failed` with a request's answer: the metric, once per request. */
  countFailed(n: number): void {
    if (n > 0) Metrics.failed.updateUnsafe(n, this.metricContext!)
  }

  /** Entries of a request waiting for their retry. */
  countRetried(run: Run, n: number): void {
    run.countRetried(this.name, n)
    Metrics.retried.updateUnsafe(n, this.metricContext!)
  }

  private record(run: Run, outcome: Outcome) {
    if (this.deadLetter) run.recordDeadLetter(outcome)
    else run.record(outcome)
  }

  /** One pair ends `Failed` (its metric is counted with the request's, see {@link countFailed}). */
  failed(run: Run, e: Entry, error: DeliveryError, attempts: number): void {
    this.record(run, failedOutcome(this.name, e.event, error, attempts))
  }

  /**
   * The delivered entries of a settled request (the job's entries as sent): outcomes, or only their
   * count when no one keeps or listens to them (no object per event then); the metric.
   */
  delivered(job: Job, settlement: Settlement): void {
    const run = job.run
    if (!this.deadLetter && !run.wantsDelivered)
      run.countDelivered(this.name, settlement.delivered, settlement.possibleDuplicates)
    else {
      const results = settlement.results!
      const entries = job.entries
      const inDoubt = job.inDoubt
      const attempts = job.attempts
      for (let i = 0; i < settlement.matched; i++) {
        const r = results[i]!
        if (!r.ok) continue
        const e = entries[i]!
        // An earlier request of this entry may have been applied too: a possible duplicate.
        const duplicate = inDoubt?.has(e) === true
        this.record(run, deliveredOutcome(this.name, e.event, attempts, r.receipt, e.sentId, duplicate))
      }
    }
    Metrics.delivered.updateUnsafe(settlement.delivered, this.metricContext!)
  }

  /**
   * The job's remaining entries end `Failed` with code `Closed`; returns how many. `inFlight`: the
   * request was interrupted, so every entry's outcome is unknown; otherwise only those an earlier
   * request left in doubt.
   */
  closed(job: Job, attempts: number, inFlight: boolean): number {
    const error = closedError(attempts, inFlight)
    const inDoubt = inFlight ? undefined : job.inDoubt
    const doubtful = inDoubt === undefined ? error : closedError(attempts, true)
    const entries = job.entries
    for (const e of entries) this.failed(job.run, e, inDoubt?.has(e) === true ? doubtful : error, attempts)
    return entries.length
  }
}
