/**
 * Configuration of a publisher, its defaults, and `resolvePublisherOptions`, which checks it and
 * fills in every default once, as a pure function. The engine that honours it lives in Publisher.ts.
 */
import * as Result from "effect/Result"
import { type Adapter, isAdapter } from "./Adapter.ts"
import type { Event } from "./Event.ts"
import { shownValue } from "./internal/DescribeValue.ts"
import {
  isOptionsObject,
  notAnOptionMessage,
  type OptionNames,
  unknownOptionName,
} from "./internal/OptionChecks.ts"
import { defaultRetryBudget } from "./internal/RetryBudget.ts"
import { resolveSendRate, type SendRateSettings } from "./internal/SendRate.ts"
import type { Outcome } from "./Outcome.ts"
import { PublisherOptionsError } from "./PublisherError.ts"
import { retryScheduleDefaults } from "./RetrySchedule.ts"

/** Retries of failed, retryable entries: exponential backoff with full jitter. */
export interface RetryOptions {
  /** Requests that may carry one entry, the first included. Default 5. 1 disables retries. */
  readonly maxAttempts?: number
  /** Backoff base: attempt n waits a random time in [0, min(maxDelayMs, baseDelayMs * 2^(n-1))]. Default 100. */
  readonly baseDelayMs?: number
  /** Backoff cap. Default 20_000. */
  readonly maxDelayMs?: number
  /**
   * Backoff base after a throttling error. Default: `baseDelayMs` while the adaptive send rate is on
   * (it paces retries at the rate it learned, so a harder backoff only leaves entries waiting), 500
   * with `sendRate: false` (throttling backs off harder).
   */
  readonly throttledBaseDelayMs?: number
  /** No retry starts later than this after the entry's first attempt. Default 60_000. */
  readonly maxElapsedMs?: number
  /**
   * Retry budget per destination, a token bucket as in the AWS SDKs' standard retry mode: each retry
   * takes `retryCost` tokens (`timeoutCost` after a timeout), each success gives back `successRefill`.
   * When the bucket is empty, failed entries are not retried. `false` disables the budget.
   */
  readonly budget?:
    | false
    | {
        readonly capacity?: number
        readonly retryCost?: number
        readonly timeoutCost?: number
        readonly successRefill?: number
      }
}

/**
 * The adaptive send rate of a destination: unlimited until the destination throttles, then paced
 * at a rate learned from its throttling answers (lowered on throttling, climbing back along a cubic).
 * Throttling at random (a share of requests refused whatever the rate) is told from a quota by
 * throttles a quota would not have sent back (requests sent well below the rate the destination had
 * been accepting): then the rate is unlimited again, and only a throttled share above the random one
 * lowers it. On by default; `sendRate: false` turns it off.
 */
export interface SendRateOptions {
  /** Share of the throttled rate kept after a throttling answer, above 0 and below 1. Default 0.9. */
  readonly decrease?: number
  /** Time to climb back to the throttled rate after a decrease, ms. Default 5_000. */
  readonly recoveryMs?: number
  /** Lowest rate, requests per second. Default 1. */
  readonly minRate?: number
  /**
   * Lowest rate as a share (0 to 1) of the most requests the destination accepted in one second
   * lately (that second weighs half a minute later), once the destination was seen throttling at
   * random: a throttled share above the random one lowers the rate, but not below this. Default 0.5;
   * 0 turns it off.
   */
  readonly minShare?: number
}

