/**
 * What the run has done so far, per destination, for the live progress and the final summary.
 * Outcomes come from the publisher's `onOutcome`; requests, first sends and retries are seen by
 * wrapping each adapter's `send` (the adapter itself is untouched).
 */
import {
  type Adapter,
  type Batch,
  type DeliveryError,
  deadLetterData,
  type Event,
  type Outcome,
  type SendResult,
} from "@eventport/core"
import { Cause, Effect, Exit } from "effect"
import type { InputProblem } from "./EventSource.ts"

export interface DestinationTally {
  /** Entries sent for the first time (attempt 1). */
  sent: number
  delivered: number
  rejected: number
  failed: number
  /** Failed with an unknown outcome: the destination may hold these. */
  outcomeUnknown: number
  /** Delivered, but an earlier request for the pair may have been applied too. */
  possibleDuplicates: number
  /** Requests sent, retries included. */
  requests: number
  /** Entries resent after a retryable failure. */
  retried: number
  /** Entries whose last request failed retryably and that have not been resent or given up yet. */
  retrying: number
  /** Events this destination's route did not take: done here, with no outcome. */
  skipped: number
}

/**
 * A problem worth showing in the summary: which event, where, and why. The same problem of one event
 * at several destinations (an event the model refuses is rejected for each) is one line.
 */
export interface ProblemLine {
  readonly kind: "Rejected" | "Failed" | "Input"
  readonly eventId: string | undefined
  /** Destination names, or the input position (`line 3`) for input problems, comma separated. */
  where: string
  /** `field rule` for rejections, the error code (and raw code) for failures. */
  readonly reason: string
}

const emptyTally = (): DestinationTally => ({
  sent: 0,
  delivered: 0,
  rejected: 0,
  failed: 0,
  outcomeUnknown: 0,
  possibleDuplicates: 0,
  requests: 0,
  retried: 0,
  retrying: 0,
  skipped: 0,
})

export const describeFailure = (error: DeliveryError): string => {
  const raw = error.rawCode === undefined || error.rawCode === error.code ? "" : ` (${error.rawCode})`
  return `${error.code}${raw}${error.outcomeUnknown === true ? ", outcome unknown" : ""}`
}

export class RunTracker {
  readonly tallies: Record<string, DestinationTally>
  /** Failures are kept apart from rejections so a few failures are never crowded out of the list. */
  private readonly failures: Array<ProblemLine> = []
  private readonly others: Array<ProblemLine> = []
  private problemsLeftOut = 0
  readonly maxProblems: number
  inputProblems = 0
  /** Pairs the publisher could not send before it closed (Failed with code `Closed`). */
  closed = 0
  /** Events handed to the publisher. */
  enqueued = 0
  /**
   * Items the input holds (events and unreadable lines), when known before the run: the generator's
   * count, a request's events, a file counted up front. Undefined for stdin.
   */
  inputTotal: number | undefined = undefined

  constructor(destinations: ReadonlyArray<string>, maxProblems = 10) {
    this.tallies = Object.fromEntries(destinations.map((name) => [name, emptyTally()]))
    this.maxProblems = maxProblems
  }

  private tally(destination: string): DestinationTally {
    let tally = this.tallies[destination]
    if (tally === undefined) {
      tally = emptyTally()
      this.tallies[destination] = tally
    }
    return tally
  }

  /** Input items read so far: events handed to the publisher and unreadable lines. */
  get read(): number {
    return this.enqueued + this.inputProblems
  }

  /**
   * Input items done with for one destination: an outcome there, not taken by its route, or
   * unreadable. Reaches {@link inputTotal} when the run has settled everything; never moves back.
   */
  done(destination: string): number {
    const t = this.tally(destination)
    return t.delivered + t.rejected + t.failed + t.skipped + this.inputProblems
  }

  /**
   * Events handed to the publisher that have no outcome at this destination yet: routed here and
   * in flight, or not routed yet.
   */
  withoutOutcome(destination: string): number {
    const t = this.tally(destination)
    return Math.max(0, this.enqueued - (t.delivered + t.rejected + t.failed + t.skipped))
  }

  /** The destination's route did not take an event. */
  recordSkipped(destination: string): void {
    this.tally(destination).skipped++
  }

  /** Whether some problems did not fit in {@link problems}. */
  get hasMoreProblems(): boolean {
    return this.problemsLeftOut > 0 || this.failures.length + this.others.length > this.maxProblems
  }

  /** The first problems to list: failures first, then rejections and input problems. */
  get problems(): ReadonlyArray<ProblemLine> {
    return [...this.failures, ...this.others].slice(0, this.maxProblems)
  }

