/**
 * The adapter conformance suite: checks, from outside, that an adapter keeps the contract the engine
 * relies on. Each check is a plain async function (`conformanceChecks`) that throws a
 * `ConformanceError` naming what broke; `describeAdapterConformance` registers them all under vitest.
 */
import { isDeepStrictEqual } from "node:util"
import {
  createPublisher,
  DeliveryError,
  type Event,
  type EventInput,
  type Outcome,
  PublishInputError,
  type PublishResult,
  publisherDefaults,
  type RetryOptions,
} from "@eventport/core"
import * as Effect from "effect/Effect"
import fc from "fast-check"
import { afterAll, beforeAll, describe, it } from "vitest"
import { arbEvent, arbExtremeEvent, arbHostileEvent, arbHostileEventInput } from "./Arbitraries.ts"
import type { ConformanceHarness, ReceivedEntry } from "./ConformanceHarness.ts"
import {
  arbHostileMemberInput,
  arbPublishInputSource,
  type HostileInput,
  type PublishInputSource,
} from "./HostileMembers.ts"
import {
  type AnyAdapter,
  assertProperty,
  CheckDeadline,
  check,
  cleanUpMs,
  fail,
  firstBatch,
  receivedCounts,
  sendOnce,
  suiteEvents,
  withAdapter,
} from "./internal/ConformanceSupport.ts"
import {
  carriedDataDifference,
  checkViolations,
  describeId,
  hostileSamples,
  prototypeGuard,
} from "./internal/HostileInput.ts"

export { ConformanceError } from "./internal/ConformanceSupport.ts"

export interface ConformanceOptions {
  readonly harness: ConformanceHarness
  /** fast-check runs for the property checks. Default 50. */
  readonly propertyRuns?: number
  /** Checks to skip, each with the reason (shown in the test name). */
  readonly skip?: Partial<Record<ConformanceCheckName, string>>
  /**
   * How long one check may run. A step still pending then (a `send` that never settles, a publish
   * that hangs, a harness call) fails the check with a `ConformanceError` naming it. Default 60 s;
   * vitest's timeout is set a little above it. One `send` called by a check may take no longer than
   * `publisher.requestTimeoutMs` (core's default, 10 s), as through a publisher.
   */
  readonly timeoutMs?: number
  /**
   * Publisher settings for the checks that publish through the engine. Defaults keep retries fast:
   * `{ maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 20, throttledBaseDelayMs: 1, budget: false }`.
   */
  readonly publisher?: {
    readonly retry?: RetryOptions
    readonly requestTimeoutMs?: number
    readonly concurrency?: number
  }
}

export type ConformanceCheck = (options: ConformanceOptions) => Promise<void>

/** One run of a check: its options and the time it has left. */
interface CheckRun extends ConformanceOptions {
  readonly deadline: CheckDeadline
}

type BoundedCheck = (run: CheckRun) => Promise<void>

/** Default of {@link ConformanceOptions.timeoutMs}. */
const defaultTimeoutMs = 60_000

const describeValue = (u: unknown) => (typeof u === "string" ? JSON.stringify(u) : String(u))

const declaresValidLimits: BoundedCheck = async ({ harness, deadline }) => {
  const adapter = await deadline.within("the harness's makeAdapter()", Promise.resolve(harness.makeAdapter()))
  try {
    check(
      typeof adapter.kind === "string" && adapter.kind.length > 0,
      () => "adapter.kind must be a non-empty string",
    )
    const { maxEntries, maxRequestBytes, maxEntryBytes, requestOverheadBytes } = adapter.limits
    check(
      Number.isInteger(maxEntries) && maxEntries > 0,
      () => `limits.maxEntries must be a positive integer, got ${describeValue(maxEntries)}`,
    )
    check(
      maxRequestBytes > 0,
      () => `limits.maxRequestBytes must be positive, got ${describeValue(maxRequestBytes)}`,
    )
    check(
      maxEntryBytes > 0,
      () => `limits.maxEntryBytes must be positive, got ${describeValue(maxEntryBytes)}`,
    )
    check(
      requestOverheadBytes === undefined || requestOverheadBytes >= 0,
      () => `limits.requestOverheadBytes must be >= 0, got ${describeValue(requestOverheadBytes)}`,
    )
  } finally {
    await deadline.within(`closing adapter ${adapter.kind}`, Effect.runPromise(adapter.close), {
      atLeastMs: cleanUpMs,
    })
  }
}

