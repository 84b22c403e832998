/**
 * Scenario 11: the durable outbox (PostgreSQL store). Events/s delivered by 1, 2 and 4 relays to the
 * emulator with 20 ms of latency per request, where the network, not the CPU, is the limit; `add`
 * throughput (one event per call, and batches of 100); add-to-delivered latency with relays
 * running; and one relay against the in-memory publisher on the same destination (the anchor).
 * Relays run in this process (each its own claim loop, publisher and pool), like relays in separate
 * processes sharing one database.
 */
import { createPublisher, type EventInput } from "@eventport/core"
import { eventBridge } from "@eventport/eventbridge"
import { createOutbox, type PairSettlement, type RelayHandle, startRelay } from "@eventport/outbox"
import { postgresStore } from "@eventport/outbox/postgres"
import pg from "pg"
import { EmulatorProcess } from "../EmulatorProcess.ts"
import {
  type Accounting,
  atLeast,
  eventCount,
  measurement,
  type Scenario,
  type ScenarioReport,
} from "../Scenario.ts"
import { repeat } from "../Statistics.ts"
import { benchEventBusName, smallEvent } from "./BenchEvents.ts"
import { asDestination } from "./Destination.ts"

/** PostgreSQL for the scenario: `EVENTPORT_BENCH_PG_URL`, else the tests' `EVENTPORT_TEST_PG_URL`, else local. */
const postgresUrl =
  process.env.EVENTPORT_BENCH_PG_URL ??
  process.env.EVENTPORT_TEST_PG_URL ??
  "postgres://postgres@127.0.0.1:5432/test"
const latencyMs = 20
const relayCounts = [1, 2, 4] as const
const concurrency = 4
const batchSize = 100
const pollIntervalMs = 20

export const twoRelayGoal = atLeast(1.6, "≥ 1.6")
export const fourRelayGoal = atLeast(2.5, "≥ 2.5")
export const anchorGoal = atLeast(0.5, "≥ 0.5")

