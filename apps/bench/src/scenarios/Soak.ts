/**
 * Scenario 8 and the soak test: nothing is lost silently. Events go to all four AWS adapters and
 * the memory adapter at once while the emulator (in this process, seeded) throttles, answers 5xx,
 * fails single entries, adds latency and drops connections (some after storing the request), and
 * the memory adapter fails entries, throttles, times out and applies requests whose answer is lost.
 *
 * Every (event, destination) pair must end in exactly one outcome; every Failed carries a
 * DeliveryError with a code and a message, every Rejected names field and rule; and what each
 * destination stored must match: each Delivered event stored, no Rejected one, and an extra copy
 * (a duplicate, or a Failed event that was stored anyway) only for an event one of whose requests
 * ended with an unknown outcome. Duplicates are counted and reported. Every Rejected and Failed pair
 * must also have exactly one dead letter (the dead-letter destination is a memory adapter).
 */
import { type Emulator, type Fault, startEmulator } from "@eventport/aws-emulator"
import {
  type Adapter,
  createPublisher,
  DeliveryError,
  deadLetterData,
  type EventInput,
  type Outcome,
  type RetryOptions,
} from "@eventport/core"
import { eventBridge } from "@eventport/eventbridge"
import { iotAnalytics } from "@eventport/iot-analytics"
import { iotEvents } from "@eventport/iot-events"
import { type MemoryAdapter, memory } from "@eventport/memory"
import { pinpoint } from "@eventport/pinpoint"
import { Cause, Effect, Exit } from "effect"
import { atMost, eventCount, measurement, type Scenario, type ScenarioReport } from "../Scenario.ts"
import { asDestination } from "./Destination.ts"

export const soakDestinations = ["memory", "eventbridge", "iotevents", "iotanalytics", "pinpoint"] as const
export type SoakDestination = (typeof soakDestinations)[number]

/** Mixed faults on all four services; rates are per request (or per entry for entryError). */
export const soakEmulatorFaults: ReadonlyArray<Fault> = [
  { type: "latency", ms: [0, 4] },
  { type: "requestError", error: "throttling", rate: 0.04 },
  { type: "requestError", error: "internal", rate: 0.03 },
  { type: "requestError", error: "unavailable", rate: 0.02 },
  { type: "entryError", rate: 0.03 },
  // Refused for good (not retryable): these end as Failed with the service's own code.
  { type: "entryError", service: "eventbridge", code: "MalformedDetail", rate: 0.005 },
  {
    type: "entryError",
    service: ["iotevents", "iotanalytics"],
    code: "InvalidRequestException",
    rate: 0.005,
  },
  { type: "entryError", service: "pinpoint", statusCode: 400, rate: 0.005 },
  // Stored, then the socket is destroyed: the client cannot know the request worked.
  { type: "dropConnection", afterStore: true, rate: 0.02 },
  { type: "dropConnection", rate: 0.01 },
]

/** Fast retries so a soak of thousands of requests stays short; the budget keeps its defaults. */
export const soakRetry: RetryOptions = {
  maxAttempts: 8,
  baseDelayMs: 2,
  throttledBaseDelayMs: 5,
  maxDelayMs: 50,
}

export interface SoakOptions {
  readonly events: number
  readonly seed: number
}

/** What one destination did, and what it stored, by event id. */
export interface SoakDestinationReport {
  readonly destination: SoakDestination
  /** Events routed to it (every event: the soak routes everything everywhere). */
  readonly routed: number
  readonly delivered: number
  readonly rejected: number
  readonly failed: number
  /** Failed with `outcomeUnknown` on the final error. */
  readonly failedOutcomeUnknown: number
  /** Delivered with `possibleDuplicate`: an earlier request for the pair may have been applied. */
  readonly possibleDuplicates: number
  /** Events that had at least one request end with an unknown outcome (seen on the adapter). */
  readonly eventsWithUnknownOutcome: number
  /** Entries the destination stored. */
  readonly stored: number
  /** Extra stored copies of Delivered events, and of Failed ones beyond the first (each after an unknown outcome). */
  readonly duplicates: number
  /** Failed events the destination stored anyway (each one after an unknown outcome). */
  readonly storedButFailed: number
  /** Dead letters (Rejected and Failed pairs) the dead-letter destination holds for this destination. */
  readonly deadLetters: number
}

