/**
 * Scenario 2: what Eventport costs over the best hand-written SDK loop, both sending the same events
 * to the same emulator process with the same concurrency, side by side in every repetition (the
 * order alternates, so neither side always meets a warmer or colder emulator). Then CPU per event:
 * each side in its own fresh process (same modules loaded), user + system CPU of the send, and of the
 * same send again in that process.
 */
import { createPublisher, type EventInput, type PromisePublisher } from "@eventport/core"
import { eventBridge } from "@eventport/eventbridge"
import { EmulatorProcess } from "../EmulatorProcess.ts"
import { handWrittenClient, putEventsByHand } from "../HandWrittenPutEvents.ts"
import { packageModulePath, runNode } from "../internal/ChildScript.ts"
import {
  type Accounting,
  atMost,
  eventCount,
  measurement,
  type Scenario,
  type ScenarioReport,
} from "../Scenario.ts"
import { median, repeat, timed } from "../Statistics.ts"
import { benchEventBusName, smallEventArray } from "./BenchEvents.ts"
import { asDestination } from "./Destination.ts"
import { emulatorConcurrency } from "./EmulatorCapacity.ts"
import type { PublishingMeasurement, PublishingSide, PublishingWindows } from "./PublishingProcess.ts"

/** CPU per event of the publishing process over the hand-written loop's. */
export const cpuOverheadGoal = atMost(1.05, "≤ 1.05")

/** The three sides of the CPU comparison, each in its own process, in a rotating order. */
type CpuSide = Exclude<PublishingSide, "engine">
const cpuSides: ReadonlyArray<CpuSide> = ["eventport", "hand", "hand-cached"]

/** The two measured windows of every CPU child: the events, then the same events again. */
type CpuWindow = keyof PublishingWindows
const cpuWindows: ReadonlyArray<CpuWindow> = ["first", "later"]

/** One window of one CPU child, for the scenario's accounting. */
const windowAccounting = (
  label: string,
  window: CpuWindow,
  measured: PublishingWindows,
  sent: number,
): Accounting => {
  const m = measured[window]
  return {
    label: window === "first" ? label : `${label}, again`,
    sent,
    delivered: m.delivered,
    rejected: m.rejected,
    failed: m.failed,
  }
}

/** One side of the CPU comparison in its own process (see PublishingProcess.ts). */
const publishInChild = async (
  side: PublishingSide,
  emulator: EmulatorProcess,
  events: number,
  warmUp: number,
): Promise<PublishingWindows> => {
  const child = await runNode(packageModulePath("scenarios/PublishingProcess"), [
    side,
    String(events),
    String(warmUp),
    emulator.endpoint,
    emulator.credentials.accessKeyId,
    emulator.credentials.secretAccessKey,
  ])
  const line = child.stdout.trim().split("\n").at(-1) ?? ""
  if (child.code !== 0 || line === "")
    throw new Error(`publishing child (${side}) exited ${child.code ?? child.signal}: ${child.stderr.trim()}`)
  return JSON.parse(line) as PublishingWindows
}

/** The Promise-facing publisher `createPublisher` returns. */
export type BenchPublisher = PromisePublisher

/** A publisher sending to the emulator through the EventBridge adapter, as a user configures it. */
export const eventBridgePublisher = (emulator: EmulatorProcess): BenchPublisher =>
  createPublisher({
    destinations: {
      eventbridge: asDestination(
        eventBridge({
          eventBusName: benchEventBusName,
          clientConfig: {
            endpoint: emulator.endpoint,
            region: emulator.region,
            credentials: emulator.credentials,
          },
        }),
      ),
    },
    concurrency: emulatorConcurrency,
    retainOutcomes: "none",
  })

const publishCounted = async (
  publisher: BenchPublisher,
  events: ReadonlyArray<EventInput>,
  label: string,
) => {
  const { ms, value } = await timed(() => publisher.publish(events))
  const c = value.counts.eventbridge
  const accounting: Accounting = {
    label,
    sent: events.length,
    delivered: c?.delivered ?? 0,
    rejected: c?.rejected ?? 0,
    failed: c?.failed ?? 0,
  }
  return { ms, accounting, requests: c?.requests ?? 0 }
}