/** The buffered producer behind `enqueue`. */
export interface BufferOptions {
  /** Most events waiting to be sent. Default 10_000. */
  readonly maxEvents?: number
  /** Most bytes (JSON size of the events' data) waiting to be sent. Default 64 MiB. */
  readonly maxBytes?: number
  /**
   * How long a partly filled batch may wait for more events. Default 50 ms. A full buffer (by
   * `maxEvents` or `maxBytes`) ends the wait: the batch goes as soon as `enqueue` finds no room.
   */
  readonly lingerMs?: number
  /**
   * What `enqueue` does when the buffer is full: `block` waits for room, `dropNewest` drops the new
   * event (it gets a `Failed` outcome with code `Overflow`), `fail` rejects the `enqueue` call
   * with a `BufferOverflowError` (and the event gets the same `Failed` outcome). Default `block`.
   */
  readonly overflow?: "block" | "dropNewest" | "fail"
}

/**
 * Whether a destination keeps the order of entries that share an ordering key (`orderingKey` in
 * what the adapter's `encode` returns: a Kinesis partition key, an SQS or SNS FIFO message group).
 *
 * - `off` (default): requests are packed and sent as they fill, side by side, and a retried entry
 *   goes after entries sent meanwhile. Ordering keys are ignored.
 * - `perKey`: for each key, entries are packed and sent in input order; at most one request
 *   carrying the key is unsettled at a time (sent, or waiting for its retry); after a retryable
 *   failure of an entry, later entries of the key wait until it settles. What can still reorder:
 *   two entries of one key in the same request, where the earlier fails retryably and the later is
 *   delivered; the later one then lands first. An entry that ends `Failed` is skipped, not waited for.
 * - `strict`: as `perKey`, and a request carries at most one entry per key, so that cannot happen:
 *   delivered entries of a key land in input order. More requests when keys repeat close together.
 *
 * Entries without an ordering key are not ordered in either mode. Ordered modes pack in input
 * order, without sorting by size, so byte-bound input may take a few more requests.
 */
export type Ordering = "off" | "perKey" | "strict"

/** A destination with its own settings. */
export interface DestinationOptions {
  readonly adapter: Adapter<unknown>
  /** Only events for which this returns true go to this destination. Default: every event. */
  readonly route?: (event: Event) => boolean
  /** Requests in flight at once for this destination. */
  readonly concurrency?: number
  readonly retry?: RetryOptions
  /** This destination's adaptive send rate; `false` turns it off. */
  readonly sendRate?: false | SendRateOptions
  readonly requestTimeoutMs?: number
  /**
   * Events this destination may hold queued (waiting for a worker or for a retry's backoff) before
   * intake waits for it. Each destination has its own queue, so the others keep delivering what
   * was taken in while this one is slow.
   */
  readonly maxQueuedEvents?: number
  /** Keep the input order of entries with the same ordering key (see {@link Ordering}). */
  readonly ordering?: Ordering
}

export type DestinationConfig = Adapter<unknown> | DestinationOptions

export interface PublisherOptions {
  /** Named destinations; the names appear in outcomes and counts. */
  readonly destinations: Readonly<Record<string, DestinationConfig>>
  /** Routing predicates by destination name (same as `route` on a destination). */
  readonly routes?: Readonly<Record<string, (event: Event) => boolean>>
  /** Default retry settings for every destination. */
  readonly retry?: RetryOptions
  /**
   * Default adaptive send rate of every destination (see {@link SendRateOptions}); `false` turns it
   * off. A destination's own `sendRate` replaces it field by field.
   */
  readonly sendRate?: false | SendRateOptions
  /** Default requests in flight per destination. Default 4. */
  readonly concurrency?: number
  /** Default per-request timeout. Default 10_000 ms. */
  readonly requestTimeoutMs?: number
  /** Default events each destination may hold queued before intake waits for it. Default 10_000. */
  readonly maxQueuedEvents?: number
  /** Default ordering of every destination (see {@link Ordering}). Default `off`. */
  readonly ordering?: Ordering
  /**
   * Where `Rejected` and `Failed` outcomes go as dead letters (`deadLetterEvent`: the original
   * event, the destination and the reason), through any adapter, with its own queue and retries.
   * Its own outcomes are counted in `PublishResult.deadLetters` and passed to `onOutcome` (as
   * destination `deadLetter`), never dead-lettered again. Routes do not apply to it.
   */
  readonly deadLetter?: DestinationConfig
  readonly buffer?: BufferOptions
  /** Called once per outcome, as it happens. For non-Effect users; Effect users have metrics too. */
  readonly onOutcome?: (outcome: Outcome) => void
  /**
   * Which outcomes a PublishResult keeps in `outcomes` (counts always cover everything). Use
   * `problems` or `none` for long streams so memory stays bounded. Default `all`.
   */
  readonly retainOutcomes?: "all" | "problems" | "none"
}