const checkEncodeResult = (adapter: AnyAdapter, event: Event) => {
  const snapshot = structuredClone(event)
  let first: ReturnType<AnyAdapter["encode"]>
  let second: ReturnType<AnyAdapter["encode"]>
  try {
    first = adapter.encode(event)
    second = adapter.encode(event)
  } catch (error) {
    return fail(
      `encode threw for a valid event ${event.id}: ${String(error)} (it must return rejected(...) instead)`,
    )
  }
  check(isDeepStrictEqual(event, snapshot), () => `encode changed its input event ${event.id}`)
  check(
    isDeepStrictEqual(first, second),
    () => `encode is not deterministic: two calls on event ${event.id} gave different results`,
  )
  if (first._tag === "Encoded") {
    check(
      Number.isFinite(first.bytes) && first.bytes >= 0,
      () => `encode measured event ${event.id} as ${first.bytes} bytes; sizes must be finite and >= 0`,
    )
    check(
      first.batchKey === undefined || typeof first.batchKey === "string",
      () => `encode gave event ${event.id} a batchKey that is not a string`,
    )
  } else if (first._tag === "Rejected") {
    check(first.violations.length > 0, () => `encode rejected event ${event.id} without saying why`)
    for (const v of first.violations)
      check(
        typeof v.field === "string" && typeof v.rule === "string" && typeof v.message === "string",
        () => `encode rejected event ${event.id} with a violation lacking field, rule or message`,
      )
  } else fail(`encode returned neither Encoded nor Rejected for event ${event.id}`)
}

const encodeIsPureAndDeterministic: BoundedCheck = async ({ harness, propertyRuns, deadline }) =>
  withAdapter(harness, deadline, async (adapter) => {
    for (const event of suiteEvents(harness, 5, "enc", 64)) checkEncodeResult(adapter, event)
    fc.assert(
      fc.property(arbEvent, (event) => checkEncodeResult(adapter, event)),
      { numRuns: propertyRuns ?? 50 },
    )
  })

const sendAnswersEveryEntryInOrder: BoundedCheck = async ({ harness, deadline }) =>
  withAdapter(harness, deadline, async (adapter) => {
    const { batch, events } = firstBatch(adapter, suiteEvents(harness, 10, "ans"), 10)
    const outcome = await sendOnce(adapter, batch, deadline)
    if (outcome._tag === "RequestError")
      return fail(`send failed a valid request with no fault scripted: ${outcome.error.message}`)
    check(
      outcome.results.length === events.length,
      () =>
        `send returned ${outcome.results.length} results for ${events.length} entries; it must return one per entry, in order`,
    )
    outcome.results.forEach((r, i) => {
      check(r.ok, () => `send failed entry ${i} (event ${events[i]!.id}) with no fault scripted`)
    })
    const received = await receivedCounts(harness)
    for (const event of events) {
      const n = received.get(event.id) ?? 0
      check(
        n === 1,
        () => `send reported event ${event.id} ok but the destination holds it ${n} times (expected once)`,
      )
    }
  })

const sendAttributesEntryFailures: BoundedCheck = async ({ harness, deadline }) => {
  for (const retryable of [false, true])
    await withAdapter(harness, deadline, async (adapter) => {
      const { batch, events } = firstBatch(adapter, suiteEvents(harness, 8, retryable ? "atr" : "atp"), 8)
      // With a single-entry request the fault lands on index 0; otherwise on every odd index.
      const faulted = new Set(events.filter((_, i) => events.length === 1 || i % 2 === 1).map((e) => e.id))
      await harness.faults.failEntries([...faulted], { retryable })
      const outcome = await sendOnce(adapter, batch, deadline)
      if (outcome._tag === "RequestError")
        return fail(`send failed the whole request when only some entries failed: ${outcome.error.message}`)
      check(
        outcome.results.length === events.length,
        () => `send returned ${outcome.results.length} results for ${events.length} entries`,
      )
      outcome.results.forEach((result, i) => {
        const id = events[i]!.id
        if (!faulted.has(id)) {
          check(
            result.ok,
            () => `entry ${i} (event ${id}) was reported failed, but the destination failed another entry`,
          )
          return
        }
        if (result.ok) {
          fail(`entry ${i} (event ${id}) failed at the destination but was reported ok`)
          return
        }
        check(DeliveryError.isInstance(result.error), () => `entry ${i}'s error is not a DeliveryError`)
        check(
          result.error.retryable === retryable,
          () =>
            `event ${id} failed with a ${retryable ? "transient" : "permanent"} destination error but was classified ` +
            `retryable: ${result.error.retryable} (code ${result.error.code}${result.error.rawCode ? `, raw ${result.error.rawCode}` : ""})`,
        )
      })
      const received = await receivedCounts(harness)
      for (const event of events) {
        const expected = faulted.has(event.id) ? 0 : 1
        const n = received.get(event.id) ?? 0
        check(
          n === expected,
          () => `the destination holds event ${event.id} ${n} times; expected ${expected}`,
        )
      }
    })
}

