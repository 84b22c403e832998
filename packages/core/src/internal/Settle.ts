/**
 * What one answer settles, as a pure function of the request's entries and the destination's
 * answer: how many were delivered, which entries end `Failed` now and with what error, and which
 * wait for a retry. It records nothing and changes nothing; the destination acts on the result.
 */
import type { EntryResult, SendResult } from "../Adapter.ts"
import { DeliveryError, deliveryError } from "../DeliveryError.ts"
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
 * The error of entries whose answer is an adapter's bug (a malformed result): `Unknown`, not
 * retryable (the same bug would answer the retry), and in doubt, since the request was sent.
 */
const adapterBug = (adapterKind: string, what: string, attempts: number): DeliveryError =>
  deliveryError("Unknown", {
    retryable: false,
    outcomeUnknown: true,
    rawCode: "AdapterBug",
    rawMessage: `adapter ${adapterKind} bug: ${what}`,
    attempts,
  })

const expectedResult = "expected { ok: true } or { ok: false, error: DeliveryError }"

const describeAnswer = (answer: unknown): string =>
  answer === null
    ? "null"
    : Array.isArray(answer)
      ? "an array"
      : typeof answer === "object"
        ? "an object that is not a DeliveryError"
        : typeof answer

/**
 * One entry's result as the contract says it must be, or why it is not. Reads it guarded: an
 * adapter's result is user code's value (a proxy or a getter may throw).
 */
const entryResultOf = (result: unknown): EntryResult | string => {
  try {
    if (typeof result !== "object" || result === null) return result === null ? "null" : typeof result
    const { ok, error } = result as { ok?: unknown; error?: unknown }
    if (ok === true) return result as EntryResult
    if (ok !== false) return "an object without a boolean ok"
    if (DeliveryError.isInstance(error)) return result as EntryResult
    return "{ ok: false } without a DeliveryError error"
  } catch {
    return "a value that throws when read"
  }
}

/**
 * Settles one answer. A malformed answer (not an array of results nor a `DeliveryError`, or a
 * result of the wrong shape) is the adapter's bug: those entries end `Failed` with code `Unknown`,
 * not retryable, naming the adapter and what was wrong. `inDoubt`: entries earlier requests may have applied. `adapterKind` names
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
  try {
    return settleAnswer(entries, answer, attempts, inDoubt, adapterKind)
  } catch {
    // An answer hostile to reading (a proxy for an array): the whole request is the adapter's bug.
    const bug = adapterBug(adapterKind, "send resolved to a value that throws when read", attempts)
    return settleAnswer(entries, bug, attempts, inDoubt, adapterKind)
  }
}

const settleAnswer = (
  entries: ReadonlyArray<Entry>,
  answer: RequestAnswer,
  attempts: number,
  inDoubt: ReadonlySet<Entry> | undefined,
  adapterKind: string,
): Settlement => {
  const sorter = new FailureSorter(inDoubt, attempts)
  if (!Array.isArray(answer)) {
    const error = DeliveryError.isInstance(answer)
      ? answer.with({ attempts })
      : adapterBug(
          adapterKind,
          `send resolved to ${describeAnswer(answer)} instead of an array of ${entries.length} results (one per entry, in order)`,
          attempts,
        )
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
    const bug = adapterBug(
      adapterKind,
      `send returned ${results.length} results for ${entries.length} entries (one result per entry, in order)`,
      attempts,
    )
    for (let i = matched; i < entries.length; i++) sorter.final(entries[i]!, bug)
  }
  let delivered = 0
  let possibleDuplicates = 0
  // Malformed results are replaced (in a copy) by their failure, so what reads the results later
  // (delivered outcomes and their receipts) sees only well-formed ones.
  let clean: Array<EntryResult> | undefined
  for (let i = 0; i < matched; i++) {
    const r = entryResultOf(results[i])
    if (typeof r === "string") {
      const bug = adapterBug(adapterKind, `send's result ${i} is ${r} (${expectedResult})`, attempts)
      sorter.final(entries[i]!, bug)
      if (clean === undefined) clean = results.slice(0, matched)
      clean[i] = { ok: false, error: bug }
    } else if (!r.ok) sorter.add(entries[i]!, r.error)
    else {
      delivered++
      if (inDoubt?.has(entries[i]!) === true) possibleDuplicates++
    }
  }
  return {
    requestSucceeded: true,
    results: clean ?? results,
    matched,
    delivered,
    possibleDuplicates,
    failures: sorter.failures ?? noFailures,
    retry: sorter.pending(),
  }
}
