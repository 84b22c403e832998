/**
 * A relay: claims due pairs from the store in batches under a lease, publishes them through the
 * core engine and records each pair's outcome. One claim loop per destination (or more, with
 * `claimers`), each with its own publisher, so a slow or failing destination never holds back
 * another's pairs. Any number of relays may share a store.
 */
import {
  checkOptionNames,
  type DestinationConfig,
  type Event,
  type OptionNames,
  type Outcome,
  Publisher,
  type PublisherOptionsError,
  type PublisherShape,
  type RetryOptions,
} from "@eventport/core"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Metric from "effect/Metric"
import * as Random from "effect/Random"
import * as Schedule from "effect/Schedule"
import * as Scope from "effect/Scope"
import { decodeEvent } from "./EventCodec.ts"
import * as OutboxMetrics from "./OutboxMetrics.ts"
import type { ClaimedPair, OutboxStore, PairSettlement } from "./OutboxStore.ts"
import { type DurableRetryOptions, settlementFor } from "./RelaySettlement.ts"

export interface RelayOptions {
  // biome-ignore lint/suspicious/noExplicitAny: a relay never uses the store's transaction type
  readonly store: OutboxStore<any>
  /** The destinations this relay delivers to; keys are the names events were added with. */
  readonly destinations: Readonly<Record<string, DestinationConfig>>
  /** This relay's lease owner id. Default: a random id per relay. */
  readonly owner?: string
  /** Pairs per claim. Default 100. */
  readonly batchSize?: number
  /**
   * How long a claim is held. The relay renews it every third of this while the batch publishes;
   * a relay that dies holds its pairs at most this long before another relay takes them (marked
   * `possibleDuplicate`). At least {@link minLeaseMs} (100). Default 30_000.
   */
  readonly leaseMs?: number
  /** Wait after a claim found nothing due. Default 200. */
  readonly pollIntervalMs?: number
  /** Claim loops per destination, each with a batch in flight. Default 1. */
  readonly claimers?: number
  /** Durable retries across claims (persisted count and backoff). */
  readonly retry?: DurableRetryOptions
  /**
   * Retries inside one claim, by the engine. Default: 3 attempts within a quarter of the lease;
   * what still fails then is retried durably.
   */
  readonly engineRetry?: RetryOptions
  /** Requests in flight per destination (engine). Default 4. */
  readonly concurrency?: number
  /** Per-request timeout (engine). Default: a quarter of the lease, at most 10_000. */
  readonly requestTimeoutMs?: number
  /** Backoff of store reconnection: exponential from `baseDelayMs`, capped, jittered. */
  readonly reconnect?: { readonly baseDelayMs?: number; readonly maxDelayMs?: number }
  /** How often the store's counts feed the metrics. Default 5_000; 0 turns it off. */
  readonly statsIntervalMs?: number
  /** Called after each settled batch (tests, benchmarks). */
  readonly onSettled?: (settlements: ReadonlyArray<PairSettlement>, applied: number) => void
}

export interface RelayStopOptions {
  /** How long the claim loops may take to finish their current batch. Default 10_000 ms. */
  readonly deadlineMs?: number
}

/** The Effect face of a relay: runs until its scope closes or `stop` is called. */
export interface RelayShape {
  readonly owner: string
  /** Lets every claim loop finish its current batch (within the deadline), then stops. */
  readonly stop: (options?: RelayStopOptions) => Effect.Effect<void>
}

/** Every option's name, held to {@link RelayOptions} by the compiler: the relay refuses any other. */
const relayOptionNames = {
  store: true,
  destinations: true,
  owner: true,
  batchSize: true,
  leaseMs: true,
  pollIntervalMs: true,
  claimers: true,
  retry: true,
  engineRetry: true,
  concurrency: true,
  requestTimeoutMs: true,
  reconnect: true,
  statsIntervalMs: true,
  onSettled: true,
} as const satisfies OptionNames<RelayOptions>
const reconnectOptionNames = {
  baseDelayMs: true,
  maxDelayMs: true,
} as const satisfies OptionNames<NonNullable<RelayOptions["reconnect"]>>
const durableRetryOptionNames = {
  maxRetries: true,
  baseDelayMs: true,
  maxDelayMs: true,
} as const satisfies OptionNames<DurableRetryOptions>

