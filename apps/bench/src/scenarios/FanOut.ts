/**
 * Scenario 3: fan-out costs little over the slowest destination alone. Each of the eight AWS
 * services runs in its own emulator process (they are independent services) with a fixed latency
 * per request standing in for the network round trip, so the comparison measures whether the
 * publisher keeps destinations in parallel, not how the bench machine's cores are shared.
 */
import { type Adapter, createPublisher, type DestinationConfig, type PromisePublisher } from "@eventport/core"
import { eventBridge } from "@eventport/eventbridge"
import { firehose } from "@eventport/firehose"
import { iotAnalytics } from "@eventport/iot-analytics"
import { iotEvents } from "@eventport/iot-events"
import { kinesis } from "@eventport/kinesis"
import { pinpoint } from "@eventport/pinpoint"
import { sns } from "@eventport/sns"
import { sqs } from "@eventport/sqs"
import { EmulatorProcess } from "../EmulatorProcess.ts"
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

export const fanOutGoal = atMost(1.2, "≤ 1.2")

/** Latency the emulators add to every request: a same-Region round trip, roughly. */
export const fanOutLatencyMs = 10

const destinationNames = [
  "eventbridge",
  "iotevents",
  "iotanalytics",
  "pinpoint",
  "kinesis",
  "firehose",
  "sqs",
  "sns",
] as const
type DestinationName = (typeof destinationNames)[number]

const clientConfigFor = (emulator: EmulatorProcess) => ({
  endpoint: emulator.endpoint,
  region: emulator.region,
  credentials: emulator.credentials,
})

/**
 * A fresh adapter per publisher: each publisher owns (and closes) its adapters' clients.
 */
