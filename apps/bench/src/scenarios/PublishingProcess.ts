/**
 * Child process of scenario 2's CPU figure: sends small events to the emulator either through
 * Eventport (publisher + EventBridge adapter) or through the hand-written SDK loop (with
 * `hand-cached`, its client made with the adapter's settings: `handWrittenClient`), after a warm-up,
 * and reports (one JSON line on stdout) the CPU time (user + system) and wall time of the measured
 * send, twice: the events once (`first`), then the same events again in the same process (`later`),
 * when V8 has had that many more events to optimize the code they run. Both sides run this same
 * module, so both load the same modules (core, the adapter, the SDK).
 *
 * With `engine`, Eventport runs with the EventBridge adapter's limits and encode but a send that
 * answers every entry accepted at once: the engine's own work and the encode, without the SDK.
 *
 *   node PublishingProcess.js <eventport|hand|hand-cached|engine> <events> <warm-up events> <endpoint> <accessKeyId> <secretAccessKey>
 */
import { type Adapter, createPublisher, defineAdapter, entryOk } from "@eventport/core"
import { eventBridge } from "@eventport/eventbridge"
import { handWrittenClient, putEventsByHand } from "../HandWrittenPutEvents.ts"
import { benchEventBusName, smallEventArray } from "./BenchEvents.ts"
import { asDestination } from "./Destination.ts"

/** What the child prints. */
export interface PublishingMeasurement {
  /** User + system CPU of this process during the measured send, microseconds. */
  readonly cpuMicros: number
  /** Of which user CPU, microseconds. */
  readonly userMicros: number
  /** Of which system CPU (the kernel's work for this process: sockets, memory mapping), microseconds. */
  readonly systemMicros: number
  readonly wallMs: number
  readonly delivered: number
  readonly rejected: number
  readonly failed: number
}

/** What the child prints: the same events measured twice in one process (see the header). */
export interface PublishingWindows {
  readonly first: PublishingMeasurement
  readonly later: PublishingMeasurement
}

/** How the child publishes: see the header. */
export type PublishingSide = "eventport" | "hand" | "hand-cached" | "engine"

const concurrency = 4

const [side, eventsArg, warmArg, endpoint = "", accessKeyId = "", secretAccessKey = ""] =
  process.argv.slice(2)
const count = Number(eventsArg)
const warmCount = Number(warmArg)
const sides: ReadonlyArray<string> = [
  "eventport",
  "hand",
  "hand-cached",
  "engine",
] satisfies ReadonlyArray<PublishingSide>
if (side === undefined || !sides.includes(side) || !(count > 0) || !(warmCount >= 0)) {
  process.stderr.write(
    "usage: PublishingProcess <eventport|hand|hand-cached|engine> <events> <warm-up events> <endpoint> <key> <secret>\n",
  )
  process.exit(2)
}
const target = { endpoint, region: "us-east-1", credentials: { accessKeyId, secretAccessKey } }
const events = smallEventArray(count)
const warm = events.slice(0, warmCount)

const measure = async (
  send: () => Promise<{ delivered: number; rejected: number; failed: number }>,
): Promise<PublishingMeasurement> => {
  const cpu = process.cpuUsage()
  const started = performance.now()
  const counts = await send()
  const wallMs = performance.now() - started
  const used = process.cpuUsage(cpu)
  return {
    cpuMicros: used.user + used.system,
    userMicros: used.user,
    systemMicros: used.system,
    wallMs,
    ...counts,
  }
}

/** Both measured windows of `send`: the events, then the same events again. */
const measureWindows = async (
  send: () => Promise<{ delivered: number; rejected: number; failed: number }>,
): Promise<PublishingWindows> => {
  const first = await measure(send)
  const later = await measure(send)
  return { first, later }
}

/** Warms `adapter` up through a publisher, then measures the publish of the events, twice. */
const measurePublisher = async (adapter: Adapter<unknown>): Promise<PublishingWindows> => {
  const publisher = createPublisher({
    destinations: { eventbridge: adapter },
    concurrency,
    retainOutcomes: "none",
  })
  if (warm.length > 0) await publisher.publish(warm)
  const result = await measureWindows(async () => {
    const c = (await publisher.publish(events)).counts.eventbridge
    return { delivered: c?.delivered ?? 0, rejected: c?.rejected ?? 0, failed: c?.failed ?? 0 }
  })
  await publisher.close()
  return result
}

let measured: PublishingWindows
if (side === "eventport") {
  measured = await measurePublisher(
    asDestination(eventBridge({ eventBusName: benchEventBusName, clientConfig: target })),
  )
} else if (side === "engine") {
  // The real adapter, on a client it never sends with: its limits and encode, nothing of the SDK.
  const client = handWrittenClient(target)
  const real = eventBridge({ eventBusName: benchEventBusName, client })
  const accepted = entryOk()
  measured = await measurePublisher(
    asDestination(
      defineAdapter({
        kind: real.kind,
        limits: real.limits,
        encode: real.encode,
        send: async (batch) => batch.entries.map(() => accepted),
      }),
    ),
  )
  client.destroy()
} else {
  const client = handWrittenClient(target, { adapterSettings: side === "hand-cached" })
  const options = { eventBusName: benchEventBusName, concurrency }
  if (warm.length > 0) await putEventsByHand(client, warm, options)
  measured = await measureWindows(async () => {
    const r = await putEventsByHand(client, events, options)
    return { delivered: r.delivered, rejected: 0, failed: r.failed }
  })
  client.destroy()
}
process.stdout.write(`${JSON.stringify(measured)}\n`)