/** The relay's option names, and those of its own nested options (the engine's are the publisher's). */
const checkRelayOptionNames = (options: RelayOptions) => {
  checkOptionNames(relayFactory, options, relayOptionNames)
  if (options.reconnect !== undefined)
    checkOptionNames(relayFactory, options.reconnect, reconnectOptionNames, "reconnect")
  if (options.retry !== undefined)
    checkOptionNames(relayFactory, options.retry, durableRetryOptionNames, "retry")
}

const relayFactory = "outbox relay"

/** A relay option: a finite number that is `valid`; otherwise a `RangeError` naming it and `rule`. */
const checkedOption = (name: string, value: number, valid: (value: number) => boolean, rule: string) => {
  if (!valid(value) || !Number.isFinite(value))
    throw new RangeError(`outbox relay: ${name} must be ${rule}, got ${value}`)
  return value
}

const positive = (name: string, value: number) =>
  checkedOption(name, value, (v) => v > 0, "a positive number")

/**
 * The shortest lease a relay takes. It renews a claim every third of the lease, so each renewal
 * (a store round trip) has a third of it to land; and a store keeps leases in whole milliseconds.
 * Shorter leases would run out between renewals and let another relay send the pairs again.
 */
export const minLeaseMs = 100

/** The longest a closing relay waits for a store call it has in flight (and never longer than `leaseMs`). */
const maxCloseGraceMs = 5_000

/**
 * One call to the store. Interrupted (the relay is closing), it still waits for the call's answer,
 * at most `graceMs`: store clients cannot cancel a query they sent, and one left running after the
 * relay has closed races whatever comes next on the store (it deadlocked a `DROP SCHEMA` in
 * PostgreSQL, and would hold up a pool's `end`). A store that does not answer in `graceMs` is left
 * to its own timeouts, so closing never hangs on it.
 */
const storeAttempt = <A>(run: () => Promise<A>, graceMs: number): Effect.Effect<A, unknown> =>
  Effect.callback<A, unknown>((resume) => {
    let call: Promise<A>
    try {
      call = run()
    } catch (error) {
      resume(Effect.fail(error))
      return
    }
    call.then(
      (value) => resume(Effect.succeed(value)),
      (error: unknown) => resume(Effect.fail(error)),
    )
    return Effect.promise(() => call.then(settledAnyway, settledAnyway)).pipe(
      Effect.timeoutOption(Duration.millis(graceMs)),
      Effect.asVoid,
    )
  })

const settledAnyway = () => undefined

/**
 * Fails with `PublisherOptionsError` when a destination's options are invalid (as `Publisher.make`
 * does); the relay's own options are checked as it starts.
 */