const adapterFor = (name: DestinationName, emulator: EmulatorProcess): Adapter<unknown> => {
  const clientConfig = clientConfigFor(emulator)
  switch (name) {
    case "eventbridge":
      return asDestination(eventBridge({ eventBusName: benchEventBusName, clientConfig }))
    case "iotevents":
      return asDestination(iotEvents({ inputName: "bench_input", clientConfig }))
    case "iotanalytics":
      return asDestination(iotAnalytics({ channelName: "bench_channel", clientConfig }))
    case "pinpoint":
      return asDestination(
        pinpoint({ applicationId: "bench-app", endpointId: "bench-endpoint", clientConfig }),
      )
    case "kinesis":
      return asDestination(kinesis({ streamName: "bench-stream", clientConfig }))
    case "firehose":
      return asDestination(firehose({ deliveryStreamName: "bench-firehose", clientConfig }))
    case "sqs":
      return asDestination(
        sqs({ queueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/bench-queue", clientConfig }),
      )
    case "sns":
      return asDestination(sns({ topicArn: "arn:aws:sns:us-east-1:123456789012:bench-topic", clientConfig }))
  }
}

export const fanOut: Scenario = {
  id: 3,
  title: "Fan-out to eight adapters",
  measures:
    "Wall time to publish the same small events to EventBridge, IoT Events, IoT Analytics, Pinpoint, Kinesis, " +
    "Firehose, SQS and SNS at once (one publisher, eight destinations), over the wall time of the slowest of the eight published alone. Each " +
    `service is its own emulator process adding ${fanOutLatencyMs} ms per request; ${emulatorConcurrency} requests in flight per destination.`,
  run: async (settings): Promise<ScenarioReport> => {
    const events = smallEventArray(eventCount(settings, 20_000, 200))
    const emulators = new Map<DestinationName, EmulatorProcess>()
    const publishers: PromisePublisher[] = []
    try {
      // Started together; allSettled so that none is left running unseen if another fails to start.
      const started = await Promise.allSettled(
        destinationNames.map(async (name) => {
          const emulator = await EmulatorProcess.start()
          emulators.set(name, emulator)
          await emulator.setFaults([{ type: "latency", ms: fanOutLatencyMs }])
        }),
      )
      for (const s of started) if (s.status === "rejected") throw s.reason
      const emulatorFor = (name: DestinationName) => emulators.get(name)!
      const publisherFor = (names: ReadonlyArray<DestinationName>) => {
        const destinations: Record<string, DestinationConfig> = {}
        for (const name of names) destinations[name] = adapterFor(name, emulatorFor(name))
        const publisher = createPublisher({
          destinations,
          concurrency: emulatorConcurrency,
          retainOutcomes: "none",
        })
        publishers.push(publisher)
        return publisher
      }
      // Each destination alone, then all of them together.
      const sides: ReadonlyArray<{ readonly label: string; readonly names: ReadonlyArray<DestinationName> }> =
        [
          ...destinationNames.map((name) => ({ label: name, names: [name] })),
          { label: "fan-out", names: destinationNames },
        ]
      const sidePublishers = sides.map((side) => ({ ...side, publisher: publisherFor(side.names) }))
      const warm = events.slice(0, Math.min(events.length, 1_000))
      for (const side of sidePublishers) await side.publisher.publish(warm)

      const accounting: Accounting[] = []
      const runs = await repeat(settings.repetitions, async (rep) => {
        const ms = new Map<string, number>()
        // The publisher's CPU (user + system) over wall time: one Node process uses one core at most.
        const cpuShare = new Map<string, number>()
        // Rotate the order so no side always runs first or last.
        for (let k = 0; k < sidePublishers.length; k++) {
          const side = sidePublishers[(rep + k) % sidePublishers.length]!
          const cpu = process.cpuUsage()
          const { ms: took, value } = await timed(() => side.publisher.publish(events))
          const used = process.cpuUsage(cpu)
          ms.set(side.label, took)
          cpuShare.set(side.label, (used.user + used.system) / 1000 / took)
          const total = { delivered: 0, rejected: 0, failed: 0 }
          for (const name of side.names) {
            const c = value.counts[name]
            total.delivered += c?.delivered ?? 0
            total.rejected += c?.rejected ?? 0
            total.failed += c?.failed ?? 0
          }
          accounting.push({
            label: `run ${rep + 1} ${side.label}`,
            sent: events.length * side.names.length,
            ...total,
          })
        }
        const singles = destinationNames.map((name) => ms.get(name)!)
        const slowest = Math.max(...singles)
        const slowestName = destinationNames[singles.indexOf(slowest)]!
        const fan = ms.get("fan-out")!
        settings.log(
          `run ${rep + 1}: ${destinationNames.map((n) => `${n} ${ms.get(n)!.toFixed(0)} ms`).join(", ")}; fan-out ${fan.toFixed(0)} ms`,
        )
        return {
          singles,
          slowest,
          fan,
          ratio: fan / slowest,
          slowestCpuShare: cpuShare.get(slowestName)!,
          fanCpuShare: cpuShare.get("fan-out")!,
        }
      })
      return {
        id: 3,
        title: fanOut.title,
        events: events.length,
        repetitions: settings.repetitions,
        measurements: [
          ...destinationNames.map((name, i) =>
            measurement(
              `${name} alone, events/s`,
              "events/s",
              runs.map((r) => events.length / (r.singles[i]! / 1000)),
            ),
          ),
          measurement(
            "fan-out, events/s (each destination)",
            "events/s",
            runs.map((r) => events.length / (r.fan / 1000)),
          ),
          measurement(
            "fan-out / slowest single",
            "ratio",
            runs.map((r) => r.ratio),
            fanOutGoal,
          ),
          measurement(
            "publisher CPU / wall time, slowest single",
            "ratio",
            runs.map((r) => r.slowestCpuShare),
          ),
          measurement(
            "publisher CPU / wall time, fan-out",
            "ratio",
            runs.map((r) => r.fanCpuShare),
          ),
        ],
        accounting,
        notes: [
          `Each emulator adds ${fanOutLatencyMs} ms to every request (a stand-in for the network): without it, eight local emulators and the publisher share two cores and the ratio measures the machine.`,
          "Publisher CPU / wall time: the CPU (user + system) of the bench process, which runs the publisher and its SDK clients, over the wall time of the same publish. One Node process runs its JavaScript on one core, so a share near 1 means the publish was bound by that process's CPU rather than by the emulators' latency; it includes the SDK clients' own work per request (signing, serializing, HTTP), which neither the publisher nor the destinations' number changes.",
          "Adapters use their defaults; Pinpoint with a constant endpoint id; Kinesis over HTTP/2, its SDK client's default.",
        ],
      }
    } finally {
      for (const publisher of publishers) await publisher.close()
      for (const emulator of emulators.values()) await emulator.stop()
    }
  },
}