/** Defaults of {@link PublisherOptions}, {@link RetryOptions} and {@link BufferOptions}. */
export const publisherDefaults = {
  concurrency: 4,
  requestTimeoutMs: 10_000,
  maxQueuedEvents: 10_000,
  retry: { ...retryScheduleDefaults, budget: defaultRetryBudget },
  buffer: {
    maxEvents: 10_000,
    maxBytes: 64 * 1024 * 1024,
    lingerMs: 50,
    overflow: "block",
  },
  ordering: "off",
  closeDeadlineMs: 30_000,
  closeDeadLetterDeadlineMs: 5_000,
  retainOutcomes: "all",
} as const

/** {@link RetryOptions} with every default filled in; `budget` is undefined when disabled. */
export interface ResolvedRetryOptions {
  readonly maxAttempts: number
  readonly baseDelayMs: number
  readonly maxDelayMs: number
  readonly throttledBaseDelayMs: number
  readonly maxElapsedMs: number
  readonly budget:
    | {
        readonly capacity: number
        readonly retryCost: number
        readonly timeoutCost: number
        readonly successRefill: number
      }
    | undefined
}

/** One destination with its own settings and the publisher's defaults merged. */
export interface ResolvedDestinationOptions {
  readonly name: string
  readonly adapter: Adapter<unknown>
  readonly route: ((event: Event) => boolean) | undefined
  readonly concurrency: number
  readonly retry: ResolvedRetryOptions
  /** The adaptive send rate; undefined when turned off. */
  readonly sendRate: SendRateSettings | undefined
  readonly requestTimeoutMs: number
  readonly maxQueuedEvents: number
  readonly ordering: Ordering
  /** The publisher's dead-letter destination: its outcomes are counted apart, never dead-lettered. */
  readonly deadLetter: boolean
}

/** {@link PublisherOptions} checked, with every default filled in. */
export interface ResolvedPublisherOptions {
  readonly destinations: ReadonlyArray<ResolvedDestinationOptions>
  readonly deadLetter: ResolvedDestinationOptions | undefined
  readonly buffer: {
    readonly maxEvents: number
    readonly maxBytes: number
    readonly lingerMs: number
    readonly overflow: "block" | "dropNewest" | "fail"
  }
  readonly retainOutcomes: "all" | "problems" | "none"
  readonly onOutcome: ((outcome: Outcome) => void) | undefined
}

/** Thrown only inside `resolvePublisherOptions`, which turns it into its failure. */
class OptionProblem {
  constructor(readonly error: PublisherOptionsError) {}
}

const problem = (option: string, kind: PublisherOptionsError["problem"], message: string): never => {
  throw new OptionProblem(new PublisherOptionsError({ option, problem: kind, message }))
}

