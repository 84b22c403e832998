/**
 * Scenario 7: how many PutEvents requests per second the emulator itself answers when a raw SDK
 * client hammers it at the concurrency the other scenarios use. If this is not well above the
 * request rate of scenario 2, scenario 2 measures the emulator, not Eventport.
 */
import { EmulatorProcess } from "../EmulatorProcess.ts"
import { handWrittenClient, putEventsByHand, putEventsMaxEntries } from "../HandWrittenPutEvents.ts"
import { type Accounting, eventCount, measurement, type Scenario, type ScenarioReport } from "../Scenario.ts"
import { repeat, timed } from "../Statistics.ts"
import { benchEventBusName, smallEventArray } from "./BenchEvents.ts"

/** Requests in flight in every emulator scenario, Eventport and hand-written alike. */
export const emulatorConcurrency = 4

export const emulatorCapacity: Scenario = {
  id: 7,
  title: "Emulator capacity (raw SDK)",
  measures:
    "Requests/s the emulator (own process, store count-only) answers to a raw EventBridge SDK client " +
    `sending valid PutEvents of ${putEventsMaxEntries} entries with ${emulatorConcurrency} requests in flight. ` +
    "Informational: it shows the emulator is not the bottleneck of scenarios 2, 3 and 6.",
  run: async (settings): Promise<ScenarioReport> => {
    const events = smallEventArray(eventCount(settings, 100_000, 2_000))
    const emulator = await EmulatorProcess.start()
    const client = handWrittenClient(emulator)
    try {
      // Warm-up: connections, JIT of both processes.
      await putEventsByHand(client, events.slice(0, Math.min(events.length, 2_000)), {
        eventBusName: benchEventBusName,
        concurrency: emulatorConcurrency,
      })
      const accounting: Accounting[] = []
      const runs = await repeat(settings.repetitions, async (rep) => {
        const { ms, value } = await timed(() =>
          putEventsByHand(client, events, {
            eventBusName: benchEventBusName,
            concurrency: emulatorConcurrency,
          }),
        )
        accounting.push({
          label: `run ${rep + 1}`,
          sent: events.length,
          delivered: value.delivered,
          rejected: 0,
          failed: value.failed,
        })
        settings.log(`run ${rep + 1}: ${value.requests} requests in ${ms.toFixed(0)} ms`)
        return {
          requestsPerSecond: value.requests / (ms / 1000),
          eventsPerSecond: events.length / (ms / 1000),
        }
      })
      return {
        id: 7,
        title: emulatorCapacity.title,
        events: events.length,
        repetitions: settings.repetitions,
        measurements: [
          measurement(
            "emulator requests/s",
            "requests/s",
            runs.map((r) => r.requestsPerSecond),
          ),
          measurement(
            "emulator entries/s",
            "events/s",
            runs.map((r) => r.eventsPerSecond),
          ),
        ],
        accounting,
        notes: [
          `${emulatorConcurrency} requests in flight; SDK maxAttempts 1; chunks of ${putEventsMaxEntries}.`,
        ],
      }
    } finally {
      client.destroy()
      await emulator.stop()
    }
  },
}
