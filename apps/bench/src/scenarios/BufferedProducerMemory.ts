/**
 * Scenario 4: memory stays flat however long the stream. Each run is a fresh Node process (so no
 * earlier scenario's heap counts) that enqueues events into the buffered producer; the peak RSS is
 * sampled every few milliseconds and read at a tenth of the stream and at its end.
 */
import { packageModulePath, runNode } from "../internal/ChildScript.ts"
import {
  type Accounting,
  atMost,
  eventCount,
  measurement,
  type Scenario,
  type ScenarioReport,
} from "../Scenario.ts"
import { repeat } from "../Statistics.ts"
import type { BufferedProducerMeasurement, Checkpoint } from "./BufferedProducerProcess.ts"

const MB = 1024 * 1024
export const peakRssGoal = atMost(200, "≤ 200 MB")
/** "Flat": the peak at the end of the stream is within 20% of the peak at a tenth of it. */
export const rssGrowthGoal = atMost(1.2, "≤ 1.2 (flat)")
/** The long stream's length and first reading, in multiples of the main runs' events. */
const longStreamFactor = 20
const longStreamEarlyFactor = 5
/**
 * The semi-space cap of the fixed-young-generation runs, MB (`node --max-semi-space-size`): V8's
 * young generation then stays at most twice this, Eventport's size at a tenth of the stream in the
 * main runs.
 */
export const fixedSemiSpaceMb = 16

/** What a child read at a tenth of the stream and at its end. */
const checkpointsOf = (
  measured: BufferedProducerMeasurement,
  early: number,
  events: number,
): [Checkpoint, Checkpoint] => {
  const atEarly = measured.checkpoints.find((c) => c.events === early)
  const atEnd = measured.checkpoints.find((c) => c.events === events)
  if (atEarly === undefined || atEnd === undefined) throw new Error("child reported no checkpoint")
  return [atEarly, atEnd]
}

/** Runs one child (the anchor's with `anchor`, with extra `nodeFlags`) and returns what it measured. */
export const measureBufferedProducer = async (
  events: number,
  checkpoints: ReadonlyArray<number>,
  anchor = false,
  nodeFlags: ReadonlyArray<string> = [],
): Promise<BufferedProducerMeasurement> => {
  const child = await runNode(
    packageModulePath("scenarios/BufferedProducerProcess"),
    [String(events), checkpoints.join(","), ...(anchor ? ["anchor"] : [])],
    ["--expose-gc", ...nodeFlags],
  )
  if (child.code !== 0)
    throw new Error(
      `buffered producer child exited with ${child.code ?? child.signal}: ${child.stderr.trim()}`,
    )
  const line = child.stdout.trim().split("\n").at(-1) ?? ""
  return JSON.parse(line) as BufferedProducerMeasurement
}