// The names each options object may carry: the compiler holds each list to its interface.
type BudgetOptions = Exclude<RetryOptions["budget"], false | undefined>
const budgetNames = {
  capacity: true,
  retryCost: true,
  timeoutCost: true,
  successRefill: true,
} as const satisfies OptionNames<BudgetOptions>
const retryNames = {
  maxAttempts: true,
  baseDelayMs: true,
  maxDelayMs: true,
  throttledBaseDelayMs: true,
  maxElapsedMs: true,
  budget: true,
} as const satisfies OptionNames<RetryOptions>
const sendRateNames = {
  decrease: true,
  recoveryMs: true,
  minRate: true,
  minShare: true,
} as const satisfies OptionNames<SendRateOptions>
const bufferNames = {
  maxEvents: true,
  maxBytes: true,
  lingerMs: true,
  overflow: true,
} as const satisfies OptionNames<BufferOptions>
const destinationNames = {
  adapter: true,
  route: true,
  concurrency: true,
  retry: true,
  sendRate: true,
  requestTimeoutMs: true,
  maxQueuedEvents: true,
  ordering: true,
} as const satisfies OptionNames<DestinationOptions>
const publisherNames = {
  destinations: true,
  routes: true,
  retry: true,
  sendRate: true,
  concurrency: true,
  requestTimeoutMs: true,
  maxQueuedEvents: true,
  ordering: true,
  deadLetter: true,
  buffer: true,
  onOutcome: true,
  retainOutcomes: true,
} as const satisfies OptionNames<PublisherOptions>

/**
 * Checks an options object (absent is fine): an object (`alternative` names what else it may be),
 * carrying only `known` names when given. `option` is its path; the options themselves have `""`.
 */
const checkObject = <T>(
  option: string,
  value: T | undefined,
  known?: Readonly<Record<string, true>>,
  alternative = "",
): T | undefined => {
  if (value === undefined) return undefined
  if (!isOptionsObject(value))
    problem(
      option === "" ? "options" : option,
      "type",
      `createPublisher: ${option === "" ? "the options" : option} must be an object${alternative}, got ${shownValue(value)}`,
    )
  const unknown = known === undefined ? undefined : unknownOptionName(value as object, known)
  if (unknown !== undefined) {
    const at = option === "" ? unknown.name : `${option}.${unknown.name}`
    problem(at, "unknown", `createPublisher: ${at} ${notAnOptionMessage(unknown)}`)
  }
  return value
}

/** What a number option must be: positive unless `zero` allows 0 too, finite, an integer. */
interface NumberRule {
  readonly integer?: boolean
  readonly finite?: boolean
  readonly zero?: boolean
}

const ruleText = (rule: NumberRule): string =>
  rule.zero
    ? `a finite number, 0 or more`
    : `a positive ${rule.finite ? "finite " : ""}${rule.integer ? "integer" : "number"}`

const checkNumber = (option: string, value: unknown, rule: NumberRule): number => {
  if (
    typeof value !== "number" ||
    !(rule.zero ? value >= 0 : value > 0) ||
    ((rule.finite || rule.zero) && !Number.isFinite(value)) ||
    (rule.integer && !Number.isInteger(value))
  )
    problem(
      option,
      typeof value === "number" ? "range" : "type",
      `createPublisher: ${option} must be ${ruleText(rule)}, got ${shownValue(value)}`,
    )
  return value as number
}

const checkOneOf = <T extends string>(option: string, value: T, allowed: ReadonlyArray<T>): T => {
  if (!allowed.includes(value)) {
    const quoted = allowed.map((a) => JSON.stringify(a))
    problem(
      option,
      "type",
      `createPublisher: ${option} must be ${quoted.slice(0, -1).join(", ")} or ${quoted.at(-1)}, got ${shownValue(value)}`,
    )
  }
  return value
}

/** A callback option (absent is fine). */
const checkFunction = <F>(option: string, value: F | undefined): F | undefined => {
  if (value !== undefined && typeof value !== "function")
    problem(option, "type", `createPublisher: ${option} must be a function, got ${shownValue(value)}`)
  return value
}

/** The retry options of one layer: `where` is their path (`retry` or `<destination>.retry`). */
const checkRetryLayer = (where: string, retry: RetryOptions | undefined): RetryOptions | undefined => {
  checkObject(where, retry, retryNames, " (for no retries, { maxAttempts: 1 })")
  if (retry?.budget !== undefined && retry.budget !== false)
    checkObject(`${where}.budget`, retry.budget, budgetNames, " or false")
  return retry
}

