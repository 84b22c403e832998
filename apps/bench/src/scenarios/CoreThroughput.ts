/**
 * Scenario 1: the engine's own cost per event. Small events go through the whole publisher
 * (validation, encode, packing, concurrency, outcome counting) to the memory adapter, which keeps
 * only counts. Taken twice, side by side: with the memory adapter's default size rule (it measures
 * each event's CloudEvents JSON, a real cost a user of `memory()` pays) and with a constant size
 * rule, which leaves the core alone.
 */
import { createPublisher, type PromisePublisher } from "@eventport/core"
import { type MemoryAdapter, memory } from "@eventport/memory"
import {
  type Accounting,
  atLeast,
  eventCount,
  measurement,
  type Scenario,
  type ScenarioReport,
} from "../Scenario.ts"
import { repeat, timed } from "../Statistics.ts"
import { smallEvents } from "./BenchEvents.ts"

export const coreThroughputGoal = atLeast(500_000, "≥ 500,000/s")

/** The size the constant rule gives every small event: about its CloudEvents JSON length. */
const constantEntryBytes = 160

interface Side {
  readonly label: string
  readonly destination: MemoryAdapter
  readonly publisher: PromisePublisher
}

const side = (label: string, destination: MemoryAdapter): Side => ({
  label,
  destination,
  publisher: createPublisher({ destinations: { memory: destination }, retainOutcomes: "none" }),
})

export const coreThroughput: Scenario = {
  id: 1,
  title: "Core → memory adapter",
  measures:
    'Events/s through `createPublisher` to `memory({ record: "count" })` with `retainOutcomes: "none"`, ' +
    "small events from a generator, one Node process (one core for the JavaScript); once with the memory " +
    "adapter's default size rule (CloudEvents JSON length of each event), once with a constant size rule (the core alone).",
  run: async (settings): Promise<ScenarioReport> => {
    const events = eventCount(settings, 1_000_000, 20_000)
    const sides = [
      side("default size rule", memory({ record: "count" })),
      side(
        "constant size rule",
        memory({ record: "count", limits: { entryBytes: () => constantEntryBytes } }),
      ),
    ] as const
    const once = async (s: Side, rep: number) => {
      const before = s.destination.count
      const { ms, value } = await timed(() => s.publisher.publish(smallEvents(events)))
      const counts = value.counts.memory
      const accounting: Accounting = {
        label: `run ${rep + 1} ${s.label}`,
        sent: events,
        delivered: counts?.delivered ?? 0,
        rejected: counts?.rejected ?? 0,
        failed: counts?.failed ?? 0,
      }
      const received = s.destination.count - before
      if (received !== accounting.delivered)
        throw new Error(
          `memory destination received ${received} events, the result says ${accounting.delivered} delivered`,
        )
      settings.log(`run ${rep + 1} ${s.label}: ${events} events in ${ms.toFixed(0)} ms`)
      return { rate: events / (ms / 1000), accounting }
    }
    try {
      // Warm-up, one untimed run per side: the JIT compiles the hot path and V8 grows its young
      // generation before anything is timed. 100,000 events were not enough: the first timed run
      // came out at about 0.55 of the later ones.
      for (const s of sides) await s.publisher.publish(smallEvents(events))
      const accounting: Accounting[] = []
      const runs = await repeat(settings.repetitions, async (rep) => {
        const order = rep % 2 === 0 ? [0, 1] : [1, 0]
        const rates: number[] = []
        for (const i of order) {
          const r = await once(sides[i]!, rep)
          rates[i] = r.rate
          accounting.push(r.accounting)
        }
        return { defaultRule: rates[0]!, constantRule: rates[1]! }
      })
      return {
        id: 1,
        title: coreThroughput.title,
        events,
        repetitions: settings.repetitions,
        measurements: [
          measurement(
            "events/s, memory default size rule",
            "events/s",
            runs.map((r) => r.defaultRule),
            coreThroughputGoal,
          ),
          measurement(
            "events/s, constant size rule",
            "events/s",
            runs.map((r) => r.constantRule),
            coreThroughputGoal,
          ),
        ],
        accounting,
        notes: [
          'Memory adapter with its default limits (500 entries, 1 MiB per request) and `record: "count"`; publisher defaults otherwise (concurrency 4).',
          `The constant size rule gives every event ${constantEntryBytes} bytes, so what remains is the core's own work.`,
          "One warm-up publish per side before the timed runs, as many events as a timed run (V8 optimizes the hot path and sizes its heap by then); the two sides alternate which goes first.",
        ],
      }
    } finally {
      for (const s of sides) await s.publisher.close()
    }
  },
}