const sendClassifiesRequestErrors: BoundedCheck = async ({ harness, deadline }) => {
  for (const kind of ["throttle", "internal"] as const)
    await withAdapter(harness, deadline, async (adapter) => {
      const { batch, events } = firstBatch(
        adapter,
        suiteEvents(harness, 3, kind === "throttle" ? "rqt" : "rqi"),
        3,
      )
      await harness.faults.failNextRequests(1, kind)
      const outcome = await sendOnce(adapter, batch, deadline)
      if (outcome._tag === "Results")
        return fail(`the destination failed the whole request (${kind}) but send returned per-entry results`)
      const { error } = outcome
      const expected = kind === "throttle" ? ["Throttled"] : ["InternalFailure", "Unavailable"]
      check(
        expected.includes(error.code) && error.retryable,
        () =>
          `a ${kind === "throttle" ? "throttling" : "server"} error was classified ${error.code} (retryable: ${error.retryable}); ` +
          `expected ${expected.join(" or ")}, retryable (raw ${error.rawCode ?? "none"})`,
      )
      const received = await receivedCounts(harness)
      for (const event of events)
        check(
          !received.has(event.id),
          () => `the destination holds ${event.id} from a request it failed whole`,
        )
    })
}

/** Caps so a destination with generous limits does not make the suite slow or memory-hungry. */
const maxSuiteEntries = 100
const maxSuitePayloadBytes = 1024 * 1024

const sendAll = async (
  adapter: AnyAdapter,
  harness: ConformanceHarness,
  deadline: CheckDeadline,
  events: ReadonlyArray<Event>,
  what: string,
) => {
  const { batch, events: sent } = firstBatch(adapter, events, events.length)
  const outcome = await sendOnce(adapter, batch, deadline)
  if (outcome._tag === "RequestError")
    return fail(
      `the destination refused a request ${what} (${sent.length} entries) that the adapter's declared limits allow: ` +
        `${outcome.error.message}; the declared limits or encode's sizes do not match the destination`,
    )
  const failed = outcome.results.filter((r) => !r.ok).length
  check(
    failed === 0,
    () => `the destination failed ${failed} entries of a request ${what} with no fault scripted`,
  )
  if (harness.requests === undefined) return sent.length
  const { maxEntries, maxRequestBytes } = adapter.limits
  for (const request of await harness.requests()) {
    check(
      request.entries <= maxEntries,
      () => `the destination received a request of ${request.entries} entries; maxEntries is ${maxEntries}`,
    )
    const bytes = request.bytes
    if (bytes !== undefined)
      check(
        bytes <= maxRequestBytes,
        () => `the destination received a request of ${bytes} bytes; maxRequestBytes is ${maxRequestBytes}`,
      )
  }
  return sent.length
}

const acceptsRequestsFilledToDeclaredLimits: BoundedCheck = async ({ harness, deadline }) => {
  await withAdapter(harness, deadline, async (adapter) => {
    const n = Math.min(adapter.limits.maxEntries, maxSuiteEntries)
    const sent = await sendAll(
      adapter,
      harness,
      deadline,
      suiteEvents(harness, n, "cnt"),
      "filled to maxEntries",
    )
    check(sent === n, () => `expected a request of ${n} small entries to be formed, got ${sent}`)
  })
  await withAdapter(harness, deadline, async (adapter) => {
    const { maxEntries, maxRequestBytes, maxEntryBytes, requestOverheadBytes = 0 } = adapter.limits
    if (!Number.isFinite(maxRequestBytes)) return
    const perRequest = Math.min(maxEntries, 4)
    const payloadBytes = Math.floor(
      Math.min(
        ((maxRequestBytes - requestOverheadBytes) / perRequest) * 0.9,
        maxEntryBytes * 0.9,
        maxSuitePayloadBytes,
      ),
    )
    if (payloadBytes < 1) return
    // One more event than fits by the adapter's own measure: the request fills up to maxRequestBytes.
    await sendAll(
      adapter,
      harness,
      deadline,
      suiteEvents(harness, perRequest + 1, "byt", payloadBytes),
      "filled towards maxRequestBytes",
    )
  })
}

const destination = "conformance"

