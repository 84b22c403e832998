/**
 * Collects the outcomes of one publish (or of the buffered producer between two flushes): counts
 * for every pair, the outcomes the caller asked to retain, unrouted events, and how many requests
 * are still out so callers can wait for the run to settle.
 */
import * as Effect from "effect/Effect"
import type { Event } from "../Event.ts"
import {
  type DeadLetterCounts,
  type DestinationCounts,
  emptyCounts,
  type Failed,
  type Outcome,
  PublishResult,
  type Rejected,
} from "../Outcome.ts"
import type { Entry } from "./Job.ts"
import type { Signal } from "./Signal.ts"

/**
 * Where a run's Rejected and Failed outcomes go as dead letters (see DeadLetterSink): each is
 * encoded at once into an entry the run keeps ({@link Run.keepDeadLetter}) until it is flushed.
 */
export interface DeadLetterTarget {
  /** Encodes the outcome's dead letter; keeps the entry in the run (or records why it cannot). */
  add(run: Run, outcome: Rejected | Failed): void
  /** Sends the run's dead letters, waiting for room in the dead-letter queue. */
  flush(run: Run): Effect.Effect<void>
  /** Sends the run's dead letters without waiting (close). */
  flushNow(run: Run): void
}

export type RetainOutcomes = "all" | "problems" | "none"

export class Run {
  private counts: Record<string, DestinationCounts> = {}
  private outcomes: Array<Outcome> = []
  private unrouted: Array<Event> = []
  private unroutedCount = 0
  /** Requests handed to destinations and not settled yet. */
  private pending = 0
  private deadLetters: { sent: number; failed: number } = { sent: 0, failed: 0 }
  /** Events of the input `publish` did not read because the publisher closed (exact for arrays). */
  private unread = 0
  /** `publish` stopped reading its input before the end because the publisher closed. */
  private inputCutShort = false
  /** Dead letters encoded and not handed to the dead-letter destination yet. */
  private deadLetterEntries: Array<Entry> = []
  /** Whether Delivered outcomes are needed as objects (retained or listened to), not just counted. */
  readonly wantsDelivered: boolean

  constructor(
    private readonly destinations: ReadonlyArray<string>,
    private readonly retain: RetainOutcomes,
    private readonly onOutcome: ((outcome: Outcome) => void) | undefined,
    /** Shared by the publisher: whoever waits on any run re-checks when it changes. */
    private readonly signal: Signal,
    private readonly deadLetterTarget: DeadLetterTarget | undefined = undefined,
  ) {
    this.wantsDelivered = retain === "all" || onOutcome !== undefined
    this.resetCounts()
  }

  /** Counts of one destination; the dead-letter destination's are kept apart, out of the result. */
  private countsOf(destination: string): DestinationCounts {
    return this.counts[destination] ?? this.deadLetterRequests
  }

  /** Requests of the dead-letter destination (not part of the result's per-destination counts). */
  private deadLetterRequests: DestinationCounts = emptyCounts()

  /**
   * `publish` stopped reading its input before the end because the publisher closed; `unread` is
   * how many events it left, when the input's length is known (an array).
   */
  cutShort(unread?: number): void {
    this.inputCutShort = true
    if (unread !== undefined) this.unread = unread
  }

  /** A request of `destination` went out. */
  countRequest(destination: string): void {
    this.countsOf(destination).requests++
  }

  /** Entries of `destination` wait for a retry. */
  countRetried(destination: string, entries: number): void {
    this.countsOf(destination).retried += entries
  }

  /** Keeps one encoded dead letter until the next flush. */
  keepDeadLetter(entry: Entry): void {
    this.deadLetterEntries.push(entry)
  }

  /** The dead letters kept so far, handed over once. */
  takeDeadLetters(): Array<Entry> {
    const entries = this.deadLetterEntries
    this.deadLetterEntries = []
    return entries
  }

  record(outcome: Outcome): void {
    const c = this.counts[outcome.destination]!
    if (outcome._tag === "Delivered") {
      c.delivered++
      if (outcome.possibleDuplicate === true) c.possibleDuplicates++
      if (this.retain === "all") this.outcomes.push(outcome)
    } else {
      if (outcome._tag === "Rejected") c.rejected++
      else {
        c.failed++
        if (outcome.error.outcomeUnknown) c.outcomeUnknown++
      }
      if (this.retain !== "none") this.outcomes.push(outcome)
      this.deadLetterTarget?.add(this, outcome)
    }
    this.notifyListener(outcome)
  }

  /** Deliveries counted without an outcome object (nobody retains or listens to them). */
  countDelivered(destination: string, n: number, possibleDuplicates: number): void {
    const c = this.counts[destination]!
    c.delivered += n
    c.possibleDuplicates += possibleDuplicates
  }

  /** An outcome of the dead-letter destination: counted apart, listened to, never dead-lettered. */
  recordDeadLetter(outcome: Outcome): void {
    if (outcome._tag === "Delivered") this.deadLetters.sent++
    else this.deadLetters.failed++
    this.notifyListener(outcome)
  }

  /** Hands the dead letters recorded so far to the dead-letter destination, waiting for room. */
  get flushDeadLetters(): Effect.Effect<void> {
    return Effect.suspend(() =>
      this.deadLetterEntries.length === 0 || this.deadLetterTarget === undefined
        ? Effect.void
        : this.deadLetterTarget.flush(this),
    )
  }

  /** Dead letters recorded and not handed over yet (`flushDeadLetters` has something to do). */
  get hasDeadLetters(): boolean {
    return this.deadLetterEntries.length > 0 && this.deadLetterTarget !== undefined
  }

  /** The same without waiting for room (close: what stopped destinations failed goes at once). */
  flushDeadLettersNow(): void {
    if (this.deadLetterEntries.length > 0) this.deadLetterTarget?.flushNow(this)
  }

  private notifyListener(outcome: Outcome) {
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
      deadLetters: this.deadLetters as DeadLetterCounts,
      unread: this.unread,
      inputCutShort: this.inputCutShort,
    })
  }

  /** The result so far, and a fresh start (the buffered producer's flush). */
  cut(): PublishResult {
    const result = this.result()
    this.outcomes = []
    this.unrouted = []
    this.unroutedCount = 0
    this.deadLetters = { sent: 0, failed: 0 }
    this.resetCounts()
    return result
  }

  private resetCounts() {
    this.counts = {}
    for (const d of this.destinations) this.counts[d] = emptyCounts()
  }
}
