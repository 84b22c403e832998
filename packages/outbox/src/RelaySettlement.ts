/**
 * From the engine's outcome of one claimed pair to what the store records: pure, so the rules are
 * tested without a store. Retryable failures are retried durably with full-jitter exponential
 * backoff on the persisted retry count, so backoff continues in whichever relay claims next.
 */
import type { Outcome } from "@eventport/core"
import type { ClaimedPair, PairError, PairSettlement } from "./OutboxStore.ts"

export interface DurableRetryOptions {
  /** Retries scheduled before a pair becomes a dead letter. Default 10. */
  readonly maxRetries?: number
  /** Backoff base: retry n waits a random time in [0, min(maxDelayMs, baseDelayMs × 2^(n−1))]. Default 1_000. */
  readonly baseDelayMs?: number
  /** Backoff cap. Default 300_000 (5 minutes). */
  readonly maxDelayMs?: number
}

export const durableRetryDefaults = { maxRetries: 10, baseDelayMs: 1_000, maxDelayMs: 300_000 } as const

/** The upper bound of the wait before retry `retry` (1-based); the wait is a uniform draw below it. */
export const durableRetryCeilingMs = (retry: number, options: DurableRetryOptions = {}): number => {
  const base = options.baseDelayMs ?? durableRetryDefaults.baseDelayMs
  const cap = options.maxDelayMs ?? durableRetryDefaults.maxDelayMs
  return Math.min(cap, base * 2 ** Math.min(60, Math.max(0, retry - 1)))
}

const errorOf = (outcome: Outcome): PairError => {
  switch (outcome._tag) {
    case "Rejected":
      return { code: "Rejected", retryable: false, message: outcome.message, violations: outcome.violations }
    case "Failed": {
      const e = outcome.error
      const error: { -readonly [K in keyof PairError]: PairError[K] } = {
        code: e.code,
        retryable: e.retryable,
        message: e.message,
      }
      if (e.rawCode !== undefined) error.rawCode = e.rawCode
      if (e.httpStatus !== undefined) error.httpStatus = e.httpStatus
      if (e.outcomeUnknown === true) error.outcomeUnknown = true
      return error
    }
    case "Delivered":
      throw new TypeError("a delivered outcome has no error")
  }
}

/**
 * The settlement of one claimed pair. `random` is a uniform draw in [0, 1) for the jitter;
 * `outcome` is undefined when the engine gave none (the relay is stopping): the pair is put back
 * as due now, without counting a retry.
 */
export const settlementFor = (
  claimed: ClaimedPair,
  outcome: Outcome | undefined,
  random: number,
  options: DurableRetryOptions = {},
): PairSettlement => {
  const base = {
    eventId: claimed.eventId,
    destination: claimed.destination,
    claim: claimed.claim,
  }
  if (outcome === undefined)
    return {
      ...base,
      kind: "retry",
      attempts: claimed.attempts,
      possibleDuplicate: false,
      delayMs: 0,
      retries: claimed.retries,
      error: { code: "Closed", retryable: true, message: "the relay stopped before the pair was sent" },
    }
  switch (outcome._tag) {
    case "Delivered": {
      const delivered: PairSettlement = {
        ...base,
        kind: "delivered",
        attempts: claimed.attempts + outcome.attempts,
        possibleDuplicate: outcome.possibleDuplicate === true,
      }
      return outcome.receipt === undefined ? delivered : { ...delivered, receipt: outcome.receipt }
    }
    case "Rejected":
      return {
        ...base,
        kind: "dead",
        attempts: claimed.attempts,
        possibleDuplicate: false,
        error: errorOf(outcome),
      }
    case "Failed": {
      const error = errorOf(outcome)
      const attempts = claimed.attempts + outcome.attempts
      const possibleDuplicate = outcome.error.outcomeUnknown === true
      // The engine closed before sending (relay stopping): not the destination's fault, no retry counted.
      if (outcome.error.code === "Closed")
        return {
          ...base,
          kind: "retry",
          attempts,
          possibleDuplicate,
          delayMs: 0,
          retries: claimed.retries,
          error,
        }
      const maxRetries = options.maxRetries ?? durableRetryDefaults.maxRetries
      const retry = claimed.retries + 1
      // A spent retry budget means "the destination kept failing": worth a durable retry later.
      const retryable = outcome.error.retryable || outcome.error.code === "RetryBudgetExhausted"
      if (!retryable || retry > maxRetries)
        return { ...base, kind: "dead", attempts, possibleDuplicate, error }
      return {
        ...base,
        kind: "retry",
        attempts,
        possibleDuplicate,
        delayMs: Math.floor(random * durableRetryCeilingMs(retry, options)),
        retries: retry,
        error,
      }
    }
  }
}