const publishThrough = async (
  adapter: AnyAdapter,
  options: CheckRun,
  events: ReadonlyArray<EventInput>,
): Promise<PublishResult> => {
  const settings = options.publisher ?? {}
  const publisher = createPublisher({
    // The suite closes the adapter itself (withAdapter): one adapter may serve several publishers.
    destinations: { [destination]: { ...adapter, close: Effect.void } },
    retry: {
      maxAttempts: 4,
      baseDelayMs: 1,
      maxDelayMs: 20,
      throttledBaseDelayMs: 1,
      budget: false,
      ...settings.retry,
    },
    ...(settings.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: settings.requestTimeoutMs }),
    ...(settings.concurrency === undefined ? {} : { concurrency: settings.concurrency }),
  })
  let published: PublishResult | undefined
  try {
    published = await options.deadline.within(
      `publishing ${events.length} events through the engine to adapter ${adapter.kind}`,
      publisher.publish(events),
    )
    return published
  } finally {
    // After a publish that hung, close() ends it; the check already fails, naming the publish.
    const closing = options.deadline.within(
      `closing the publisher of adapter ${adapter.kind}`,
      publisher.close(),
      {
        atLeastMs: cleanUpMs,
      },
    )
    if (published === undefined) await closing.catch(() => undefined)
    else await closing
  }
}

/**
 * The ledger every publish check ends with: one outcome per event; a delivered event is held by the
 * destination exactly once; a failed one (outcome known) not at all. Returns the outcomes by id.
 */
const checkLedger = async (
  harness: ConformanceHarness,
  result: PublishResult,
  events: ReadonlyArray<Event>,
) => {
  const byId = new Map<string, PublishResult["outcomes"][number]>()
  for (const outcome of result.forDestination(destination)) {
    check(!byId.has(outcome.eventId), () => `event ${outcome.eventId} got more than one outcome`)
    byId.set(outcome.eventId, outcome)
  }
  const received = await receivedCounts(harness)
  for (const event of events) {
    const outcome = byId.get(event.id)
    if (outcome === undefined) return fail(`event ${event.id} got no outcome`)
    const held = received.get(event.id) ?? 0
    if (outcome._tag === "Delivered")
      check(
        held === 1,
        () => `event ${event.id} is Delivered but the destination holds it ${held} times (expected once)`,
      )
    else if (outcome._tag === "Failed" && outcome.error.outcomeUnknown !== true)
      check(
        held === 0,
        () =>
          `event ${event.id} is Failed (${outcome.error.code}) but the destination holds it ${held} times`,
      )
    else if (outcome._tag === "Rejected")
      fail(`the suite's valid event ${event.id} was Rejected: ${outcome.message}`)
  }
  check(byId.size === events.length, () => `${byId.size} outcomes for ${events.length} events`)
  return byId
}

const publishDeliversEveryEventOnceWithinLimits: BoundedCheck = async (options) =>
  withAdapter(options.harness, options.deadline, async (adapter) => {
    const { harness } = options
    const n = Math.min(adapter.limits.maxEntries * 2 + 1, 2 * maxSuiteEntries + 1)
    const events = suiteEvents(harness, n, "pub")
    const result = await publishThrough(adapter, options, events)
    const outcomes = await checkLedger(harness, result, events)
    for (const [id, outcome] of outcomes)
      check(
        outcome._tag === "Delivered",
        () =>
          `event ${id} was not delivered with no fault scripted: ${outcome._tag === "Failed" ? outcome.error.message : outcome._tag}`,
      )
    if (harness.requests === undefined) return
    const { maxEntries, maxRequestBytes } = adapter.limits
    for (const request of await harness.requests()) {
      check(
        request.entries <= maxEntries,
        () => `the destination received a request of ${request.entries} entries; maxEntries is ${maxEntries}`,
      )
      const bytes = request.bytes
      if (bytes !== undefined)
        check(
          bytes <= maxRequestBytes,
          () => `the destination received a request of ${bytes} bytes; maxRequestBytes is ${maxRequestBytes}`,
        )
    }
  })

