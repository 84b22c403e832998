/**
 * Scripted, deterministic faults for a memory destination: failing chosen events, throttling or
 * failing the next requests, latency on the Effect clock, a seeded share of failing entries, and
 * requests that are applied but answered with an unknown outcome (to surface duplicates).
 */
import {
  type Batch,
  type DeliveryError,
  type DeliveryErrorCode,
  type DeliveryErrorFields,
  deliveryError,
  type Event,
} from "@eventport/core"
import * as Hash from "effect/Hash"

/** How a failing entry or request fails. `retryable` defaults from the code (core's `retryableByDefault`). */
export interface FaultError {
  readonly code: DeliveryErrorCode
  readonly retryable?: boolean
  /** Destination's raw code reported on the error. Default `Memory<Code>`. */
  readonly rawCode?: string
  readonly rawMessage?: string
  readonly httpStatus?: number
}

/** Failing the entries of chosen events. */
export interface EventFault extends FaultError {
  /** Fail each matching event only the first `times` times it is sent, so a retry can succeed. Default: always. */
  readonly times?: number
}

/** Failing a seeded share of entries. */
export interface ShareFault {
  /** Same seed, same events, same attempts: the same entries fail, whatever the request order. */
  readonly seed: number
  /** Default `InternalFailure` (retryable). */
  readonly code?: DeliveryErrorCode
  readonly retryable?: boolean
}

/** An unknown outcome: the destination applies the request, then the caller sees it fail. */
export interface UnknownOutcomeFault {
  /** Default `Timeout`. */
  readonly code?: DeliveryErrorCode
  readonly retryable?: boolean
}

/** What one request meets, decided when it arrives (so the sequence is the arrival order). */
export interface RequestPlan {
  readonly latencyMs: number
  /** Whole-request error; `apply` records the entries first (outcome unknown to the caller). */
  readonly failure?: { readonly error: DeliveryError; readonly apply: boolean }
  /** The request never answers; the engine's request timeout must end it. */
  readonly stall?: { readonly apply: boolean }
}

type RequestStep =
  | { readonly type: "fail"; readonly error: DeliveryError; readonly apply: boolean; remaining: number }
  | { readonly type: "stall"; readonly apply: boolean; remaining: number }

interface EventRule {
  readonly match: (event: Event) => boolean
  readonly error: DeliveryError
  readonly times: number | undefined
  readonly sent: Map<string, number>
}

const noFault: RequestPlan = { latencyMs: 0 }

const toError = (fault: FaultError, defaultRaw: string): DeliveryError => {
  const fields: { -readonly [K in keyof DeliveryErrorFields]?: DeliveryErrorFields[K] } = {
    rawCode: fault.rawCode ?? `Memory${fault.code}`,
    rawMessage: fault.rawMessage ?? defaultRaw,
  }
  if (fault.retryable !== undefined) fields.retryable = fault.retryable
  if (fault.httpStatus !== undefined) fields.httpStatus = fault.httpStatus
  return deliveryError(fault.code, fields)
}

