/**
 * What one answer settles, as a pure function of the request's entries and the destination's
 * answer: how many were delivered, which entries end `Failed` now and with what error, and which
 * wait for a retry. It records nothing and changes nothing; the destination acts on the result.
 */
import type { SendResult } from "../Adapter.ts"
import { type DeliveryError, deliveryError } from "../DeliveryError.ts"
import type { Entry } from "./Job.ts"
import type { RequestAnswer } from "./RequestSend.ts"

/** An entry that ends `Failed` with this answer. */
export interface FinalFailure {
  readonly entry: Entry
  readonly error: DeliveryError
}

/** Entries a failed attempt left retryable, with the error each got. */
export interface PendingRetry {
  readonly entries: ReadonlyArray<Entry>
  readonly errors: ReadonlyArray<DeliveryError>
  /** One of the errors was a throttling error: the schedule backs off harder. */
  readonly throttled: boolean
  /** One of the errors was a timeout: a retry costs the budget more. */
  readonly timedOut: boolean
  /** Entries whose error says the request may have been applied (`outcomeUnknown`). */
  readonly inDoubt: ReadonlyArray<Entry>
}

export interface Settlement {
  /** The destination answered the request with per-entry results (rather than a whole-request error). */
  readonly requestSucceeded: boolean
  /** Per-entry results, index-aligned with the request's first `matched` entries. */
  readonly results: SendResult | undefined
  readonly matched: number
  /** Entries delivered, and how many of them an earlier request may have applied too. */
  readonly delivered: number
  readonly possibleDuplicates: number
  readonly failures: ReadonlyArray<FinalFailure>
  readonly retry: PendingRetry | undefined
}

const noFailures: ReadonlyArray<FinalFailure> = []

/**
 * The error an entry ends `Failed` with: `error` with the attempts, and `outcomeUnknown` when an
 * earlier request may have applied it (even if the last answer was a clean refusal).
 */
export const finalError = (
  error: DeliveryError,
  entry: Entry,
  inDoubt: ReadonlySet<Entry> | undefined,
  attempts: number,
): DeliveryError => {
  if (error.outcomeUnknown !== true && inDoubt !== undefined && inDoubt.has(entry))
    return error.with({ attempts, outcomeUnknown: true })
  return error.attempts === attempts ? error : error.with({ attempts })
}

/** Sorts failed entries into final failures and pending retries, as their errors say. */
class FailureSorter {
  failures: Array<FinalFailure> | undefined
  private retry: Array<Entry> | undefined
  private errors: Array<DeliveryError> | undefined
  private doubtful: Array<Entry> | undefined
  private throttled = false
  private timedOut = false

  constructor(
    private readonly inDoubt: ReadonlySet<Entry> | undefined,
    private readonly attempts: number,
  ) {}

  add(e: Entry, error: DeliveryError): void {
    if (!error.retryable) {
      this.final(e, finalError(error, e, this.inDoubt, this.attempts))
      return
    }
    if (this.retry === undefined) {
      this.retry = []
      this.errors = []
    }
    this.retry.push(e)
    this.errors!.push(error)
    if (error.code === "Throttled") this.throttled = true
    else if (error.code === "Timeout") this.timedOut = true
    // The destination may hold it already: whatever comes next must say so.
    if (error.outcomeUnknown === true) {
      if (this.doubtful === undefined) this.doubtful = []
      this.doubtful.push(e)
    }
  }

  final(e: Entry, error: DeliveryError): void {
    if (this.failures === undefined) this.failures = []
    this.failures.push({ entry: e, error })
  }

  pending(): PendingRetry | undefined {
    if (this.retry === undefined) return undefined
    return {
      entries: this.retry,
      errors: this.errors!,
      throttled: this.throttled,
      timedOut: this.timedOut,
      inDoubt: this.doubtful ?? [],
    }
  }
}

/**
 * Settles one answer. `inDoubt`: entries earlier requests may have applied. `adapterKind` names
 * the adapter when its answer cannot be matched to the entries (results must be index-aligned; a
 * shorter answer leaves the rest unknown, a longer one cannot be matched at all).
 */
export const settle = (
  entries: ReadonlyArray<Entry>,
  answer: RequestAnswer,
  attempts: number,
  inDoubt: ReadonlySet<Entry> | undefined,
  adapterKind: string,
): Settlement => {
  const sorter = new FailureSorter(inDoubt, attempts)
  if (!Array.isArray(answer)) {
    const error = (answer as DeliveryError).with({ attempts })
    for (const e of entries) sorter.add(e, error)
    return {
      requestSucceeded: false,
      results: undefined,
      matched: 0,
      delivered: 0,
      possibleDuplicates: 0,
      failures: sorter.failures ?? noFailures,
      retry: sorter.pending(),
    }
  }
  const results = answer as SendResult
  const matched =
    results.length === entries.length ? entries.length : results.length < entries.length ? results.length : 0
  if (matched < entries.length) {
    const bug = deliveryError("Unknown", {
      retryable: false,
      outcomeUnknown: true,
      rawMessage: `adapter ${adapterKind} bug: send returned ${results.length} results for ${entries.length} entries (one result per entry, in order)`,
      attempts,
    })
    for (let i = matched; i < entries.length; i++) sorter.final(entries[i]!, bug)
  }
  let delivered = 0
  let possibleDuplicates = 0
  for (let i = 0; i < matched; i++) {
    const r = results[i]!
    if (!r.ok) sorter.add(entries[i]!, r.error)
    else {
      delivered++
      if (inDoubt?.has(entries[i]!) === true) possibleDuplicates++
    }
  }
  return {
    requestSucceeded: true,
    results,
    matched,
    delivered,
    possibleDuplicates,
    failures: sorter.failures ?? noFailures,
    retry: sorter.pending(),
  }
}
