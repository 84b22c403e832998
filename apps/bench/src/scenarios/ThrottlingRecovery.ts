/**
 * Scenario 6: what 20% throttling costs. The emulator answers one request in five with EventBridge's
 * ThrottlingException (seeded, so runs repeat); the publisher retries only what failed, with its
 * default retry settings. Compared with a fault-free run of the same events, side by side.
 */
import { EmulatorProcess } from "../EmulatorProcess.ts"
import {
  type Accounting,
  atMost,
  eventCount,
  isAccounted,
  measurement,
  type Scenario,
  type ScenarioReport,
} from "../Scenario.ts"
import { repeat, timed } from "../Statistics.ts"
import { smallEventArray } from "./BenchEvents.ts"
import { emulatorConcurrency } from "./EmulatorCapacity.ts"
import { eventBridgePublisher } from "./EventBridgeOverhead.ts"

export const throttleRate = 0.2
export const requestGrowthGoal = atMost(1.3, "≤ 1.3")
export const unaccountedGoal = atMost(0, "0")

export const throttlingRecovery: Scenario = {
  id: 6,
  title: "20% throttling",
  measures:
    `Requests and goodput (delivered events/s) sending small events through the EventBridge adapter while the emulator ` +
    `throttles ${throttleRate * 100}% of PutEvents requests (whole-request ThrottlingException, seeded), against a fault-free ` +
    `run of the same events; publisher retry defaults, ${emulatorConcurrency} requests in flight.`,
  run: async (settings): Promise<ScenarioReport> => {
    const events = smallEventArray(eventCount(settings, 20_000, 500))
    const emulator = await EmulatorProcess.start({ seed: 6 })
    const publisher = eventBridgePublisher(emulator)
    const side = async (faulted: boolean, label: string) => {
      await emulator.reset()
      if (faulted)
        await emulator.setFaults([{ type: "requestError", error: "throttling", rate: throttleRate }])
      const { ms, value } = await timed(() => publisher.publish(events))
      const received = await emulator.requestCounts()
      const c = value.counts.eventbridge
      const accounting: Accounting = {
        label,
        sent: events.length,
        delivered: c?.delivered ?? 0,
        rejected: c?.rejected ?? 0,
        failed: c?.failed ?? 0,
      }
      return { ms, accounting, requests: c?.requests ?? 0, emulatorRequests: received.total }
    }
    try {
      await publisher.publish(events.slice(0, Math.min(events.length, 5_000)))
      const accounting: Accounting[] = []
      const runs = await repeat(settings.repetitions, async (rep) => {
        const faultedFirst = rep % 2 === 1
        const first = await side(faultedFirst, `run ${rep + 1} ${faultedFirst ? "throttled" : "fault-free"}`)
        const second = await side(
          !faultedFirst,
          `run ${rep + 1} ${faultedFirst ? "fault-free" : "throttled"}`,
        )
        const [clean, throttled] = faultedFirst ? [second, first] : [first, second]
        accounting.push(clean.accounting, throttled.accounting)
        if (throttled.requests !== throttled.emulatorRequests)
          settings.log(
            `run ${rep + 1}: publisher counted ${throttled.requests} requests, the emulator ${throttled.emulatorRequests}`,
          )
        settings.log(
          `run ${rep + 1}: fault-free ${clean.requests} requests in ${clean.ms.toFixed(0)} ms; throttled ` +
            `${throttled.requests} requests in ${throttled.ms.toFixed(0)} ms, ${throttled.accounting.delivered} delivered, ` +
            `${throttled.accounting.failed} failed`,
        )
        return {
          cleanRequests: clean.emulatorRequests,
          throttledRequests: throttled.emulatorRequests,
          requestRatio: throttled.emulatorRequests / clean.emulatorRequests,
          cleanGoodput: clean.accounting.delivered / (clean.ms / 1000),
          throttledGoodput: throttled.accounting.delivered / (throttled.ms / 1000),
          delivered: throttled.accounting.delivered / events.length,
          unaccounted: [clean.accounting, throttled.accounting].filter((a) => !isAccounted(a)).length,
        }
      })
      return {
        id: 6,
        title: throttlingRecovery.title,
        events: events.length,
        repetitions: settings.repetitions,
        measurements: [
          measurement(
            "requests, fault-free",
            "requests",
            runs.map((r) => r.cleanRequests),
          ),
          measurement(
            "requests, throttled",
            "requests",
            runs.map((r) => r.throttledRequests),
          ),
          measurement(
            "requests ratio",
            "ratio",
            runs.map((r) => r.requestRatio),
            requestGrowthGoal,
          ),
          measurement(
            "goodput, fault-free",
            "events/s",
            runs.map((r) => r.cleanGoodput),
          ),
          measurement(
            "goodput, throttled",
            "events/s",
            runs.map((r) => r.throttledGoodput),
          ),
          measurement(
            "goodput ratio, throttled / fault-free",
            "ratio",
            runs.map((r) => r.throttledGoodput / r.cleanGoodput),
          ),
          measurement(
            "share delivered, throttled",
            "ratio",
            runs.map((r) => r.delivered),
          ),
          measurement(
            "runs with events unaccounted for",
            "count",
            runs.map((r) => r.unaccounted),
            unaccountedGoal,
          ),
        ],
        accounting,
        notes: [
          "Requests are counted by the emulator (every request it answered, throttled ones included).",
          "20,000 events per run, not 100,000: the request ratio is stable at this size. The throttled run ends with the entries throttled several times in a row, waiting out their backoff (100 ms base, doubling, full jitter).",
          "Failed events (e.g. when the retry budget or attempts run out) are accounted for, not delivered: see the share delivered.",
        ],
      }
    } finally {
      await publisher.close()
      await emulator.stop()
    }
  },
}
