/**
 * Scenario 5: how close the packer gets to the fewest requests possible. A mixed-size corpus is
 * encoded by each AWS adapter that packs by bytes (EventBridge, Kinesis, Firehose: their real size
 * rules and limits) and packed by the core's `packBatches`; the same corpus is then published
 * through the engine to a counting destination with the same encoder and limits, to count the
 * requests the engine really makes.
 */
import {
  type Adapter,
  createEvent,
  createPublisher,
  defineAdapter,
  type Encoded,
  type EntryResult,
  type EventInput,
  entryOk,
  packBatches,
} from "@eventport/core"
import { eventBridge } from "@eventport/eventbridge"
import { firehose } from "@eventport/firehose"
import { kinesis } from "@eventport/kinesis"
import { memory, memoryLimits } from "@eventport/memory"
import { Effect } from "effect"
import {
  type Accounting,
  atMost,
  eventCount,
  type Measurement,
  measurement,
  type RunSettings,
  type Scenario,
  type ScenarioReport,
} from "../Scenario.ts"
import { asDestination } from "./Destination.ts"
import { mixedSizeCorpus } from "./MixedSizeCorpus.ts"

export const packingGoal = atMost(1.05, "≤ 1.05")

// Clients are made but never used: encode needs no network, and the engine rows send nowhere.
const unusedClientConfig = {
  region: "us-east-1",
  credentials: { accessKeyId: "unused", secretAccessKey: "unused" },
}

/** An adapter whose size rule and limits are packed, and the destination the engine row sends to. */
interface PackedAdapter {
  readonly name: string
  readonly rule: string
  readonly adapter: Adapter<unknown>
  /** The engine row's destination: same size rule and limits, no network. */
  readonly engineDestination: () => Adapter<unknown>
}

const accepted: EntryResult = entryOk()

/** The adapter's own encoder and limits with a send that accepts every entry: the engine's packing alone. */
const countingCopy = (adapter: Adapter<unknown>): Adapter<unknown> =>
  asDestination(
    defineAdapter<unknown>({
      kind: `${adapter.kind}-counting`,
      limits: adapter.limits,
      encode: adapter.encode,
      send: (batch) => Effect.succeed(batch.entries.map(() => accepted)),
    }),
  )

const packedAdapters = (): ReadonlyArray<PackedAdapter> => {
  const kinesisAdapter = asDestination(kinesis({ streamName: "bench", clientConfig: unusedClientConfig }))
  const firehoseAdapter = asDestination(
    firehose({ deliveryStreamName: "bench", clientConfig: unusedClientConfig }),
  )
  return [
    {
      name: "eventbridge",
      rule: "EventBridge's entry-size rule",
      adapter: asDestination(eventBridge({ eventBusName: "bench", clientConfig: unusedClientConfig })),
      engineDestination: () => memory({ record: "count", limits: memoryLimits.eventBridge }),
    },
    {
      name: "kinesis",
      rule: "Kinesis's data + partition key rule",
      adapter: kinesisAdapter,
      engineDestination: () => countingCopy(kinesisAdapter),
    },
    {
      name: "firehose",
      rule: "Firehose's base64 data size",
      adapter: firehoseAdapter,
      engineDestination: () => countingCopy(firehoseAdapter),
    },
  ]
}

interface PackingRows {
  readonly measurements: ReadonlyArray<Measurement>
  readonly accounting: ReadonlyArray<Accounting>
  readonly note: string
}

