/**
 * Collects the outcomes of one publish (or of the buffered producer between two flushes): counts
 * for every pair, the outcomes the caller asked to retain, unrouted events, and how many requests
 * are still out so callers can wait for the run to settle.
 */
import type { Effect } from "effect"
import type { Event } from "../Event.ts"
import { type DestinationCounts, emptyCounts, type Outcome, PublishResult } from "../Outcome.ts"
import type { Signal } from "./Signal.ts"

export type RetainOutcomes = "all" | "problems" | "none"

export class Run {
  private counts: Record<string, DestinationCounts> = {}
  private outcomes: Array<Outcome> = []
  private unrouted: Array<Event> = []
  private unroutedCount = 0
  /** Requests handed to destinations and not settled yet. */
  private pending = 0

  constructor(
    private readonly destinations: ReadonlyArray<string>,
    private readonly retain: RetainOutcomes,
    private readonly onOutcome: ((outcome: Outcome) => void) | undefined,
    /** Shared by the publisher: whoever waits on any run re-checks when it changes. */
    private readonly signal: Signal,
  ) {
    this.resetCounts()
  }

  countsOf(destination: string): DestinationCounts {
    return this.counts[destination]!
  }

  record(outcome: Outcome): void {
    const c = this.counts[outcome.destination]!
    if (outcome._tag === "Delivered") {
      c.delivered++
      if (this.retain === "all") this.outcomes.push(outcome)
    } else {
      if (outcome._tag === "Rejected") c.rejected++
      else {
        c.failed++
        if (outcome.error.outcomeUnknown) c.outcomeUnknown++
      }
      if (this.retain !== "none") this.outcomes.push(outcome)
    }
    if (this.onOutcome !== undefined) {
      // A listener's bug must never break delivery.
      try {
        this.onOutcome(outcome)
      } catch {}
    }
  }

  recordUnrouted(event: Event): void {
    this.unroutedCount++
    if (this.retain !== "none") this.unrouted.push(event)
  }

  dispatched(requests: number): void {
    this.pending += requests
  }

  settled(): void {
    this.pending--
    if (this.pending === 0) this.notify()
  }

  get idle(): boolean {
    return this.pending === 0
  }

  /** Wakes everyone waiting on this run; they re-check their condition. */
  notify(): void {
    this.signal.notify()
  }

  /** Waits until `condition` holds, re-checking it whenever a run changes. */
  waitUntil(condition: () => boolean): Effect.Effect<void> {
    return this.signal.waitUntil(condition)
  }

  result(): PublishResult {
    return new PublishResult({
      outcomes: this.outcomes,
      counts: this.counts,
      unrouted: this.unrouted,
      unroutedCount: this.unroutedCount,
    })
  }

  /** The result so far, and a fresh start (the buffered producer's flush). */
  cut(): PublishResult {
    const result = this.result()
    this.outcomes = []
    this.unrouted = []
    this.unroutedCount = 0
    this.resetCounts()
    return result
  }

  private resetCounts() {
    this.counts = {}
    for (const d of this.destinations) this.counts[d] = emptyCounts()
  }
}