const percentile = (sorted: ReadonlyArray<number>, p: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!

export const outboxRelays: Scenario = {
  id: 11,
  title: "Durable outbox",
  measures:
    `PostgreSQL outbox to EventBridge on the emulator with ${latencyMs} ms latency per request: events/s delivered by ` +
    `1, 2 and 4 relays (batches of ${batchSize}, ${concurrency} requests in flight each), add throughput (single events ` +
    `and batches of 100), add-to-delivered latency p50/p99 with 2 relays, and 1 relay against the in-memory publisher ` +
    `on the same destination (anchor).`,
  run: async (settings): Promise<ScenarioReport> => {
    const n = eventCount(settings, 10_000, 300)
    const singles = eventCount(settings, 2_000, 50)
    const emulator = await EmulatorProcess.start({ seed: 9 })
    await emulator.setFaults([{ type: "latency", ms: latencyMs }])
    const clientConfig = {
      endpoint: emulator.endpoint,
      region: emulator.region,
      credentials: emulator.credentials,
    }
    const destination = () => asDestination(eventBridge({ eventBusName: benchEventBusName, clientConfig }))
    const schema = `eventport_bench_${process.pid}_${Date.now().toString(36)}`
    const store = postgresStore({ connectionString: postgresUrl, schema, maxConnections: 8 })
    await store.setup().catch((error: unknown) => {
      throw new Error(
        `needs PostgreSQL (EVENTPORT_BENCH_PG_URL): ${error instanceof Error ? error.message : String(error)}`,
      )
    })
    const outbox = createOutbox({ store, destinations: ["eventbridge"] })
    const accounting: Array<Accounting> = []
    /**
     * Purges what was delivered, then vacuums both tables. The PostgreSQL of this machine kind runs
     * with autovacuum off: without it, every claim scans the dead rows of the runs before (one relay
     * fell from 1,141 to 800 events/s over five repetitions while the anchor held), which autovacuum
     * clears where it is on.
     */
    const purge = async () => {
      await store.purgeDelivered(0)
      const client = new pg.Client({ connectionString: postgresUrl })
      await client.connect()
      try {
        await client.query(`VACUUM "${schema}".outbox_pair, "${schema}".outbox_event`)
      } finally {
        await client.end()
      }
    }
    const eventsOf = (count: number, offset: number): Array<EventInput> =>
      Array.from({ length: count }, (_, i) => smallEvent(offset + i))

    const addBatches = async (events: ReadonlyArray<EventInput>) => {
      for (let i = 0; i < events.length; i += batchSize) await outbox.add(events.slice(i, i + batchSize))
    }

    /** Starts `count` relays; resolves once `expected` pairs were settled, with the outcomes. */
    const relayRun = async (count: number, expected: number, label: string) => {
      let delivered = 0
      let failed = 0
      let done: () => void = () => {}
      const finished = new Promise<void>((resolve) => {
        done = resolve
      })
      const onSettled = (settlements: ReadonlyArray<PairSettlement>, applied: number) => {
        if (applied !== settlements.length) return
        for (const s of settlements)
          if (s.kind === "delivered") delivered++
          else if (s.kind === "dead") failed++
        if (delivered + failed >= expected) done()
      }
      const started = performance.now()
      const relays: Array<RelayHandle> = Array.from({ length: count }, () =>
        startRelay({
          store,
          destinations: { eventbridge: destination() },
          batchSize,
          concurrency,
          pollIntervalMs,
          statsIntervalMs: 0,
          onSettled,
        }),
      )
      await finished
      const ms = performance.now() - started
      await Promise.all(relays.map((r) => r.stop()))
      accounting.push({ label, sent: expected, delivered, rejected: 0, failed })
      return expected / (ms / 1000)
    }

    try {
      const runs = await repeat(settings.repetitions, async (rep) => {
        const perRelays: Array<number> = []
        for (const count of relayCounts) {
          await addBatches(eventsOf(n, 0))
          perRelays.push(await relayRun(count, n, `run ${rep + 1}, ${count} relay${count === 1 ? "" : "s"}`))
          await purge()
        }

        // Anchor: the same destination through the in-memory publisher.
        const publisher = createPublisher({
          destinations: { eventbridge: destination() },
          concurrency,
          retainOutcomes: "none",
        })
        const anchorEvents = eventsOf(n, 0)
        const anchorStarted = performance.now()
        const result = await publisher.publish(anchorEvents)
        const anchor = n / ((performance.now() - anchorStarted) / 1000)
        await publisher.close()
        const c = result.counts.eventbridge
        accounting.push({
          label: `run ${rep + 1}, in-memory publisher`,
          sent: n,
          delivered: c?.delivered ?? 0,
          rejected: c?.rejected ?? 0,
          failed: c?.failed ?? 0,
        })

        // add throughput: one event per call, then batches of 100.
        const singleEvents = eventsOf(singles, 0)
        let t = performance.now()
        for (const e of singleEvents) await outbox.add([e])
        const addSingle = singles / ((performance.now() - t) / 1000)
        const batchEvents = eventsOf(n, 0)
        t = performance.now()
        await addBatches(batchEvents)
        const addBatch = n / ((performance.now() - t) / 1000)
        await relayRun(2, singles + n, `run ${rep + 1}, drain after add`)
        await purge()

        // add-to-delivered latency: batches of 10 every 10 ms with 2 relays running.
        const addedAt = new Map<string, number>()
        const latencies: Array<number> = []
        let delivered = 0
        const relays = Array.from({ length: 2 }, () =>
          startRelay({
            store,
            destinations: { eventbridge: destination() },
            batchSize,
            concurrency,
            pollIntervalMs,
            statsIntervalMs: 0,
            onSettled: (settlements) => {
              const now = performance.now()
              for (const s of settlements)
                if (s.kind === "delivered") {
                  delivered++
                  const at = addedAt.get(s.eventId)
                  if (at !== undefined) latencies.push(now - at)
                }
            },
          }),
        )
        const latencyEvents = Math.min(n, 2_000)
        for (let i = 0; i < latencyEvents; i += 10) {
          const added = await outbox.add(eventsOf(Math.min(10, latencyEvents - i), i))
          const now = performance.now()
          for (const e of added) addedAt.set(e.id, now)
          await new Promise((resolve) => setTimeout(resolve, 10))
        }
        while (delivered < latencyEvents) await new Promise((resolve) => setTimeout(resolve, 10))
        await Promise.all(relays.map((r) => r.stop()))
        await purge()
        accounting.push({
          label: `run ${rep + 1}, latency`,
          sent: latencyEvents,
          delivered,
          rejected: 0,
          failed: 0,
        })
        latencies.sort((a, b) => a - b)
        settings.log(
          `run ${rep + 1}: relays ${perRelays.map((v) => v.toFixed(0)).join(" / ")} events/s, anchor ${anchor.toFixed(0)}, ` +
            `add ${addSingle.toFixed(0)}/s single, ${addBatch.toFixed(0)}/s batched, latency p50 ${percentile(latencies, 0.5).toFixed(0)} ms`,
        )
        return {
          one: perRelays[0]!,
          two: perRelays[1]!,
          four: perRelays[2]!,
          anchor,
          addSingle,
          addBatch,
          p50: percentile(latencies, 0.5),
          p99: percentile(latencies, 0.99),
        }
      })
      return {
        id: 11,
        title: outboxRelays.title,
        events: n,
        repetitions: settings.repetitions,
        measurements: [
          measurement(
            "1 relay",
            "events/s",
            runs.map((r) => r.one),
          ),
          measurement(
            "2 relays",
            "events/s",
            runs.map((r) => r.two),
          ),
          measurement(
            "4 relays",
            "events/s",
            runs.map((r) => r.four),
          ),
          measurement(
            "2 relays / 1 relay",
            "ratio",
            runs.map((r) => r.two / r.one),
            twoRelayGoal,
          ),
          measurement(
            "4 relays / 1 relay",
            "ratio",
            runs.map((r) => r.four / r.one),
            fourRelayGoal,
          ),
          measurement(
            "in-memory publisher (anchor)",
            "events/s",
            runs.map((r) => r.anchor),
          ),
          measurement(
            "1 relay / in-memory publisher",
            "ratio",
            runs.map((r) => r.one / r.anchor),
            anchorGoal,
          ),
          measurement(
            "add, one event per call",
            "events/s",
            runs.map((r) => r.addSingle),
          ),
          measurement(
            "add, batches of 100",
            "events/s",
            runs.map((r) => r.addBatch),
          ),
          measurement(
            "add to delivered, p50",
            "ms",
            runs.map((r) => r.p50),
          ),
          measurement(
            "add to delivered, p99",
            "ms",
            runs.map((r) => r.p99),
          ),
        ],
        accounting,
        notes: [
          `PostgreSQL store (EVENTPORT_BENCH_PG_URL, else EVENTPORT_TEST_PG_URL, else local), a schema of its own, dropped at the end; the emulator in its own process with ${latencyMs} ms latency on every request.`,
          `Relays run in the bench process: ${batchSize} pairs per claim, one claim loop, ${concurrency} requests in flight, poll every ${pollIntervalMs} ms when idle. Events are added before the relays start; the time runs from their start to the last settlement.`,
          "Latency: batches of 10 added every 10 ms while 2 relays run; from add resolving to the relay recording the delivery. It includes the poll interval.",
          "The anchor publishes the same number of events with createPublisher to the same destination, same concurrency.",
          "After each run the delivered pairs are purged and both tables vacuumed, as autovacuum would (this machine's PostgreSQL runs with it off); otherwise each repetition's claims scan the dead rows of the ones before.",
        ],
      }
    } finally {
      await store.drop().catch(() => {})
      await store.close()
      await emulator.stop()
    }
  },
}