export interface SoakReport {
  readonly events: number
  readonly destinations: ReadonlyArray<SoakDestinationReport>
  /** Broken invariants, each naming the destination and event. Empty when nothing was lost. */
  readonly problems: ReadonlyArray<string>
  readonly elapsedMs: number
  readonly unrouted: number
  /** The publisher's dead-letter counts: every Rejected and Failed pair, sent or not. */
  readonly deadLetterCounts: { readonly sent: number; readonly failed: number }
}

const site = (i: number) => `s-${i % 7}`

/**
 * The soak's events: small telemetry with the event id also in the payload (`ref`), so every
 * service's stored entry can be traced back to its event. About 3% are invalid on purpose: a
 * 140-character type (EventBridge's DetailType limit), an IoT Analytics field name with a dash, or
 * no source at all (invalid for every destination).
 */
export function* soakEvents(count: number, seed: number): Generator<EventInput> {
  for (let i = 0; i < count; i++) {
    const id = `soak-${seed}-${i}`
    const data: Record<string, string | number> = { ref: id, reading: (i * 7919) % 1000, site: site(i) }
    if (i % 89 === 7) data["temp-01"] = 1
    const type = i % 97 === 5 ? `device.${"x".repeat(133)}` : "device.reading"
    const event: EventInput = { id, type, source: "urn:soak", subject: `dev-${i % 13}`, data }
    if (i % 101 === 3) {
      const { source: _, ...withoutSource } = event
      yield withoutSource as EventInput
    } else yield event
  }
}

/** The event id a stored entry carries in its payload. */
const refOf = (payload: unknown): string | undefined =>
  typeof payload === "object" && payload !== null && typeof (payload as { ref?: unknown }).ref === "string"
    ? (payload as { ref: string }).ref
    : undefined

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** Stored copies per event id, from the emulator's store or the memory adapter's records. */
const storedIds = (
  emulator: Emulator,
  memoryAdapter: MemoryAdapter,
): Record<SoakDestination, Map<string, number>> => {
  const tally = (refs: Iterable<string | undefined>) => {
    const counts = new Map<string, number>()
    for (const ref of refs) if (ref !== undefined) counts.set(ref, (counts.get(ref) ?? 0) + 1)
    return counts
  }
  const store = emulator.store
  return {
    memory: tally(memoryAdapter.received.map((e) => e.id)),
    eventbridge: tally(store.eventbridge.entries.map((e) => refOf(parse(e.detail)))),
    iotevents: tally(store.iotevents.entries.map((e) => refOf(parse(e.payloadText)))),
    iotanalytics: tally(store.iotanalytics.entries.map((e) => refOf(parse(e.payloadText)))),
    pinpoint: tally(store.pinpoint.entries.map((e) => refOf(e.event.Attributes))),
  }
}

/**
 * The adapter with its requests watched: the ids of events whose request ended with an unknown
 * outcome (an `outcomeUnknown` error, or a request the engine interrupted at its timeout) go to
 * `unknown`. Entries are traced to events through `encode`, which sees both.
 */
const watchUnknownOutcomes = <Entry>(adapter: Adapter<Entry>, unknown: Set<string>): Adapter<Entry> => {
  const idOf = new WeakMap<object, string>()
  const encode: Adapter<Entry>["encode"] = (event) => {
    const result = adapter.encode(event)
    if (result._tag === "Encoded" && typeof result.entry === "object" && result.entry !== null)
      idOf.set(result.entry as object, event.id)
    return result
  }
  const mark = (entry: Entry) => {
    const id = idOf.get(entry as object)
    if (id !== undefined) unknown.add(id)
  }
  const send: Adapter<Entry>["send"] = (batch) =>
    adapter.send(batch).pipe(
      Effect.onExit((exit) =>
        Effect.sync(() => {
          if (Exit.isSuccess(exit)) {
            exit.value.forEach((result, i) => {
              if (!result.ok && result.error.outcomeUnknown === true) mark(batch.entries[i]!)
            })
            return
          }
          const failure = exit.cause.reasons.find(Cause.isFailReason)
          // Interrupted (the engine's timeout) or failed with an unknown outcome: may be applied.
          if (failure === undefined || failure.error.outcomeUnknown === true) batch.entries.forEach(mark)
        }),
      ),
    )
  return Object.create(adapter, {
    encode: { value: encode, enumerable: true },
    send: { value: send, enumerable: true },
  }) as Adapter<Entry>
}