const checkCount = (name: string, n: number) => {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${name} must be a non-negative integer, got ${n}`)
}

/** A uniform draw in [0, 1) from (seed, event id, attempt): order-independent and repeatable. */
const seededDraw = (seed: number, eventId: string, attempt: number): number => {
  let h = Hash.combine(Hash.combine(seed | 0, Hash.string(eventId)), attempt)
  // murmur3 finalizer: spreads the hash over all 32 bits before scaling
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return (h >>> 0) / 4_294_967_296
}

/**
 * The fault script of one memory destination. Methods return `this` so a script reads as one chain:
 * `adapter.faults.throttleNextRequests(1).failEvents((e) => e.type === "bad", { code: "InvalidRequest" })`.
 */
export class MemoryFaults {
  #steps: Array<RequestStep> = []
  #rules: Array<EventRule> = []
  #share: { readonly seed: number; readonly share: number; readonly error: DeliveryError } | undefined
  #latency: number | ((batch: Batch<Event>) => number) = 0

  /** Fails the entries of events matching `match` with the given error (optionally only the first `times` sends). */
  failEvents(match: (event: Event) => boolean, fault: EventFault): this {
    if (fault.times !== undefined) checkCount("times", fault.times)
    this.#rules.push({
      match,
      error: toError(fault, "entry failed by a scripted memory fault"),
      times: fault.times,
      sent: new Map(),
    })
    return this
  }

  /** Fails the entries of the events with these ids. */
  failEventIds(eventIds: Iterable<string>, fault: EventFault): this {
    const ids = new Set(eventIds)
    return this.failEvents((event) => ids.has(event.id), fault)
  }

  /** Fails about `share` (0..1) of the entries, chosen by a seeded hash of (seed, event id, attempt). */
  failShare(share: number, fault: ShareFault): this {
    if (!(share >= 0 && share <= 1)) throw new RangeError(`share must be between 0 and 1, got ${share}`)
    const error = toError(
      {
        code: fault.code ?? "InternalFailure",
        ...(fault.retryable === undefined ? {} : { retryable: fault.retryable }),
      },
      "entry failed by a seeded memory fault",
    )
    this.#share = { seed: fault.seed, share, error }
    return this
  }

  /** The next `n` requests fail whole with `Throttled` (retryable). */
  throttleNextRequests(n: number): this {
    return this.failNextRequests(n, { code: "Throttled", httpStatus: 429 })
  }

  /** The next `n` requests fail whole with the given error. */
  failNextRequests(n: number, fault: DeliveryErrorCode | FaultError): this {
    checkCount("n", n)
    const spec = typeof fault === "string" ? { code: fault } : fault
    if (n > 0)
      this.#steps.push({
        type: "fail",
        error: toError(spec, "request failed by a scripted memory fault"),
        apply: false,
        remaining: n,
      })
    return this
  }

  /**
   * The next `n` requests are applied (their entries are recorded as received) and then fail with
   * `outcomeUnknown`, like a timeout after the destination acted: a retry makes a visible duplicate.
   */
  applyThenFail(n: number, fault: UnknownOutcomeFault = {}): this {
    checkCount("n", n)
    const code = fault.code ?? "Timeout"
    const error = toError(
      { code, ...(fault.retryable === undefined ? {} : { retryable: fault.retryable }) },
      "request applied, then its answer was lost (scripted memory fault)",
    ).with({ outcomeUnknown: true })
    if (n > 0) this.#steps.push({ type: "fail", error, apply: true, remaining: n })
    return this
  }

  /**
   * The next `n` requests never answer (optionally after being applied): the engine's request
   * timeout interrupts them, as with a destination that hangs.
   */
  stallNextRequests(n: number, options: { readonly apply?: boolean } = {}): this {
    checkCount("n", n)
    if (n > 0) this.#steps.push({ type: "stall", apply: options.apply ?? false, remaining: n })
    return this
  }

  /** Delays every request by `ms` (or by what the function says for the batch), on Effect's clock. */
  latency(ms: number | ((batch: Batch<Event>) => number)): this {
    if (typeof ms === "number" && !(ms >= 0)) throw new RangeError(`latency must be >= 0 ms, got ${ms}`)
    this.#latency = ms
    return this
  }

  /** Removes every scripted fault. */
  clear(): this {
    this.#steps = []
    this.#rules = []
    this.#share = undefined
    this.#latency = 0
    return this
  }

  /** @internal Whether any per-entry fault is scripted (the fast path skips entry checks otherwise). */
  get hasEntryFaults(): boolean {
    return this.#rules.length > 0 || this.#share !== undefined
  }

  /** @internal Decides latency and the whole-request fault for one arriving request. */
  planRequest(batch: Batch<Event>): RequestPlan {
    const latency = this.#latency
    const latencyMs = typeof latency === "number" ? latency : Math.max(0, latency(batch))
    const step = this.#steps[0]
    if (step === undefined) return latencyMs === 0 ? noFault : { latencyMs }
    if (--step.remaining === 0) this.#steps.shift()
    return step.type === "fail"
      ? { latencyMs, failure: { error: step.error, apply: step.apply } }
      : { latencyMs, stall: { apply: step.apply } }
  }

  /** @internal The scripted error for one entry, if any. */
  entryError(event: Event, attempt: number): DeliveryError | undefined {
    for (const rule of this.#rules) {
      if (!rule.match(event)) continue
      if (rule.times === undefined) return rule.error
      const sent = rule.sent.get(event.id) ?? 0
      rule.sent.set(event.id, sent + 1)
      if (sent < rule.times) return rule.error
    }
    const share = this.#share
    if (share !== undefined && seededDraw(share.seed, event.id, attempt) < share.share) return share.error
    return undefined
  }
}
