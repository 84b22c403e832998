/**
 * The publisher's dead-letter destination seen from a run: each Rejected or Failed outcome becomes
 * a dead-letter event (see DeadLetter.ts), encoded at once by the dead-letter adapter, then packed
 * and handed over. The dead-letter destination's queue is bounded like any other: whoever produced
 * the outcomes waits for room (backpressure), except at close, when the pairs close itself failed are
 * handed over at once (bounded by what the stopped destinations held) and the grace deadline applies.
 */
import * as Effect from "effect/Effect"
import { deadLetterEvent } from "../DeadLetter.ts"
import type { Event, Violation } from "../Event.ts"
import { type Failed, failedOutcome, type Rejected, rejectedOutcome } from "../Outcome.ts"
import { type PackedBatch, packBatches } from "../Packing.ts"
import type { Destination } from "./Destination.ts"
import { encodeEntry } from "./Encode.ts"
import type { Entry } from "./Job.ts"
import { packInOrder } from "./OrderedPacker.ts"
import type { DeadLetterTarget, Run } from "./Run.ts"

export class DeadLetterSink implements DeadLetterTarget {
  constructor(private readonly destination: Destination) {}

  add(run: Run, outcome: Rejected | Failed): void {
    const destination = this.destination
    const event = deadLetterEvent(outcome)
    // A dead letter's id is generated: it cannot collide.
    const encoded = encodeEntry(destination.adapter, event, true)
    if (encoded._tag === "Entry") run.keepDeadLetter(encoded)
    else if (encoded._tag === "Rejected") this.reject(run, event, encoded.violations)
    else run.recordDeadLetter(failedOutcome(destination.name, event, encoded, 0))
  }

  /** Hands the run's dead letters over, waiting for room in the dead-letter queue. */
  flush(run: Run): Effect.Effect<void> {
    const batches = this.pack(run)
    if (batches.length === 0) return Effect.void
    const destination = this.destination
    let started = 0
    return Effect.forEach(
      batches,
      (batch) =>
        Effect.suspend(() => {
          started++
          return destination.submit(batch, run)
        }),
      { discard: true },
    ).pipe(
      // Interrupted while waiting (the publisher is stopping): the rest go at once, so none is lost.
      Effect.onInterrupt(() =>
        Effect.sync(() => {
          for (let i = started; i < batches.length; i++) destination.submitUnsafe(batches[i]!, run)
        }),
      ),
    )
  }

  /** Hands the run's dead letters over without waiting (close: the destinations are stopping). */
  flushNow(run: Run): void {
    for (const batch of this.pack(run)) this.destination.submitUnsafe(batch, run)
  }

  private pack(run: Run): ReadonlyArray<PackedBatch<Entry>> {
    const { adapter, ordering } = this.destination
    const entries = run.takeDeadLetters()
    const { batches, rejected } =
      ordering === "off"
        ? packBatches(entries, adapter.limits)
        : packInOrder(entries, adapter.limits, ordering === "strict")
    for (const r of rejected)
      this.reject(run, r.item.event, [
        {
          field: "(entry)",
          rule: r.rule,
          message: `is ${r.bytes} bytes encoded, over the limit of ${r.limit} bytes`,
        },
      ])
    return batches
  }

  private reject(run: Run, event: Event, violations: ReadonlyArray<Violation>) {
    run.recordDeadLetter(rejectedOutcome(this.destination.name, event.id, event, violations))
  }
}