/** Checks one outcome on its own: a reason a person can act on, never a bare failure. */
const outcomeProblem = (o: Outcome): string | undefined => {
  if (o._tag === "Rejected") {
    if (o.violations.length === 0) return "Rejected without a violation"
    if (o.violations.some((v) => v.field === "" || v.rule === "")) return "Rejected without field or rule"
    if (o.message === "") return "Rejected without a message"
  }
  if (o._tag === "Failed") {
    if (!DeliveryError.isInstance(o.error)) return "Failed without a DeliveryError"
    if (o.error.code === undefined || o.error.message === "") return "Failed without code or message"
  }
  return undefined
}

export const runSoak = async (options: SoakOptions): Promise<SoakReport> => {
  const emulator = await startEmulator({
    seed: options.seed,
    faults: soakEmulatorFaults,
    store: "full",
    requestLogLimit: 0,
  })
  const clientConfig = { endpoint: emulator.endpoint, region: "us-east-1", credentials: emulator.credentials }
  const memoryAdapter = memory({ limits: { maxEntries: 25 } })
  memoryAdapter.faults
    .throttleNextRequests(2)
    .applyThenFail(3)
    .failNextRequests(1, "Unavailable")
    .stallNextRequests(1, { apply: true })
    .failShare(0.01, { seed: options.seed, code: "InvalidRequest" })
    .latency((batch) => batch.entries.length % 3)
  const unknown = Object.fromEntries(soakDestinations.map((d) => [d, new Set<string>()])) as Record<
    SoakDestination,
    Set<string>
  >
  const adapters: Record<SoakDestination, Adapter<unknown>> = {
    memory: asDestination(memoryAdapter),
    eventbridge: asDestination(eventBridge({ eventBusName: "soak", clientConfig })),
    iotevents: asDestination(iotEvents({ inputName: "soak_input", clientConfig })),
    iotanalytics: asDestination(iotAnalytics({ channelName: "soak_channel", clientConfig })),
    pinpoint: asDestination(pinpoint({ applicationId: "soak-app", clientConfig })),
  }
  const outcomes = Object.fromEntries(soakDestinations.map((d) => [d, new Map<string, Outcome>()])) as Record<
    SoakDestination,
    Map<string, Outcome>
  >
  const problems: Array<string> = []
  // Any adapter can take dead letters; memory keeps them for the check below.
  const deadLetterAdapter = memory({ limits: { maxEntries: 100 } })
  const publisher = createPublisher({
    deadLetter: deadLetterAdapter,
    destinations: Object.fromEntries(
      soakDestinations.map((d) => [
        d,
        {
          adapter: watchUnknownOutcomes(adapters[d], unknown[d]),
          // The stalled memory request ends at this timeout; the emulator never takes this long.
          requestTimeoutMs: d === "memory" ? 300 : 10_000,
        },
      ]),
    ),
    retry: soakRetry,
    retainOutcomes: "none",
    onOutcome: (o) => {
      if (o.destination === "deadLetter") return
      const seen = outcomes[o.destination as SoakDestination]
      if (seen.has(o.eventId)) problems.push(`${o.destination}: ${o.eventId} has two outcomes`)
      seen.set(o.eventId, o)
      const problem = outcomeProblem(o)
      if (problem !== undefined) problems.push(`${o.destination}: ${o.eventId}: ${problem}`)
    },
  })
  const started = performance.now()
  try {
    const result = await publisher.publish(soakEvents(options.events, options.seed))
    await publisher.close()
    const elapsedMs = performance.now() - started
    const stored = storedIds(emulator, memoryAdapter)
    // Dead letters by (destination, original event id); an input that was no valid event has no id.
    const deadLettered = Object.fromEntries(
      soakDestinations.map((d) => [d, new Map<string, number>()]),
    ) as Record<SoakDestination, Map<string, number>>
    const withoutId = Object.fromEntries(soakDestinations.map((d) => [d, 0])) as Record<
      SoakDestination,
      number
    >
    for (const letter of deadLetterAdapter.received) {
      const data = deadLetterData(letter)
      const d = data.destination as SoakDestination
      const id = "id" in data.event ? (data.event.id as string) : undefined
      if (id === undefined) withoutId[d]++
      else deadLettered[d].set(id, (deadLettered[d].get(id) ?? 0) + 1)
    }
    const destinations = soakDestinations.map((d): SoakDestinationReport => {
      const counts = result.counts[d]!
      const byId = outcomes[d]
      if (counts.delivered + counts.rejected + counts.failed !== options.events)
        problems.push(
          `${d}: delivered ${counts.delivered} + rejected ${counts.rejected} + failed ${counts.failed} != routed ${options.events}`,
        )
      if (byId.size !== options.events)
        problems.push(`${d}: ${byId.size} outcomes for ${options.events} events`)
      let duplicates = 0
      let storedButFailed = 0
      let storedTotal = 0
      for (const [id, copies] of stored[d]) {
        storedTotal += copies
        const outcome = byId.get(id)
        const inDoubt = unknown[d].has(id)
        if (outcome === undefined) problems.push(`${d}: stored ${id}, which has no outcome`)
        else if (outcome._tag === "Rejected") problems.push(`${d}: stored ${id}, which was Rejected`)
        else if (outcome._tag === "Delivered" && copies > 1) {
          duplicates += copies - 1
          if (!inDoubt) problems.push(`${d}: ${copies} copies of ${id} without an unknown outcome`)
          // The outcome itself must say so: a duplicate is visible to the caller, never hidden.
          if (outcome.possibleDuplicate !== true)
            problems.push(`${d}: ${copies} copies of ${id}, Delivered without possibleDuplicate`)
        } else if (outcome._tag === "Failed") {
          storedButFailed++
          // Two requests may have stored it before it failed for good: the extra copies are duplicates.
          duplicates += copies - 1
          if (!inDoubt) problems.push(`${d}: stored ${id}, Failed without an unknown outcome`)
          if (outcome.error.outcomeUnknown !== true)
            problems.push(`${d}: stored ${id}, Failed without outcomeUnknown on its error`)
        }
      }
      let invalidInputs = 0
      for (const [id, o] of byId) {
        if (o._tag === "Delivered" && !stored[d].has(id))
          problems.push(`${d}: ${id} Delivered but not stored`)
        const letters = deadLettered[d].get(id) ?? 0
        if (o._tag === "Delivered" && letters > 0) problems.push(`${d}: ${id} Delivered and dead-lettered`)
        if (o._tag !== "Delivered" && letters !== 1) {
          // A Rejected input that was not a valid event is described in its dead letter, without its id.
          if (o._tag === "Rejected" && letters === 0) invalidInputs++
          else problems.push(`${d}: ${id} ${o._tag} with ${letters} dead letters`)
        }
      }
      if (invalidInputs !== withoutId[d])
        problems.push(
          `${d}: ${invalidInputs} invalid inputs rejected, ${withoutId[d]} dead letters without an event`,
        )
      return {
        destination: d,
        routed: options.events,
        delivered: counts.delivered,
        rejected: counts.rejected,
        failed: counts.failed,
        failedOutcomeUnknown: counts.outcomeUnknown,
        possibleDuplicates: counts.possibleDuplicates,
        eventsWithUnknownOutcome: unknown[d].size,
        stored: storedTotal,
        duplicates,
        storedButFailed,
        deadLetters: [...deadLettered[d].values()].reduce((n, k) => n + k, withoutId[d]),
      }
    })
    const deadLetterCounts = result.deadLetters
    const expectedLetters = destinations.reduce((n, d) => n + d.rejected + d.failed, 0)
    if (deadLetterCounts.sent !== expectedLetters || deadLetterCounts.failed !== 0)
      problems.push(
        `dead letters: ${deadLetterCounts.sent} sent and ${deadLetterCounts.failed} failed for ${expectedLetters} Rejected and Failed pairs`,
      )
    return {
      events: options.events,
      destinations,
      problems,
      elapsedMs,
      unrouted: result.unroutedCount,
      deadLetterCounts,
    }
  } finally {
    await publisher.close()
    await emulator.stop()
  }
}

