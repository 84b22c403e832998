/**
 * Scenario 2: what Eventport costs over the best hand-written SDK loop, both sending the same events
 * to the same emulator process with the same concurrency, side by side in every repetition (the
 * order alternates, so neither side always meets a warmer or colder emulator).
 */
import { createPublisher, type EventInput, type PromisePublisher } from "@eventport/core"
import { eventBridge } from "@eventport/eventbridge"
import { EmulatorProcess } from "../EmulatorProcess.ts"
import { handWrittenClient, putEventsByHand } from "../HandWrittenPutEvents.ts"
import {
  type Accounting,
  atMost,
  eventCount,
  measurement,
  type Scenario,
  type ScenarioReport,
} from "../Scenario.ts"
import { repeat, timed } from "../Statistics.ts"
import { benchEventBusName, smallEventArray } from "./BenchEvents.ts"
import { asDestination } from "./Destination.ts"
import { emulatorConcurrency } from "./EmulatorCapacity.ts"

export const overheadGoal = atMost(1.05, "≤ 1.05")

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
    "@aws-sdk/client-eventbridge with maxAttempts 1, FailedEntryCount checked); ratio Eventport / hand-written.",
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
            overheadGoal,
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
        ],
        accounting,
        notes: [
          "The ratio is taken per repetition (the two sides back to back), then its median.",
          "Both sides start from the same array of event inputs; Eventport validates each event and gives it an id, the hand-written loop does not.",
        ],
      }
    } finally {
      await publisher.close()
      client.destroy()
      await emulator.stop()
    }
  },
}