/** The send-rate options of one layer: `where` is their path. */
const checkSendRateLayer = (
  where: string,
  sendRate: false | SendRateOptions | undefined,
): false | SendRateOptions | undefined =>
  sendRate === false ? false : checkObject(where, sendRate, sendRateNames, " or false")

const resolveRetry = (
  name: string,
  paced: boolean,
  ...layers: ReadonlyArray<RetryOptions | undefined>
): ResolvedRetryOptions => {
  const pick = <K extends keyof RetryOptions>(key: K): RetryOptions[K] | undefined => {
    for (const l of layers) if (l?.[key] !== undefined) return l[key]
    return undefined
  }
  const d = publisherDefaults.retry
  const budget = pick("budget")
  const at = (key: string) => `${name}.retry.${key}`
  const baseDelayMs = checkNumber(at("baseDelayMs"), pick("baseDelayMs") ?? d.baseDelayMs, {
    finite: true,
  })
  return {
    maxAttempts: checkNumber(at("maxAttempts"), pick("maxAttempts") ?? d.maxAttempts, { integer: true }),
    baseDelayMs,
    // Infinity is no cap on one delay (maxAttempts and maxElapsedMs still end the retries).
    maxDelayMs: checkNumber(at("maxDelayMs"), pick("maxDelayMs") ?? d.maxDelayMs, {}),
    // Paced by the adaptive send rate, a retry after throttling waits for its slot at the learned
    // rate: backing off harder on top only leaves the retried entries waiting (at random
    // throttling, the run's last few entries wait seconds while the destination has room).
    throttledBaseDelayMs: checkNumber(
      at("throttledBaseDelayMs"),
      pick("throttledBaseDelayMs") ?? (paced ? baseDelayMs : d.throttledBaseDelayMs),
      { finite: true },
    ),
    // Infinity is no time limit: maxAttempts still ends the retries.
    maxElapsedMs: checkNumber(at("maxElapsedMs"), pick("maxElapsedMs") ?? d.maxElapsedMs, {}),
    budget: budget === false ? undefined : resolveBudget(at("budget"), { ...d.budget, ...budget }),
  }
}

const resolveBudget = (where: string, budget: Required<BudgetOptions>): Required<BudgetOptions> => ({
  // Infinity is a budget that never runs out.
  capacity: checkNumber(`${where}.capacity`, budget.capacity, {}),
  retryCost: checkNumber(`${where}.retryCost`, budget.retryCost, { zero: true }),
  timeoutCost: checkNumber(`${where}.timeoutCost`, budget.timeoutCost, { zero: true }),
  successRefill: checkNumber(`${where}.successRefill`, budget.successRefill, { zero: true }),
})

const orderings: ReadonlyArray<Ordering> = ["off", "perKey", "strict"]

const resolveDestination = (
  options: PublisherOptions,
  name: string,
  config: DestinationConfig,
  deadLetter: boolean,
): ResolvedDestinationOptions => {
  const dest: DestinationOptions = isAdapter(config) ? { adapter: config } : (config as DestinationOptions)
  if (!isAdapter(config) && isOptionsObject(config)) checkObject(name, config, destinationNames)
  if (!isAdapter(dest?.adapter))
    problem(
      name,
      "type",
      `createPublisher: destination ${name} is not an adapter (make one with defineAdapter)`,
    )
  const d = publisherDefaults
  const sendRate = resolveSendRate(
    name,
    [checkSendRateLayer(`${name}.sendRate`, dest.sendRate), options.sendRate],
    (option, message) => problem(option, "range", message),
  )
  return {
    name,
    adapter: dest.adapter,
    route: deadLetter ? undefined : (options.routes?.[name] ?? checkFunction(`${name}.route`, dest.route)),
    concurrency: checkNumber(
      `${name}.concurrency`,
      dest.concurrency ?? options.concurrency ?? d.concurrency,
      {
        integer: true,
      },
    ),
    retry: resolveRetry(
      name,
      sendRate !== undefined,
      checkRetryLayer(`${name}.retry`, dest.retry),
      options.retry,
    ),
    sendRate,
    // A request always ends: its timeout is finite.
    requestTimeoutMs: checkNumber(
      `${name}.requestTimeoutMs`,
      dest.requestTimeoutMs ?? options.requestTimeoutMs ?? d.requestTimeoutMs,
      { finite: true },
    ),
    maxQueuedEvents: checkNumber(
      `${name}.maxQueuedEvents`,
      dest.maxQueuedEvents ?? options.maxQueuedEvents ?? d.maxQueuedEvents,
      { integer: true },
    ),
    ordering: checkOneOf(`${name}.ordering`, dest.ordering ?? options.ordering ?? d.ordering, orderings),
    deadLetter,
  }
}