  private addProblem(line: ProblemLine): void {
    const list = line.kind === "Failed" ? this.failures : this.others
    const same =
      line.eventId === undefined
        ? undefined
        : list.find((p) => p.kind === line.kind && p.eventId === line.eventId && p.reason === line.reason)
    if (same !== undefined) same.where = `${same.where}, ${line.where}`
    else if (list.length < this.maxProblems) list.push(line)
    else this.problemsLeftOut++
  }

  readonly recordOutcome = (outcome: Outcome): void => {
    const tally = this.tally(outcome.destination)
    switch (outcome._tag) {
      case "Delivered":
        tally.delivered++
        if (outcome.possibleDuplicate === true) tally.possibleDuplicates++
        break
      case "Rejected": {
        tally.rejected++
        const v = outcome.violations[0]
        this.addProblem({
          kind: "Rejected",
          eventId: outcome.eventId,
          where: outcome.destination,
          reason: v === undefined ? outcome.message : `${v.field}: ${v.message} (${v.rule})`,
        })
        break
      }
      case "Failed": {
        tally.failed++
        if (outcome.error.outcomeUnknown === true) tally.outcomeUnknown++
        if (outcome.error.code === "Closed") this.closed++
        // A retryable error that ended the entry was counted as retrying when its request failed.
        if (outcome.error.retryable && tally.retrying > 0) tally.retrying--
        this.addProblem({
          kind: "Failed",
          eventId: outcome.eventId,
          where: outcome.destination,
          reason: `${describeFailure(outcome.error)} after ${outcome.attempts} attempt${outcome.attempts === 1 ? "" : "s"}`,
        })
        break
      }
    }
  }

  /** What the dead-letter destination did with a dead letter; one not written is a problem. */
  readonly recordDeadLetter = (outcome: Outcome): void => {
    if (outcome._tag === "Delivered") return
    this.recordLostDeadLetter(
      outcome.event as Event,
      outcome._tag === "Failed" ? describeFailure(outcome.error) : outcome.message,
    )
  }

  /** A dead letter that could not be written at all: the problem names the original event. */
  recordLostDeadLetter(deadLetter: Event, reason: string): void {
    let eventId: string | undefined
    let where = "dead-letter file"
    try {
      const data = deadLetterData(deadLetter)
      eventId = "id" in data.event ? (data.event.id as string) : undefined
      where = `dead-letter file (for ${data.destination})`
    } catch {
      eventId = undefined
    }
    this.addProblem({ kind: "Failed", eventId, where, reason: `${reason}: the dead letter was not written` })
  }

  readonly recordInputProblem = (problem: InputProblem): void => {
    this.inputProblems++
    this.addProblem({
      kind: "Input",
      eventId: problem.eventId,
      where: problem.where,
      reason: `${problem.field}: ${problem.message} (${problem.rule})`,
    })
  }

  /** Called with each request's result, as the wrapped adapter saw it. */
  /** A request is about to go out: its entries are sent (attempt 1) or resent. */
  recordSend(destination: string, batch: Batch<unknown>): void {
    const tally = this.tally(destination)
    const n = batch.entries.length
    tally.requests++
    if (batch.attempt === 1) tally.sent += n
    else {
      tally.retried += n
      tally.retrying = Math.max(0, tally.retrying - n)
    }
  }

  /** A request was answered: entries that failed retryably wait for a retry (or give up). */
  recordAnswer(destination: string, batch: Batch<unknown>, answer: SendResult | DeliveryError): void {
    const tally = this.tally(destination)
    if (Array.isArray(answer)) {
      for (const result of answer as SendResult) if (!result.ok && result.error.retryable) tally.retrying++
    } else if ((answer as DeliveryError).retryable) tally.retrying += batch.entries.length
  }

  /** The adapter, with `send` observed by this tracker under `destination`. */
  observe<Entry>(destination: string, adapter: Adapter<Entry>): Adapter<Entry> {
    // A view that inherits everything (the adapter's brand, limits, encode, close, and the memory
    // adapter's getters, which a spread would call) and overrides only `send`.
    const send: Adapter<Entry>["send"] = (batch) =>
      Effect.suspend(() => {
        this.recordSend(destination, batch)
        return adapter.send(batch).pipe(
          Effect.onExit((exit) =>
            Effect.sync(() => {
              if (Exit.isSuccess(exit)) this.recordAnswer(destination, batch, exit.value)
              else {
                const failure = exit.cause.reasons.find(Cause.isFailReason)
                if (failure !== undefined) this.recordAnswer(destination, batch, failure.error)
              }
            }),
          ),
        )
      })
    return Object.create(adapter, { send: { value: send, enumerable: true } }) as Adapter<Entry>
  }

  totals(): DestinationTally {
    const total = emptyTally()
    for (const tally of Object.values(this.tallies))
      for (const key of Object.keys(total) as Array<keyof DestinationTally>) total[key] += tally[key]
    return total
  }
}
