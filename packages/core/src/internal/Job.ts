/**
 * What travels through a destination: entries (one encoded (event, destination) pair each) and
 * jobs (one request's worth of entries of one run, with what their requests so far left behind).
 * Entries are made only by `encodeEntry` (Encode.ts); jobs only by their destination.
 */
import type { Event } from "../Event.ts"
import type { PackItem } from "../Packing.ts"
import { RetryState } from "./RetryState.ts"
import type { Run } from "./Run.ts"

/** One encoded (event, destination) pair on its way. */
export interface Entry extends PackItem {
  readonly _tag: "Entry"
  readonly event: Event
  /** The wire entry the adapter's `encode` made. */
  readonly entry: unknown
  readonly sentId: string | undefined
}

/**
 * One request's worth of entries, all of one run. A job waiting out its backoff holds no worker:
 * it sits on a timer and joins the queue again when due.
 */
export class Job {
  /** Requests that carried these entries so far. */
  attempts = 0
  /** A request with these entries is out now (an interrupt leaves the outcome unknown). */
  inFlight = false
  /**
   * Entries an earlier request may have applied (it ended with an unknown outcome): a later
   * Delivered is a possible duplicate, a later Failed keeps `outcomeUnknown`. Rare, so made on first need.
   */
  inDoubt: Set<Entry> | undefined = undefined
  /** Where these entries stand in the destination's retry schedule and budget. */
  readonly retry = new RetryState()
  /** Ordered mode: the ordering keys whose lines this job holds (see KeyGate). */
  orderingKeys: Set<string> | undefined = undefined
  /** Ordered mode: lines in which an earlier job is still in front of this one. */
  waitingFor = 0
  constructor(
    /** Entries not settled yet. */
    public entries: ReadonlyArray<Entry>,
    readonly batchKey: string | undefined,
    readonly run: Run,
  ) {}

  /** Remembers entries an answer left in doubt (their request may have been applied). */
  doubt(entries: ReadonlyArray<Entry>): void {
    if (entries.length === 0) return
    if (this.inDoubt === undefined) this.inDoubt = new Set()
    for (const e of entries) this.inDoubt.add(e)
  }
}