export const bufferedProducerMemory: Scenario = {
  id: 4,
  title: "Buffered producer memory",
  measures:
    "Peak RSS of a fresh `node --expose-gc` process that `enqueue`s small events one by one into the " +
    'buffered producer (default buffer: 10,000 events, overflow `block`) towards `memory({ record: "count" })`, ' +
    'with `retainOutcomes: "none"`; sampled every 10 ms, read at a tenth of the stream and after `close()`. ' +
    "Anchor, side by side: the same loop in a fresh process (same modules loaded) into a bare bounded FIFO " +
    "of 10,000 events drained 4,096 at a time on the event loop.",
  run: async (settings): Promise<ScenarioReport> => {
    const events = eventCount(settings, 1_000_000, 20_000)
    const early = Math.max(1, Math.round(events / 10))
    const accounting: Accounting[] = []
    /** Where the events of one Eventport child went; its destination must have received each delivered one. */
    const account = (label: string, sent: number, measured: BufferedProducerMeasurement) => {
      accounting.push({
        label,
        sent,
        delivered: measured.delivered,
        rejected: measured.rejected,
        failed: measured.failed,
      })
      if (measured.received !== measured.delivered)
        throw new Error(
          `${label}: memory destination received ${measured.received}, the result says ${measured.delivered} delivered`,
        )
    }
    /** The anchor's FIFO must have taken every event it was given. */
    const checkAnchor = (label: string, sent: number, measured: BufferedProducerMeasurement) => {
      if (measured.received !== sent)
        throw new Error(`${label}anchor buffer took ${measured.received} of ${sent} events`)
    }
    const runs = await repeat(settings.repetitions, async (rep) => {
      const measured = await measureBufferedProducer(events, [early, events])
      account(`run ${rep + 1}`, events, measured)
      const [atEarly, atEnd] = checkpointsOf(measured, early, events)
      const peakEarly = atEarly.peakRssBytes
      const peakEnd = atEnd.peakRssBytes
      settings.log(
        `run ${rep + 1}: baseline ${(measured.baselineRssBytes / MB).toFixed(1)} MB, peak at ${early} ${(peakEarly / MB).toFixed(1)} MB, at ${events} ${(peakEnd / MB).toFixed(1)} MB; young generation ${(atEarly.youngGenerationBytes / MB).toFixed(0)} → ${(atEnd.youngGenerationBytes / MB).toFixed(0)} MB, rest of the heap ${(atEarly.otherHeapBytes / MB).toFixed(1)} → ${(atEnd.otherHeapBytes / MB).toFixed(1)} MB`,
      )
      const bare = await measureBufferedProducer(events, [early, events], true)
      checkAnchor("", events, bare)
      const [bareAtEarly, bareAtEnd] = checkpointsOf(bare, early, events)
      const bareEarly = bareAtEarly.peakRssBytes
      const bareEnd = bareAtEnd.peakRssBytes
      settings.log(
        `run ${rep + 1} anchor: peak at ${early} ${(bareEarly / MB).toFixed(1)} MB, at ${events} ${(bareEnd / MB).toFixed(1)} MB; young generation ${(bareAtEarly.youngGenerationBytes / MB).toFixed(0)} → ${(bareAtEnd.youngGenerationBytes / MB).toFixed(0)} MB`,
      )
      // The same pair with V8's young generation held at one size (see fixedSemiSpaceMb).
      const fixedFlags = [`--max-semi-space-size=${fixedSemiSpaceMb}`]
      const fixed = await measureBufferedProducer(events, [early, events], false, fixedFlags)
      account(`run ${rep + 1}, fixed young generation`, events, fixed)
      const fixedBare = await measureBufferedProducer(events, [early, events], true, fixedFlags)
      checkAnchor("fixed young generation: ", events, fixedBare)
      const [fixedAtEarly, fixedAtEnd] = checkpointsOf(fixed, early, events)
      const [fixedBareAtEarly, fixedBareAtEnd] = checkpointsOf(fixedBare, early, events)
      const fixedGrowth = fixedAtEnd.peakRssBytes / fixedAtEarly.peakRssBytes
      const fixedBareGrowth = fixedBareAtEnd.peakRssBytes / fixedBareAtEarly.peakRssBytes
      settings.log(
        `run ${rep + 1} fixed young generation (--max-semi-space-size=${fixedSemiSpaceMb}): Eventport ${fixedGrowth.toFixed(3)} (${(fixedAtEnd.peakRssBytes / MB).toFixed(1)} MB at ${events}), anchor ${fixedBareGrowth.toFixed(3)}`,
      )
      return {
        fixedEnd: fixedAtEnd.peakRssBytes / MB,
        fixedGrowth,
        fixedBareGrowth,
        baseline: measured.baselineRssBytes / MB,
        early: peakEarly / MB,
        end: peakEnd / MB,
        growth: peakEnd / peakEarly,
        liveHeap: measured.liveHeapBytes / MB,
        youngEarly: atEarly.youngGenerationBytes / MB,
        youngEnd: atEnd.youngGenerationBytes / MB,
        otherHeapGrowth: atEnd.otherHeapBytes / atEarly.otherHeapBytes,
        bareYoungEarly: bareAtEarly.youngGenerationBytes / MB,
        bareYoungEnd: bareAtEnd.youngGenerationBytes / MB,
        bareEarly: bareEarly / MB,
        bareEnd: bareEnd / MB,
        bareGrowth: bareEnd / bareEarly,
      }
    })
    // The long stream: one child a side, 20 times the events, read at 5 and 20 times: past the
    // point where V8's young generation reaches its largest size, what the peak does from there.
    const longEvents = events * longStreamFactor
    const longEarly = events * longStreamEarlyFactor
    const long = await measureBufferedProducer(longEvents, [longEarly, longEvents])
    account("long stream", longEvents, long)
    const longBare = await measureBufferedProducer(longEvents, [longEarly, longEvents], true)
    checkAnchor("long stream: ", longEvents, longBare)
    const [longAtEarly, longAtEnd] = checkpointsOf(long, longEarly, longEvents)
    const [longBareAtEarly, longBareAtEnd] = checkpointsOf(longBare, longEarly, longEvents)
    settings.log(
      `long stream: peak at ${longEarly} ${(longAtEarly.peakRssBytes / MB).toFixed(1)} MB, at ${longEvents} ${(longAtEnd.peakRssBytes / MB).toFixed(1)} MB; young generation ${(longAtEarly.youngGenerationBytes / MB).toFixed(0)} → ${(longAtEnd.youngGenerationBytes / MB).toFixed(0)} MB; ` +
        `anchor ${(longBareAtEarly.peakRssBytes / MB).toFixed(1)} → ${(longBareAtEnd.peakRssBytes / MB).toFixed(1)} MB, young generation ${(longBareAtEarly.youngGenerationBytes / MB).toFixed(0)} → ${(longBareAtEnd.youngGenerationBytes / MB).toFixed(0)} MB`,
    )
    const label = (n: number) => `peak RSS at ${n.toLocaleString("en-US")} events`
    const youngLabel = (n: number) => `V8 young generation at ${n.toLocaleString("en-US")} events`
    return {
      id: 4,
      title: bufferedProducerMemory.title,
      events,
      repetitions: settings.repetitions,
      measurements: [
        measurement(
          "RSS before the first event",
          "MB",
          runs.map((r) => r.baseline),
        ),
        measurement(
          label(early),
          "MB",
          runs.map((r) => r.early),
          peakRssGoal,
        ),
        measurement(
          label(events),
          "MB",
          runs.map((r) => r.end),
          peakRssGoal,
        ),
        measurement(
          "growth (end / tenth)",
          "ratio",
          runs.map((r) => r.growth),
          rssGrowthGoal,
        ),
        measurement(
          "live heap after close and GC",
          "MB",
          runs.map((r) => r.liveHeap),
        ),
        measurement(
          youngLabel(early),
          "MB",
          runs.map((r) => r.youngEarly),
        ),
        measurement(
          youngLabel(events),
          "MB",
          runs.map((r) => r.youngEnd),
        ),
        measurement(
          "V8 heap outside the young generation, growth (end / tenth)",
          "ratio",
          runs.map((r) => r.otherHeapGrowth),
        ),
        measurement(
          `anchor (bare bounded FIFO): ${label(early)}`,
          "MB",
          runs.map((r) => r.bareEarly),
        ),
        measurement(
          `anchor (bare bounded FIFO): ${label(events)}`,
          "MB",
          runs.map((r) => r.bareEnd),
        ),
        measurement(
          "anchor growth (end / tenth)",
          "ratio",
          runs.map((r) => r.bareGrowth),
        ),
        measurement(
          `anchor: ${youngLabel(early)}`,
          "MB",
          runs.map((r) => r.bareYoungEarly),
        ),
        measurement(
          `anchor: ${youngLabel(events)}`,
          "MB",
          runs.map((r) => r.bareYoungEnd),
        ),
        measurement(
          `fixed young generation (--max-semi-space-size=${fixedSemiSpaceMb}): ${label(events)}`,
          "MB",
          runs.map((r) => r.fixedEnd),
        ),
        measurement(
          `fixed young generation: growth (end / tenth)`,
          "ratio",
          runs.map((r) => r.fixedGrowth),
        ),
        measurement(
          `fixed young generation, anchor: growth (end / tenth)`,
          "ratio",
          runs.map((r) => r.fixedBareGrowth),
        ),
        measurement(`long stream: ${label(longEarly)}`, "MB", [longAtEarly.peakRssBytes / MB]),
        measurement(`long stream: ${label(longEvents)}`, "MB", [longAtEnd.peakRssBytes / MB]),
        measurement(
          `long stream: growth (${longStreamFactor}× / ${longStreamEarlyFactor}× the events)`,
          "ratio",
          [longAtEnd.peakRssBytes / longAtEarly.peakRssBytes],
        ),
        measurement(`long stream: ${youngLabel(longEarly)}`, "MB", [longAtEarly.youngGenerationBytes / MB]),
        measurement(`long stream: ${youngLabel(longEvents)}`, "MB", [longAtEnd.youngGenerationBytes / MB]),
        measurement(`long stream: live heap after close and GC`, "MB", [long.liveHeapBytes / MB]),
        measurement(`long stream, anchor: ${label(longEarly)}`, "MB", [longBareAtEarly.peakRssBytes / MB]),
        measurement(`long stream, anchor: ${label(longEvents)}`, "MB", [longBareAtEnd.peakRssBytes / MB]),
        measurement(
          `long stream, anchor: growth (${longStreamFactor}× / ${longStreamEarlyFactor}× the events)`,
          "ratio",
          [longBareAtEnd.peakRssBytes / longBareAtEarly.peakRssBytes],
        ),
      ],
      accounting,
      notes: [
        "RSS includes the Node runtime and the loaded modules: compare the peaks with the RSS before the first event.",
        "The live heap after close and a full GC tells events the publisher still holds (retention) apart from heap V8 grew and has not given back.",
        "V8 grows its young generation with the bytes that survive its scavenges, summed over the run: any bounded buffer a producer keeps full survives some, so the anchor shows how much of the growth V8 adds to a buffer of these events alone.",
        `Long stream (one run a side, informational): the same children with ${longStreamFactor} times the events, read at ${longStreamEarlyFactor} times and at the end. V8 doubles its young generation each time the bytes that survived its scavenges since the last doubling exceed its size, so on a long enough stream it reaches its largest size (which V8 derives from the heap limit, itself from the machine's memory) whatever the producer keeps; from there the peak shows what the process holds on a stream of any length.`,
        `Fixed young generation (informational): in each repetition, both children again with \`node --max-semi-space-size=${fixedSemiSpaceMb}\`, which keeps V8's young generation at most ${2 * fixedSemiSpaceMb} MB (Eventport's size at a tenth of the stream in the main runs), so the growth between the two readings leaves out V8 enlarging its nursery. A user can set the same flag (or NODE_OPTIONS) to bound a long-running producer's young generation; its cost in CPU (more frequent scavenges) is not measured here.`,
        "The young generation is read from `v8.getHeapSpaceStatistics()` (new space and new large objects, as committed) at each checkpoint; the heap outside it (old space, code, large objects) is V8's committed total minus that. Where the young generation doubles between the checkpoints and the rest stays flat, the growth is V8 sizing its nursery, not events the publisher keeps.",
      ],
    }
  },
}