const publishRetriesRetryableErrors: BoundedCheck = async (options) =>
  withAdapter(options.harness, options.deadline, async (adapter) => {
    const { harness } = options
    const events = suiteEvents(harness, 12, "rty")
    const transient = events.filter((_, i) => i % 3 === 1).map((e) => e.id)
    await harness.faults.failEntries(transient, { retryable: true, times: 1 })
    await harness.faults.failNextRequests(1, "throttle")
    const result = await publishThrough(adapter, options, events)
    const outcomes = await checkLedger(harness, result, events)
    for (const [id, outcome] of outcomes) {
      if (outcome._tag !== "Delivered")
        return fail(
          `event ${id} was not delivered after transient failures: ${outcome._tag === "Failed" ? outcome.error.message : outcome._tag}` +
            " (a transient destination error must be classified retryable so the engine retries it)",
        )
    }
    for (const id of transient) {
      const outcome = outcomes.get(id)
      check(
        outcome?._tag === "Delivered" && outcome.attempts >= 2,
        () =>
          `event ${id} failed once at the destination, so it needs at least 2 attempts; got ${outcome?._tag === "Delivered" ? outcome.attempts : "none"}`,
      )
    }
  })

const publishDoesNotRetryPermanentErrors: BoundedCheck = async (options) =>
  withAdapter(options.harness, options.deadline, async (adapter) => {
    const { harness } = options
    const events = suiteEvents(harness, 9, "prm")
    const permanent = new Set(events.filter((_, i) => i % 3 === 0).map((e) => e.id))
    await harness.faults.failEntries([...permanent], { retryable: false, times: 1 })
    const result = await publishThrough(adapter, options, events)
    const outcomes = await checkLedger(harness, result, events)
    for (const [id, outcome] of outcomes) {
      if (!permanent.has(id)) {
        check(outcome._tag === "Delivered", () => `event ${id} had no fault but is ${outcome._tag}`)
        continue
      }
      if (outcome._tag !== "Failed")
        return fail(
          `event ${id} failed permanently at the destination but ended ${outcome._tag}` +
            (outcome._tag === "Delivered"
              ? ` after ${outcome.attempts} attempts: the permanent error was retried`
              : ""),
        )
      check(
        !outcome.error.retryable && outcome.attempts === 1,
        () =>
          `event ${id}'s permanent failure was retried or called retryable (attempts ${outcome.attempts}, retryable ${outcome.error.retryable})`,
      )
    }
  })

const publishLosesNothingOnPartialFailure: BoundedCheck = async (options) =>
  withAdapter(options.harness, options.deadline, async (adapter) => {
    const { harness } = options
    const events = suiteEvents(harness, 16, "mix")
    const ids = events.map((e) => e.id)
    const permanent = ids.filter((_, i) => i % 4 === 1)
    const flaky = ids.filter((_, i) => i % 4 === 2)
    const broken = ids.filter((_, i) => i % 8 === 3)
    await harness.faults.failEntries(permanent, { retryable: false })
    await harness.faults.failEntries(flaky, { retryable: true, times: 1 })
    await harness.faults.failEntries(broken, { retryable: true })
    await harness.faults.failNextRequests(1, "internal")
    const result = await publishThrough(adapter, options, events)
    const outcomes = await checkLedger(harness, result, events)
    const expectFailed = new Set([...permanent, ...broken])
    for (const [id, outcome] of outcomes)
      check(
        (outcome._tag === "Failed") === expectFailed.has(id),
        () =>
          `event ${id} ended ${outcome._tag}${outcome._tag === "Failed" ? ` (${outcome.error.message})` : ""}; ` +
          `expected ${expectFailed.has(id) ? "Failed" : "Delivered"}`,
      )
  })

const encodeSurvivesHostileInput: BoundedCheck = async ({ harness, propertyRuns, deadline }) =>
  withAdapter(harness, deadline, async (adapter) => {
    const encodeHostile = (event: Event) => {
      const id = describeId(event.id)
      const guard = prototypeGuard()
      let result: ReturnType<AnyAdapter["encode"]>
      try {
        result = adapter.encode(event)
      } catch (error) {
        const pollution = guard.restore()
        return fail(
          `encode threw for the valid event ${id} (hostile data or fields): ${String(error)}; ` +
            "it must encode it or return rejected(...) naming the field and the rule" +
            (pollution === undefined
              ? ""
              : `; it also polluted a prototype: ${pollution} (undone by the suite)`),
        )
      }
      const pollution = guard.restore()
      check(
        pollution === undefined,
        () => `encoding event ${id} polluted a prototype: ${pollution} (undone by the suite)`,
      )
      if (result._tag === "Rejected") return checkViolations(`encode rejected event ${id}`, result.violations)
      if (result._tag !== "Encoded")
        return fail(`encode returned neither Encoded nor Rejected for event ${id}`)
      if (harness.decodeEntry === undefined) return
      let decoded: unknown
      try {
        decoded = harness.decodeEntry(result.entry, event)
      } catch (error) {
        return fail(
          `the harness's decodeEntry threw on the entry encode made of event ${id}: ${String(error)}`,
        )
      }
      const difference = carriedDataDifference(harness, event, decoded)
      check(
        difference === undefined,
        () =>
          `the entry encode made of event ${id} does not decode to its data (harness decodeEntry): ${difference}`,
      )
    }
    for (const event of hostileSamples(harness)) encodeHostile(event)
    await assertProperty(fc.property(arbHostileEvent, encodeHostile), propertyRuns ?? 50)
  })

