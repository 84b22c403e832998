/**
 * Scenario 1: the engine's own cost per event. Small events go through the whole publisher
 * (validation, encode, packing, concurrency, outcome counting) to the memory adapter, which keeps
 * only counts, so what is left is the core.
 */
import { createPublisher } from "@eventport/core"
import { memory } from "@eventport/memory"
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

export const coreThroughput: Scenario = {
  id: 1,
  title: "Core → memory adapter",
  measures:
    'Events/s through `createPublisher` to `memory({ record: "count" })` with `retainOutcomes: "none"`, ' +
    "small events from a generator, one Node process (one core for the JavaScript).",
  run: async (settings): Promise<ScenarioReport> => {
    const events = eventCount(settings, 1_000_000, 20_000)
    const destination = memory({ record: "count" })
    const publisher = createPublisher({ destinations: { memory: destination }, retainOutcomes: "none" })
    try {
      // Warm-up: the JIT compiles the hot path before anything is timed.
      await publisher.publish(smallEvents(Math.min(events, 100_000)))
      const accounting: Accounting[] = []
      const runs = await repeat(settings.repetitions, async (rep) => {
        const before = destination.count
        const { ms, value } = await timed(() => publisher.publish(smallEvents(events)))
        const counts = value.counts.memory
        accounting.push({
          label: `run ${rep + 1}`,
          sent: events,
          delivered: counts?.delivered ?? 0,
          rejected: counts?.rejected ?? 0,
          failed: counts?.failed ?? 0,
        })
        const received = destination.count - before
        if (received !== (counts?.delivered ?? 0))
          throw new Error(
            `memory destination received ${received} events, the result says ${counts?.delivered} delivered`,
          )
        const rate = events / (ms / 1000)
        settings.log(`run ${rep + 1}: ${events} events in ${ms.toFixed(0)} ms (${Math.round(rate)}/s)`)
        return rate
      })
      return {
        id: 1,
        title: coreThroughput.title,
        events,
        repetitions: settings.repetitions,
        measurements: [measurement("events/s", "events/s", runs, coreThroughputGoal)],
        accounting,
        notes: [
          'Memory adapter with its default limits (500 entries, 1 MiB per request; entry size = CloudEvents JSON length) and `record: "count"`.',
          "Publisher defaults otherwise (concurrency 4); one warm-up publish before the timed runs.",
        ],
      }
    } finally {
      await publisher.close()
    }
  },
}