const overflows: ReadonlyArray<BufferOptions["overflow"] & string> = ["block", "dropNewest", "fail"]
const retained: ReadonlyArray<PublisherOptions["retainOutcomes"] & string> = ["all", "problems", "none"]

const resolveOrThrow = (options: PublisherOptions): ResolvedPublisherOptions => {
  if (!isOptionsObject(options))
    problem("options", "type", `createPublisher: the options must be an object, got ${shownValue(options)}`)
  checkObject("", options, publisherNames)
  if (options.destinations === undefined)
    problem("destinations", "type", "createPublisher: destinations is required (name → adapter)")
  checkObject("destinations", options.destinations)
  // The publisher-wide layers, checked once here; each destination checks its own.
  checkRetryLayer("retry", options.retry)
  checkSendRateLayer("sendRate", options.sendRate)
  checkObject("buffer", options.buffer, bufferNames)
  checkObject("routes", options.routes)
  for (const [name, route] of Object.entries(options.routes ?? {})) checkFunction(`routes.${name}`, route)
  const names = Object.keys(options.destinations)
  if (names.length === 0)
    problem("destinations", "range", "createPublisher: destinations must name at least one destination")
  const destinations = names.map((name) =>
    resolveDestination(options, name, options.destinations[name]!, false),
  )
  const deadLetter =
    options.deadLetter === undefined
      ? undefined
      : resolveDestination(options, "deadLetter", options.deadLetter, true)
  for (const name of Object.keys(options.routes ?? {}))
    if (!names.includes(name))
      problem(`routes.${name}`, "range", `createPublisher: routes.${name} names no destination`)
  const buffer = { ...publisherDefaults.buffer, ...options.buffer }
  return {
    destinations,
    deadLetter,
    buffer: {
      maxEvents: checkNumber("buffer.maxEvents", buffer.maxEvents, { integer: true }),
      // Infinity is no byte bound: maxEvents still bounds the buffer.
      maxBytes: checkNumber("buffer.maxBytes", buffer.maxBytes, {}),
      lingerMs: checkNumber("buffer.lingerMs", buffer.lingerMs, { zero: true }),
      overflow: checkOneOf("buffer.overflow", buffer.overflow, overflows),
    },
    retainOutcomes: checkOneOf(
      "retainOutcomes",
      options.retainOutcomes ?? publisherDefaults.retainOutcomes,
      retained,
    ),
    onOutcome: checkFunction("onOutcome", options.onOutcome),
  }
}

/**
 * Checks `options` and fills in every default. Pure: bad options are a {@link PublisherOptionsError}
 * naming the option, never a throw.
 */
export const resolvePublisherOptions = (
  options: PublisherOptions,
): Result.Result<ResolvedPublisherOptions, PublisherOptionsError> => {
  try {
    return Result.succeed(resolveOrThrow(options))
  } catch (error) {
    if (error instanceof OptionProblem) return Result.fail(error.error)
    throw error
  }
}