/** The id of a hostile input, when it has a string one: inputs of one publish never share it. */
const hostileInputId = (input: unknown): unknown =>
  typeof input === "object" && input !== null && typeof (input as { id?: unknown }).id === "string"
    ? (input as { id: string }).id
    : input

const arbHostileInputs = fc.uniqueArray(fc.oneof(arbHostileEventInput, arbExtremeEvent), {
  maxLength: 6,
  selector: hostileInputId,
})

const publishSurvivesHostileInput: BoundedCheck = async (options) =>
  withAdapter(options.harness, options.deadline, async (adapter) => {
    const { harness } = options
    const publishHostile = async (inputs: ReadonlyArray<unknown>) => {
      await harness.reset()
      const guard = prototypeGuard()
      let result: PublishResult
      try {
        result = await publishThrough(adapter, options, inputs as ReadonlyArray<EventInput>)
      } finally {
        const pollution = guard.restore()
        check(
          pollution === undefined,
          () => `publishing hostile input polluted a prototype: ${pollution} (undone by the suite)`,
        )
      }
      const outcomes = result.forDestination(destination)
      check(
        outcomes.length === inputs.length,
        () => `${inputs.length} hostile inputs got ${outcomes.length} outcomes; each input gets exactly one`,
      )
      // By the id the destination keeps: the event id, or the one encode sent instead.
      const held = new Map<string, Array<ReceivedEntry>>()
      const received = await harness.received()
      for (const entry of received) held.set(entry.eventId, [...(held.get(entry.eventId) ?? []), entry])
      let delivered = 0
      for (const outcome of outcomes) {
        const id = describeId(outcome.eventId)
        if (outcome._tag === "Rejected") checkViolations(`event ${id} was Rejected`, outcome.violations)
        else if (outcome._tag === "Failed")
          fail(
            `event ${id} Failed (${outcome.error.code}${outcome.error.rawCode ? `, raw ${outcome.error.rawCode}` : ""}) ` +
              "with no fault scripted: the destination refused what encode accepted, so encode must reject it " +
              "(naming the field and the rule) before any request",
          )
        else {
          delivered++
          const entries = held.get(outcome.sentId ?? outcome.eventId) ?? []
          check(
            entries.length === 1,
            () =>
              `event ${id} is Delivered but the destination holds it ${entries.length} times (expected once)`,
          )
          const entry = entries[0]!
          if (!("data" in entry)) continue
          const difference = carriedDataDifference(harness, outcome.event, entry.data)
          check(
            difference === undefined,
            () =>
              `the destination does not hold delivered event ${id} as its data (ReceivedEntry.data): ${difference}`,
          )
        }
      }
      check(
        received.length === delivered,
        () => `the destination holds ${received.length} entries for ${delivered} delivered events`,
      )
    }
    await publishHostile(hostileSamples(harness))
    await assertProperty(
      fc.asyncProperty(arbHostileInputs, publishHostile),
      Math.ceil((options.propertyRuns ?? 50) / 2),
    )
  })

/**
 * Inputs with hostile members (throwing getters, proxies, revoked proxies, throwing `toJSON`) at
 * random positions among the suite's valid events, handed over as an array, a sync or an async
 * iterable (sometimes throwing part-way), or one by one through `enqueue` + `flush`: every call
 * settles; each valid event read is Delivered and held once; each hostile input gets one Rejected
 * outcome naming field and rule, and nothing of it is sent; no prototype is polluted.
 */