export const makeRelay = (
  options: RelayOptions,
): Effect.Effect<RelayShape, PublisherOptionsError, Scope.Scope> =>
  Effect.gen(function* () {
    checkRelayOptionNames(options)
    const names = Object.keys(options.destinations)
    if (names.length === 0) throw new TypeError("outbox relay: at least one destination is needed")
    const { store } = options
    const owner = options.owner ?? `relay-${globalThis.crypto.randomUUID()}`
    const batchSize = positive("batchSize", options.batchSize ?? 100)
    const leaseMs = checkedOption(
      "leaseMs",
      options.leaseMs ?? 30_000,
      (v) => v >= minLeaseMs,
      `a number of milliseconds from ${minLeaseMs} (the relay renews a claim every third of it)`,
    )
    const pollIntervalMs = positive("pollIntervalMs", options.pollIntervalMs ?? 200)
    const claimers = positive("claimers", options.claimers ?? 1)
    const statsIntervalMs = checkedOption(
      "statsIntervalMs",
      options.statsIntervalMs ?? 5_000,
      (v) => v >= 0,
      "0 (off) or a positive number",
    )
    const reconnectBase = positive("reconnect.baseDelayMs", options.reconnect?.baseDelayMs ?? 200)
    const reconnectMax = positive("reconnect.maxDelayMs", options.reconnect?.maxDelayMs ?? 10_000)

    let stopping = false
    // The store is reported down once, when it first fails, and up once, when it answers again.
    let storeDown = false
    const reconnectSchedule = Schedule.exponential(Duration.millis(reconnectBase)).pipe(
      Schedule.modifyDelay(({ duration }) =>
        Effect.succeed(Duration.min(duration, Duration.millis(reconnectMax))),
      ),
      Schedule.jittered,
    )
    const closeGraceMs = Math.min(leaseMs, maxCloseGraceMs)
    const storeCall = <A>(run: () => Promise<A>): Effect.Effect<A> =>
      storeAttempt(run, closeGraceMs).pipe(
        Effect.tapError((error) => {
          if (storeDown) return Effect.void
          storeDown = true
          return Effect.logWarning(
            `outbox relay ${owner}: ${error instanceof Error ? error.message : String(error)}; ` +
              "retrying with backoff (said once until the store answers again)",
          )
        }),
        Effect.retry(reconnectSchedule),
        Effect.tap(() => {
          if (!storeDown) return Effect.void
          storeDown = false
          return Effect.logInfo(`outbox relay ${owner}: the ${store.kind} store answers again`)
        }),
        Effect.orDie,
      )

    const engineRetry: RetryOptions = { maxAttempts: 3, maxElapsedMs: leaseMs / 4, ...options.engineRetry }
    const requestTimeoutMs = options.requestTimeoutMs ?? Math.min(10_000, leaseMs / 4)

    const settleBatch = (claimed: ReadonlyArray<ClaimedPair>, outcomes: ReadonlyMap<string, Outcome>) =>
      Effect.gen(function* () {
        const settlements: Array<PairSettlement> = []
        for (const pair of claimed) {
          const random = yield* Random.next
          settlements.push(settlementFor(pair, outcomes.get(pair.eventId), random, options.retry))
        }
        const applied = yield* storeCall(() => store.settle(owner, settlements))
        options.onSettled?.(settlements, applied)
      })

    /**
     * Renews the batch's leases every third of `leaseMs` until interrupted. Pairs whose lease was
     * lost anyway (the store did not answer in time and another relay claimed them) are said once.
     */
    const renewLeases = (claimed: ReadonlyArray<ClaimedPair>) => {
      // A claimed pair is its own lease (event id, destination, claim); the store reads just those.
      let held = claimed.length
      const renewOnce = Effect.flatMap(
        storeCall(() => store.renew(owner, claimed, leaseMs)),
        (renewed) => {
          if (renewed >= held) return Effect.void
          const lost = held - renewed
          held = renewed
          return Effect.logWarning(
            `outbox relay ${owner}: lost the lease of ${lost} pair(s) of ${claimed[0]!.destination} ` +
              "while publishing them (another relay claimed them); they will be sent again, marked possibleDuplicate",
          )
        },
      )
      return Effect.forever(Effect.andThen(Effect.sleep(Duration.millis(leaseMs / 3)), renewOnce))
    }

    const publishBatch = (publisher: PublisherShape, claimed: ReadonlyArray<ClaimedPair>) =>
      Effect.gen(function* () {
        const events: Array<Event> = []
        const outcomes = new Map<string, Outcome>()
        for (const pair of claimed) {
          try {
            events.push(decodeEvent(pair.event))
          } catch (error) {
            // A body that no longer parses can never be sent: a dead letter, not a retry forever.
            outcomes.set(pair.eventId, {
              _tag: "Rejected",
              destination: pair.destination,
              eventId: pair.eventId,
              event: undefined,
              violations: [{ field: "(stored event)", rule: "decode", message: String(error) }],
              message: `event ${pair.eventId} rejected for ${pair.destination}: its stored form does not decode`,
            })
          }
        }
        // The lease is renewed while the batch publishes, so a batch that outlasts it (a send rate
        // spacing requests under a low quota, retries, a slow destination) is not claimed again
        // by another relay and sent twice. A relay that dies stops renewing: `leaseMs` still
        // bounds how long its pairs wait.
        const renewal = yield* Effect.forkChild(renewLeases(claimed))
        const result = yield* Effect.exit(publisher.publish(events))
        yield* Fiber.interrupt(renewal)
        if (Exit.isSuccess(result)) for (const o of result.value.outcomes) outcomes.set(o.eventId, o)
        yield* settleBatch(claimed, outcomes)
      })

    const claimLoop = (destination: string, publisher: PublisherShape) =>
      Effect.gen(function* () {
        while (!stopping) {
          const claimed = yield* storeCall(() =>
            store.claim({ destination, owner, limit: batchSize, leaseMs }),
          )
          if (claimed.length === 0) {
            yield* Effect.sleep(Duration.millis(pollIntervalMs))
            continue
          }
          yield* publishBatch(publisher, claimed)
        }
      })

    const loops: Array<Fiber.Fiber<void>> = []
    for (const name of names) {
      const publisher = yield* Publisher.make({
        destinations: { [name]: options.destinations[name]! },
        retry: engineRetry,
        requestTimeoutMs,
        ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
        retainOutcomes: "all",
      })
      for (let i = 0; i < claimers; i++) loops.push(yield* Effect.forkScoped(claimLoop(name, publisher)))
    }

    if (statsIntervalMs > 0) {
      const report = Effect.gen(function* () {
        const stats = yield* storeCall(() => store.stats())
        for (const s of stats) {
          if (!names.includes(s.destination)) continue
          const attributes = { destination: s.destination }
          yield* Metric.update(Metric.withAttributes(OutboxMetrics.pending, attributes), s.pending)
          yield* Metric.update(Metric.withAttributes(OutboxMetrics.inFlight, attributes), s.inFlight)
          yield* Metric.update(Metric.withAttributes(OutboxMetrics.retrying, attributes), s.retrying)
          yield* Metric.update(Metric.withAttributes(OutboxMetrics.dead, attributes), s.dead)
          yield* Metric.update(
            Metric.withAttributes(OutboxMetrics.oldestPendingAge, attributes),
            s.oldestPendingAgeMs,
          )
        }
      })
      yield* Effect.forkScoped(Effect.repeat(report, Schedule.spaced(Duration.millis(statsIntervalMs))))
    }

    const stop = (stopOptions?: RelayStopOptions) =>
      Effect.gen(function* () {
        stopping = true
        const all = Fiber.joinAll(loops)
        const finished = yield* Effect.timeoutOption(all, Duration.millis(stopOptions?.deadlineMs ?? 10_000))
        if (finished._tag === "None") for (const fiber of loops) yield* Fiber.interrupt(fiber)
      }).pipe(Effect.ignore)

    return { owner, stop }
  })

/** The Promise face, from {@link startRelay}. */
export interface RelayHandle {
  readonly owner: string
  /** Finishes the current batches (within the deadline), stops, and closes the publishers. */
  readonly stop: (options?: RelayStopOptions) => Promise<void>
  readonly [Symbol.asyncDispose]: () => Promise<void>
}

/** Starts a relay in the background. Bad options throw here. */
export const startRelay = (options: RelayOptions): RelayHandle => {
  const scope = Scope.makeUnsafe()
  const relay = Effect.runSync(Scope.provide(scope)(makeRelay(options)))
  let stopped: Promise<void> | undefined
  const stop = (stopOptions?: RelayStopOptions) => {
    stopped ??= Effect.runPromise(
      relay.stop(stopOptions).pipe(Effect.ensuring(Scope.close(scope, Exit.void))),
    )
    return stopped
  }
  return { owner: relay.owner, stop, [Symbol.asyncDispose]: () => stop() }
}