/** One line per destination, for logs and test output. */
export const formatSoakReport = (report: SoakReport): string =>
  report.destinations
    .map(
      (d) =>
        `${d.destination}: routed ${d.routed}, delivered ${d.delivered}, rejected ${d.rejected}, failed ${d.failed} ` +
        `(${d.failedOutcomeUnknown} outcome unknown), possible duplicates ${d.possibleDuplicates}; ` +
        `stored ${d.stored}, duplicates ${d.duplicates}, ` +
        `stored but Failed ${d.storedButFailed}, events with an unknown outcome ${d.eventsWithUnknownOutcome}, ` +
        `dead letters ${d.deadLetters}`,
    )
    .join("\n")

export const soakUnaccountedGoal = atMost(0, "0")

export const soak: Scenario = {
  id: 8,
  title: "Soak under mixed faults",
  measures:
    "Every (event, destination) pair accounted for while 20,000 events go to memory and all four AWS adapters at once, " +
    "the emulator throttling, failing, delaying and dropping connections (seeded) and the memory adapter failing too; " +
    "duplicates counted, each one only after an unknown outcome.",
  run: async (settings): Promise<ScenarioReport> => {
    const events = eventCount(settings, 20_000, 300)
    const report = await runSoak({ events, seed: 8 })
    settings.log(formatSoakReport(report))
    for (const problem of report.problems.slice(0, 20)) settings.log(`soak problem: ${problem}`)
    const total = (key: keyof SoakDestinationReport) =>
      report.destinations.reduce((n, d) => n + (d[key] as number), 0)
    return {
      id: 8,
      title: soak.title,
      events,
      repetitions: 1,
      measurements: [
        measurement(
          "broken invariants (lost, unexplained duplicates)",
          "count",
          [report.problems.length],
          soakUnaccountedGoal,
        ),
        measurement("duplicates (each after an unknown outcome)", "count", [total("duplicates")]),
        measurement("Failed but stored (each after an unknown outcome)", "count", [total("storedButFailed")]),
        measurement("failed pairs", "count", [total("failed")]),
        measurement("dead letters (one per Rejected or Failed pair)", "count", [
          report.deadLetterCounts.sent,
        ]),
        measurement("wall time", "ms", [report.elapsedMs]),
      ],
      // One run: the five destinations' pairs together (the notes give each destination's figures).
      accounting: [
        {
          label: "all five destinations",
          sent: total("routed"),
          delivered: total("delivered"),
          rejected: total("rejected"),
          failed: total("failed"),
        },
      ],
      notes: [
        `Emulator faults (all four services): ${soakEmulatorFaults.map((f) => JSON.stringify(f)).join(", ")}.`,
        "Memory faults: 2 throttled requests, 3 applied-then-lost (Timeout, outcome unknown), 1 Unavailable, 1 stalled after applying (ends at a 300 ms timeout), 1% of entries refused for good (InvalidRequest, seeded), 0–2 ms latency.",
        `Retry: ${JSON.stringify(soakRetry)}, default retry budget. The emulator runs in this process: the soak counts, it does not time.`,
        "Dead letters go to a memory adapter (`deadLetter`): each Rejected and Failed pair must have exactly one, no Delivered pair any.",
        "About 3% of the events are invalid on purpose (a 140-character type, an IoT Analytics field name with a dash, no source).",
        ...report.destinations.map(
          (d) =>
            `${d.destination}: routed ${d.routed}, delivered ${d.delivered}, rejected ${d.rejected}, failed ${d.failed}; stored ${d.stored}, duplicates ${d.duplicates}, Failed but stored ${d.storedButFailed}, events with an unknown outcome ${d.eventsWithUnknownOutcome}, dead letters ${d.deadLetters}.`,
        ),
      ],
    }
  },
}