const publishSurvivesHostileMembers: BoundedCheck = async (options) =>
  withAdapter(options.harness, options.deadline, async (adapter) => {
    const { harness, deadline } = options
    const arbCase = fc.record({
      source: arbPublishInputSource(
        fc.array(fc.oneof(fc.constant(undefined), arbHostileMemberInput), { minLength: 1, maxLength: 12 }),
      ),
      viaEnqueue: fc.boolean(),
    })
    const publishCase = async ({
      source,
      viaEnqueue,
    }: {
      readonly source: PublishInputSource<HostileInput | undefined>
      readonly viaEnqueue: boolean
    }) => {
      await deadline.within("the harness's reset()", Promise.resolve(harness.reset()))
      const events = suiteEvents(harness, source.items.length, "hm")
      const inputAt = (item: HostileInput | undefined, i: number): unknown =>
        item === undefined ? events[i] : item.make(`hostile-${i}`)
      const read =
        source.throwAfter === undefined
          ? source.items.length
          : Math.min(source.throwAfter, source.items.length)
      const guard = prototypeGuard()
      const seen: Array<Outcome> = []
      const publisher = createPublisher({
        destinations: { [destination]: { ...adapter, close: Effect.void } },
        retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 20, throttledBaseDelayMs: 1, budget: false },
        onOutcome: (o) => seen.push(o),
      })
      let thrown: unknown
      try {
        if (viaEnqueue) {
          for (let i = 0; i < source.items.length; i++)
            await deadline.within("enqueue", publisher.enqueue(inputAt(source.items[i], i) as EventInput))
          await deadline.within(
            `flush of ${source.items.length} enqueued inputs to adapter ${adapter.kind}`,
            publisher.flush(),
          )
        } else {
          let i = 0
          const input = source.input((item: HostileInput | undefined) => inputAt(item, i++))
          await deadline
            .within(
              `publishing ${source.items.length} inputs (${source.shape}) to adapter ${adapter.kind}`,
              publisher.publish(input as ReadonlyArray<EventInput>),
            )
            .catch((error: unknown) => {
              thrown = error
            })
        }
      } finally {
        await deadline.within(`closing the publisher of adapter ${adapter.kind}`, publisher.close(), {
          atLeastMs: cleanUpMs,
        })
        const pollution = guard.restore()
        check(
          pollution === undefined,
          () => `publishing hostile members polluted a prototype: ${pollution} (undone by the suite)`,
        )
      }
      const expectThrow = !viaEnqueue && source.throwAfter !== undefined
      if (thrown !== undefined && (!expectThrow || !(thrown instanceof PublishInputError)))
        return fail(`publishing hostile members (${source.shape}) failed with ${String(thrown)}`)
      check(
        !expectThrow || thrown !== undefined,
        () => `publish did not fail when the ${source.shape} given to it threw`,
      )
      const taken = viaEnqueue ? source.items.length : read
      const byId = new Map<string, Array<Outcome>>()
      for (const o of seen) byId.set(o.eventId, [...(byId.get(o.eventId) ?? []), o])
      const received = await receivedCounts(harness)
      let hostile = 0
      for (let i = 0; i < taken; i++) {
        if (source.items[i] !== undefined) {
          hostile++
          continue
        }
        const id = events[i]!.id
        const mine = byId.get(id) ?? []
        check(
          mine.length === 1,
          () => `valid event ${id} beside hostile members got ${mine.length} outcomes (expected 1)`,
        )
        const o = mine[0]!
        check(o._tag === "Delivered", () => `valid event ${id} beside hostile members ended ${o._tag}`)
        check(
          (received.get(id) ?? 0) === 1,
          () => `valid event ${id} is held ${received.get(id) ?? 0} times (expected once)`,
        )
      }
      const others = seen.filter((o) => !events.some((e) => e.id === o.eventId))
      check(
        others.length === hostile,
        () => `${hostile} hostile inputs got ${others.length} outcomes (expected one each)`,
      )
      for (const o of others) {
        if (o._tag !== "Rejected")
          return fail(`hostile input ${describeId(o.eventId)} ended ${o._tag}; it must be Rejected`)
        checkViolations(`hostile input ${describeId(o.eventId)} was Rejected`, o.violations)
      }
      check(seen.length === taken, () => `${taken} inputs taken got ${seen.length} outcomes`)
    }
    // A fixed case first, so every run covers valid events on both sides of hostile ones.
    const [first, second] = fc.sample(arbHostileMemberInput, { numRuns: 2, seed: 11 })
    const items = [undefined, first, undefined, second, undefined]
    const fixed: PublishInputSource<HostileInput | undefined> = {
      shape: "array",
      items,
      throwAfter: undefined,
      input: <U>(map?: (item: HostileInput | undefined) => U) =>
        (map === undefined ? items : items.map(map)) as ReadonlyArray<U>,
    }
    await publishCase({ source: fixed, viaEnqueue: false })
    await publishCase({ source: fixed, viaEnqueue: true })
    await assertProperty(fc.asyncProperty(arbCase, publishCase), Math.ceil((options.propertyRuns ?? 50) / 2))
  })