const packWith = async (
  packed: PackedAdapter,
  corpus: ReadonlyArray<EventInput>,
  settings: RunSettings,
): Promise<PackingRows> => {
  const { name, adapter } = packed
  const limits = adapter.limits
  const items = corpus.map((input) => {
    const event = createEvent(input)
    const result = adapter.encode(event)
    if (result._tag !== "Encoded") throw new Error(`corpus event ${event.id} rejected by the ${name} encoder`)
    return { id: event.id, bytes: (result as Encoded<unknown>).bytes }
  })
  const totalBytes = items.reduce((sum, item) => sum + item.bytes, 0)
  const room = limits.maxRequestBytes - (limits.requestOverheadBytes ?? 0)
  const byBytes = Math.ceil(totalBytes / room)
  const byEntries = Math.ceil(items.length / limits.maxEntries)
  const lowerBound = Math.max(byBytes, byEntries)

  const batches = packBatches(items, limits)
  if (batches.rejected.length > 0)
    throw new Error(`packer rejected ${batches.rejected.length} ${name} entries`)
  const packedEntries = batches.batches.reduce((sum, b) => sum + b.items.length, 0)
  if (packedEntries !== items.length)
    throw new Error(`packer returned ${packedEntries} ${name} entries for ${items.length} given`)

  // The engine, end to end: same limits and the same size rule, no network.
  const publisher = createPublisher({
    destinations: { [name]: packed.engineDestination() },
    retainOutcomes: "none",
  })
  const result = await publisher.publish(corpus).finally(() => publisher.close())
  const counts = result.counts[name]
  const engineRequests = counts?.requests ?? Number.NaN
  settings.log(
    `${name}: ${items.length} entries, ${totalBytes} bytes: lower bound ${lowerBound} (bytes ${byBytes}, entries ${byEntries}); ` +
      `packBatches ${batches.batches.length}, engine ${engineRequests} requests`,
  )
  return {
    measurements: [
      measurement(`${name} lower bound (requests)`, "requests", [lowerBound]),
      measurement(`${name} packBatches requests`, "requests", [batches.batches.length]),
      measurement(
        `${name} packBatches / lower bound`,
        "ratio",
        [batches.batches.length / lowerBound],
        packingGoal,
      ),
      measurement(
        `${name} engine requests / lower bound`,
        "ratio",
        [engineRequests / lowerBound],
        packingGoal,
      ),
    ],
    accounting: [
      {
        label: `${name} packBatches`,
        sent: items.length,
        delivered: packedEntries,
        rejected: batches.rejected.length,
        failed: 0,
      },
      {
        label: `${name} engine`,
        sent: items.length,
        delivered: counts?.delivered ?? 0,
        rejected: counts?.rejected ?? 0,
        failed: counts?.failed ?? 0,
      },
    ],
    note: `${name}: ${totalBytes.toLocaleString("en-US")} bytes by ${packed.rule}, ${limits.maxEntries} entries and ${limits.maxRequestBytes.toLocaleString("en-US")} bytes per request; bound by bytes ${byBytes}, by entries ${byEntries}.`,
  }
}

export const packingEfficiency: Scenario = {
  id: 5,
  title: "Packing, mixed sizes",
  measures:
    "Requests used over the lower bound max(ceil(total bytes / max request bytes), ceil(entries / max entries)) " +
    "for a seeded corpus (30% 0.2–2 KB, 50% 20–60 KB, 20% 60–120 KB of data), with each byte-packed adapter's " +
    "size rule and limits (EventBridge, Kinesis, Firehose). Deterministic: one run.",
  run: async (settings): Promise<ScenarioReport> => {
    const count = eventCount(settings, 10_000, 500)
    const corpus = mixedSizeCorpus(count)
    const adapters = packedAdapters()
    try {
      const rows: PackingRows[] = []
      for (const packed of adapters) rows.push(await packWith(packed, corpus, settings))
      return {
        id: 5,
        title: packingEfficiency.title,
        events: count,
        repetitions: 1,
        measurements: rows.flatMap((r) => r.measurements),
        accounting: rows.flatMap((r) => r.accounting),
        notes: [
          ...rows.map((r) => r.note),
          "The EventBridge engine row publishes the corpus to `memory({ limits: memoryLimits.eventBridge })`; the Kinesis and Firehose engine rows to a copy of the adapter (its encoder and limits) whose send accepts every entry. Each counts the engine's requests.",
        ],
      }
    } finally {
      for (const packed of adapters) await Effect.runPromise(packed.adapter.close)
    }
  },
}
