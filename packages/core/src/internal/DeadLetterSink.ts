/**
 * The publisher's dead-letter destination seen from a run: each Rejected or Failed outcome becomes
 * a dead-letter event (see DeadLetter.ts), encoded at once by the dead-letter adapter, then packed
 * and handed over. The dead-letter destination's queue is bounded like any other: whoever produced
 * the outcomes waits for room (backpressure), except at close, when the pairs close itself failed are
 * handed over at once (bounded by what the stopped destinations held) and the grace deadline applies.
 */
import { Effect } from "effect"
import { deadLetterEvent } from "../DeadLetter.ts"
import { deliveryError } from "../DeliveryError.ts"
import type { Event, Violation } from "../Event.ts"
import { type Failed, type Rejected, rejectionMessage } from "../Outcome.ts"
import { packBatches } from "../Packing.ts"
import { type Destination, type Entry, Job } from "./Destination.ts"
import type { DeadLetterTarget, Run } from "./Run.ts"

export class DeadLetterSink implements DeadLetterTarget {
  constructor(private readonly destination: Destination) {}

  add(run: Run, outcome: Rejected | Failed): void {
    const destination = this.destination
    const event = deadLetterEvent(outcome)
    let encoded: ReturnType<typeof destination.adapter.encode>
    try {
      encoded = destination.adapter.encode(event)
    } catch (error) {
      run.recordDeadLetter({
        _tag: "Failed",
        destination: destination.name,
        eventId: event.id,
        event,
        attempts: 0,
        error: deliveryError("Unknown", {
          retryable: false,
          rawMessage: `adapter ${destination.adapter.kind} encode threw: ${error instanceof Error ? error.message : String(error)}`,
          attempts: 0,
        }),
      })
      return
    }
    if (encoded._tag === "Rejected") {
      this.reject(run, event, encoded.violations)
      return
    }
    const entry: Entry = {
      event,
      entry: encoded.entry,
      bytes: encoded.bytes,
      id: encoded.sentId ?? event.id,
      batchKey: encoded.batchKey,
      sentId: encoded.sentId,
      uniqueId: encoded.sentId === undefined,
    }
    run.deadLetterEntries.push(entry)
  }

  /** Hands the run's dead letters over, waiting for room in the dead-letter queue. */
  flush(run: Run): Effect.Effect<void> {
    const jobs = this.pack(run)
    if (jobs.length === 0) return Effect.void
    const destination = this.destination
    let started = 0
    return Effect.forEach(
      jobs,
      (job) =>
        Effect.suspend(() => {
          started++
          return destination.submit(job)
        }),
      { discard: true },
    ).pipe(
      // Interrupted while waiting (the publisher is stopping): the rest go at once, so none is lost.
      Effect.onInterrupt(() =>
        Effect.sync(() => {
          for (let i = started; i < jobs.length; i++) destination.submitUnsafe(jobs[i]!)
        }),
      ),
    )
  }

  /** Hands the run's dead letters over without waiting (close: the destinations are stopping). */
  flushNow(run: Run): void {
    for (const job of this.pack(run)) this.destination.submitUnsafe(job)
  }

  private pack(run: Run): Array<Job> {
    const entries = run.deadLetterEntries as Array<Entry>
    run.deadLetterEntries = []
    const { batches, rejected } = packBatches(entries, this.destination.adapter.limits)
    for (const r of rejected)
      this.reject(run, r.item.event, [
        {
          field: "(entry)",
          rule: r.rule,
          message: `is ${r.bytes} bytes encoded, over the limit of ${r.limit} bytes`,
        },
      ])
    return batches.map((batch) => new Job(batch.items, batch.batchKey, run))
  }

  private reject(run: Run, event: Event, violations: ReadonlyArray<Violation>) {
    const name = this.destination.name
    run.recordDeadLetter({
      _tag: "Rejected",
      destination: name,
      eventId: event.id,
      event,
      violations,
      message: rejectionMessage(event.id, name, violations),
    })
  }
}