const checks = {
  declaresValidLimits,
  encodeIsPureAndDeterministic,
  encodeSurvivesHostileInput,
  acceptsRequestsFilledToDeclaredLimits,
  sendAnswersEveryEntryInOrder,
  sendAttributesEntryFailures,
  sendClassifiesRequestErrors,
  publishDeliversEveryEventOnceWithinLimits,
  publishRetriesRetryableErrors,
  publishDoesNotRetryPermanentErrors,
  publishLosesNothingOnPartialFailure,
  publishSurvivesHostileInput,
  publishSurvivesHostileMembers,
} satisfies Record<string, BoundedCheck>

export type ConformanceCheckName = keyof typeof checks

/**
 * A check bounded by `timeoutMs`: a step still pending when the time runs out (a send that never
 * settles, a publish that hangs, a harness call) fails the check naming that step.
 */
const bounded =
  (name: ConformanceCheckName): ConformanceCheck =>
  (options) => {
    const deadline = new CheckDeadline(
      options.timeoutMs ?? defaultTimeoutMs,
      options.publisher?.requestTimeoutMs ?? publisherDefaults.requestTimeoutMs,
    )
    // The backstop fires after the steps' own deadlines and their clean-up, so a step names itself.
    return deadline.within(`check ${name}`, checks[name]({ ...options, deadline }), {
      extraMs: 2 * cleanUpMs,
    })
  }

/**
 * Every check, by name, each bounded by `timeoutMs`. Call one directly to test a harness or an
 * adapter outside vitest's `describe`.
 */
export const conformanceChecks = Object.fromEntries(
  (Object.keys(checks) as Array<ConformanceCheckName>).map((name) => [name, bounded(name)]),
) as Record<ConformanceCheckName, ConformanceCheck>

/** What each check asserts, as test titles. */
export const conformanceCheckTitles: Record<ConformanceCheckName, string> = {
  declaresValidLimits: "declares a kind and valid limits",
  encodeIsPureAndDeterministic: "encode is pure and deterministic, and never throws on valid events",
  encodeSurvivesHostileInput:
    "on hostile but valid events encode never throws or pollutes a prototype, rejects naming field and rule, " +
    "or encodes so the entry decodes back to the data (with decodeEntry)",
  acceptsRequestsFilledToDeclaredLimits:
    "the destination accepts requests filled to the declared limits (entries and bytes by encode's sizes)",
  sendAnswersEveryEntryInOrder: "send answers every entry, in order, and the destination holds each once",
  sendAttributesEntryFailures:
    "per-entry failures are attributed to the right events and classified (transient/permanent)",
  sendClassifiesRequestErrors: "whole-request throttling and server errors are classified and retryable",
  publishDeliversEveryEventOnceWithinLimits:
    "publishing through the engine delivers every event exactly once, in requests within the limits",
  publishRetriesRetryableErrors:
    "retryable errors (throttled request, transient entry failures) are retried until delivered",
  publishDoesNotRetryPermanentErrors: "permanent entry errors are not retried and fail only their own events",
  publishLosesNothingOnPartialFailure:
    "nothing is lost when the destination fails part of a batch: one outcome per event, matching what it holds",
  publishSurvivesHostileInput:
    "publishing hostile input gives one outcome per input, never Failed, Rejected naming field and rule, " +
    "and the destination holds each delivered event once, as its data (with ReceivedEntry.data)",
  publishSurvivesHostileMembers:
    "inputs with throwing getters or proxies among valid events, through publish (array, iterables that may throw) " +
    "and enqueue: every call settles, valid events delivered once, each hostile input Rejected naming field and rule",
}

/** Registers the whole suite under vitest: one `it` per check, inside `describe("<name> conformance")`. */
export const describeAdapterConformance = (options: ConformanceOptions): void => {
  const { harness } = options
  describe(`${harness.name} conformance`, () => {
    beforeAll(async () => {
      await harness.setup?.()
    })
    afterAll(async () => {
      await harness.teardown?.()
    })
    for (const name of Object.keys(conformanceChecks) as Array<ConformanceCheckName>) {
      const reason = options.skip?.[name]
      const title = conformanceCheckTitles[name]
      if (reason !== undefined) it.skip(`${title} (skipped: ${reason})`, () => {})
      // vitest's own timeout only as a last resort: the check fails first, naming what it waited for.
      else
        it(
          title,
          () => conformanceChecks[name](options),
          (options.timeoutMs ?? defaultTimeoutMs) + 3 * cleanUpMs + 1_000,
        )
    }
  })
}