export const eventBridgeOverhead: Scenario = {
  id: 2,
  title: "EventBridge: Eventport vs hand-written",
  measures:
    "Wall time to send the same small events to the emulator (own process, store count-only) through " +
    `Eventport's EventBridge adapter and through a hand-written loop (chunks of 10, ${emulatorConcurrency} in flight, ` +
    "@aws-sdk/client-eventbridge with maxAttempts 1, FailedEntryCount checked); ratio Eventport / hand-written. " +
    "Then CPU (user + system) per event of each side in its own fresh process, same modules loaded, after a warm-up, " +
    "and again for the same events sent a second time in that process.",
  run: async (settings): Promise<ScenarioReport> => {
    const events = smallEventArray(eventCount(settings, 100_000, 1_000))
    const emulator = await EmulatorProcess.start()
    const client = handWrittenClient(emulator)
    const publisher = eventBridgePublisher(emulator)
    const byHand = async (label: string) => {
      const { ms, value } = await timed(() =>
        putEventsByHand(client, events, {
          eventBusName: benchEventBusName,
          concurrency: emulatorConcurrency,
        }),
      )
      const accounting: Accounting = {
        label,
        sent: events.length,
        delivered: value.delivered,
        rejected: 0,
        failed: value.failed,
      }
      return { ms, accounting, requests: value.requests }
    }
    try {
      // Warm-up of both sides: connections, JIT, the emulator's own JIT.
      const warm = events.slice(0, Math.min(events.length, 5_000))
      await publisher.publish(warm)
      await putEventsByHand(client, warm, {
        eventBusName: benchEventBusName,
        concurrency: emulatorConcurrency,
      })

      const accounting: Accounting[] = []
      const runs = await repeat(settings.repetitions, async (rep) => {
        const eventportFirst = rep % 2 === 0
        const first = eventportFirst
          ? await publishCounted(publisher, events, `run ${rep + 1} Eventport`)
          : await byHand(`run ${rep + 1} hand-written`)
        const second = eventportFirst
          ? await byHand(`run ${rep + 1} hand-written`)
          : await publishCounted(publisher, events, `run ${rep + 1} Eventport`)
        const [eventport, hand] = eventportFirst ? [first, second] : [second, first]
        accounting.push(eventport.accounting, hand.accounting)
        settings.log(
          `run ${rep + 1} (${eventportFirst ? "Eventport first" : "hand-written first"}): Eventport ${eventport.ms.toFixed(0)} ms ` +
            `/ ${eventport.requests} requests, hand-written ${hand.ms.toFixed(0)} ms / ${hand.requests} requests`,
        )
        return {
          eventport: events.length / (eventport.ms / 1000),
          hand: events.length / (hand.ms / 1000),
          ratio: eventport.ms / hand.ms,
          eventportRequests: eventport.requests,
          handRequests: hand.requests,
        }
      })
      const cpuEvents = eventCount(settings, 50_000, 1_000)
      const cpuWarmUp = Math.min(5_000, cpuEvents)
      // One pair's ratio swings from about 0.8 to 1.3 on a shared 2-core machine, against a goal 5%
      // above 1, so the median is taken over at least 15 repetitions of the three sides (about 4 s
      // each at 50,000 events).
      const cpuRepetitions = settings.quick ? settings.repetitions : Math.max(15, settings.repetitions * 3)
      const cpuRuns = await repeat(cpuRepetitions, async (rep) => {
        const measured = new Map<CpuSide, PublishingWindows>()
        for (let i = 0; i < cpuSides.length; i++) {
          const side = cpuSides[(rep + i) % cpuSides.length]!
          measured.set(side, await publishInChild(side, emulator, cpuEvents, cpuWarmUp))
        }
        const eventport = measured.get("eventport")!
        const hand = measured.get("hand")!
        const handCached = measured.get("hand-cached")!
        for (const window of cpuWindows)
          for (const [label, m] of [
            ["Eventport", eventport],
            ["hand-written", hand],
            ["hand-written, adapter's client settings", handCached],
          ] as const)
            accounting.push(windowAccounting(`CPU run ${rep + 1} ${label}`, window, m, cpuEvents))
        const figures = (window: CpuWindow) => {
          const eventportPerEvent = eventport[window].cpuMicros / cpuEvents
          const handPerEvent = hand[window].cpuMicros / cpuEvents
          const handCachedPerEvent = handCached[window].cpuMicros / cpuEvents
          return {
            eventportPerEvent,
            handPerEvent,
            handCachedPerEvent,
            ratio: eventportPerEvent / handPerEvent,
            cachedRatio: eventportPerEvent / handCachedPerEvent,
          }
        }
        const split = (m: PublishingMeasurement) =>
          `${(m.cpuMicros / cpuEvents).toFixed(2)} µs/event (user ${(m.userMicros / cpuEvents).toFixed(1)} + system ${(m.systemMicros / cpuEvents).toFixed(1)}; ${m.wallMs.toFixed(0)} ms wall)`
        for (const window of cpuWindows)
          settings.log(
            `CPU run ${rep + 1}, ${window} window: Eventport ${split(eventport[window])}, ` +
              `hand-written ${split(hand[window])}, hand-written with the adapter's client settings ${split(handCached[window])}`,
          )
        return { first: figures("first"), later: figures("later") }
      })
      // Eventport's own part of that CPU: the same publisher and encode with a send that answers at
      // once (no SDK, no HTTP), over the hand-written loop's CPU per event in the repetitions above.
      const handMedian = (window: CpuWindow) => median(cpuRuns.map((r) => r[window].handPerEvent))
      const engineRuns = await repeat(settings.repetitions, async (rep) => {
        const engine = await publishInChild("engine", emulator, cpuEvents, cpuWarmUp)
        for (const window of cpuWindows)
          accounting.push(windowAccounting(`CPU run ${rep + 1} engine alone`, window, engine, cpuEvents))
        const figures = (window: CpuWindow) => {
          const perEvent = engine[window].cpuMicros / cpuEvents
          return { perEvent, share: perEvent / handMedian(window) }
        }
        const first = figures("first")
        const later = figures("later")
        settings.log(
          `CPU run ${rep + 1}: engine alone ${first.perEvent.toFixed(2)} µs/event, ${later.perEvent.toFixed(2)} in the later window`,
        )
        return { first, later }
      })
      /**
       * The CPU rows of one window. The first window's carry the goal and their plain names; the
       * later window's are informational and named for it.
       */
      const cpuRows = (window: CpuWindow) => {
        const label = (name: string, firstWindowDetail = "") =>
          window === "first"
            ? `${name}${firstWindowDetail}`
            : `${name}, events sent again in the same process`
        return [
          measurement(
            label("CPU per event, Eventport"),
            "µs",
            cpuRuns.map((r) => r[window].eventportPerEvent),
          ),
          measurement(
            label("CPU per event, hand-written"),
            "µs",
            cpuRuns.map((r) => r[window].handPerEvent),
          ),
          measurement(
            label("CPU per event ratio"),
            "ratio",
            cpuRuns.map((r) => r[window].ratio),
            window === "first" ? cpuOverheadGoal : undefined,
          ),
          measurement(
            label(
              "CPU per event, hand-written with the adapter's client settings",
              " (cacheMiddleware on, no logger middleware)",
            ),
            "µs",
            cpuRuns.map((r) => r[window].handCachedPerEvent),
          ),
          measurement(
            label("CPU per event, Eventport / hand-written with the adapter's client settings"),
            "ratio",
            cpuRuns.map((r) => r[window].cachedRatio),
          ),
          measurement(
            label("CPU per event, Eventport with a send that answers at once"),
            "µs",
            engineRuns.map((r) => r[window].perEvent),
          ),
          measurement(
            label("that over hand-written CPU per event"),
            "ratio",
            engineRuns.map((r) => r[window].share),
          ),
        ]
      }
      return {
        id: 2,
        title: eventBridgeOverhead.title,
        events: events.length,
        repetitions: settings.repetitions,
        measurements: [
          measurement(
            "Eventport events/s",
            "events/s",
            runs.map((r) => r.eventport),
          ),
          measurement(
            "hand-written events/s",
            "events/s",
            runs.map((r) => r.hand),
          ),
          measurement(
            "wall time ratio",
            "ratio",
            runs.map((r) => r.ratio),
          ),
          measurement(
            "Eventport requests",
            "requests",
            runs.map((r) => r.eventportRequests),
          ),
          measurement(
            "hand-written requests",
            "requests",
            runs.map((r) => r.handRequests),
          ),
          ...cpuRows("first"),
          ...cpuRows("later"),
        ],
        accounting,
        notes: [
          "The ratio is taken per repetition (the two sides back to back), then its median.",
          "Both sides start from the same array of event inputs; Eventport validates each event and gives it an id, the hand-written loop does not.",
          "The wall ratio is informational: both sides share two cores with the emulator, so it swings from run to run. The goal is on CPU per event.",
          "CPU per event: each side in its own fresh `node` process running the same module (so the same modules are loaded), a warm-up of up to 5,000 events, then `process.cpuUsage()` (user + system) around the send of the measured events, divided by their number; the order of the sides rotates; ratio per repetition, then its median over at least 15 repetitions (3 × the repetitions when that is more).",
          "Hand-written with the adapter's client settings: the same loop, its client made as Eventport's adapters make theirs, with the SDK's `cacheMiddleware: true` (the SDK otherwise rebuilds a command's middleware stack on every send) and without the SDK's logger middleware (with no logger configured it only feeds the SDK's no-op logger). Eventport over it is Eventport's whole cost per event over the SDK's with the same client settings; informational, the goal is on the loop as a user writes it by default.",
          "Eventport with a send that answers at once: the same publisher, with the EventBridge adapter's limits and encode, in its own process, but a send that answers every entry accepted without the SDK or HTTP. Its CPU per event is Eventport's own work (validation, ids, encode, packing, the request loop, outcomes); over the hand-written loop's CPU per event (median of the repetitions above) it is the part of the ratio above 1 that the engine accounts for. The ratio over the loop with the adapter's client settings, less this share, is the part of Eventport's cost that shows only with a real send (requests that wait, and the SDK's work around them); the bench does not break it down further.",
          "Events sent again in the same process (informational): each CPU child then sends the same events once more and measures that send too. By then the process has sent the warm-up and the measured events once, so V8 has had that many more events to optimize the code each side runs per event and per request. The first window also pays for that optimization: V8 compiles on background threads, which `process.cpuUsage()` counts, and code runs slower until it is optimized. Eventport has more code to optimize than the loop (its engine, the adapter, Effect's runtime). So the second window's ratio compares the two sides with most of that one-time cost behind them. The engine-alone rows are measured the same way, each over the hand-written loop's median in the same window. The goal stays on the first window: a process publishing up to 55,000 events in all.",
        ],
      }
    } finally {
      await publisher.close()
      client.destroy()
      await emulator.stop()
    }
  },
}
