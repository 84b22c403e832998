/**
 * Scenario 5: how close the packer gets to the fewest requests possible. A mixed-size corpus is
 * encoded by each AWS adapter that packs by bytes (EventBridge, Kinesis, Firehose, SQS, SNS:
 * their real size rules and limits) and packed by the core's `packBatches`; the same corpus is then published
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
import { eventBridge, limits as eventBridgeLimits } from "@eventport/eventbridge"
import { firehose } from "@eventport/firehose"
import { kinesis } from "@eventport/kinesis"
import { memory, memoryLimits } from "@eventport/memory"
import { sns } from "@eventport/sns"
import { sqs } from "@eventport/sqs"
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
  const sqsAdapter = asDestination(
    sqs({
      queueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/bench",
      clientConfig: unusedClientConfig,
    }),
  )
  const sqs256k = asDestination(
    sqs({
      queueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/bench-256k",
      maxRequestBytes: 262_144,
      maxEntryBytes: 262_144,
      clientConfig: unusedClientConfig,
    }),
  )
  const snsAdapter = asDestination(
    sns({ topicArn: "arn:aws:sns:us-east-1:123456789012:bench", clientConfig: unusedClientConfig }),
  )
  return [
    {
      name: "eventbridge",
      rule: "EventBridge's entry-size rule, 10 entries and 256 KiB",
      // The corpus is sized so that byte limits bind at 256 KiB (fewer than ten entries fit), and
      // the engine row packs by memoryLimits.eventBridgeBefore2026, the same 256 KiB: keep that
      // figure rather than the 2026 default of 1,000,000 bytes, where the entry count would bind.
      adapter: asDestination(
        eventBridge({
          eventBusName: "bench",
          maxRequestBytes: eventBridgeLimits.maxRequestBytesBefore2026,
          clientConfig: unusedClientConfig,
        }),
      ),
      engineDestination: () => memory({ record: "count", limits: memoryLimits.eventBridgeBefore2026 }),
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
    {
      name: "sqs",
      rule: "SQS's body plus attributes rule (the CloudEvents JSON body), 10 entries and 1 MiB per message and request",
      adapter: sqsAdapter,
      engineDestination: () => countingCopy(sqsAdapter),
    },
    {
      // With 1 MiB per request this corpus is bound by SQS's 10 entries; a queue kept at the
      // pre-2025 256 KiB makes it byte-bound, so the size rule itself is measured.
      name: "sqs-256k",
      rule: "SQS's body plus attributes rule, 10 entries and 256 KiB per message and request (maxRequestBytes, maxEntryBytes)",
      adapter: sqs256k,
      engineDestination: () => countingCopy(sqs256k),
    },
    {
      name: "sns",
      rule: "SNS's message plus attributes rule (the CloudEvents JSON message), 10 entries and 256 KiB per message and request",
      adapter: snsAdapter,
      engineDestination: () => countingCopy(snsAdapter),
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
    "size rule and limits (EventBridge, Kinesis, Firehose, SQS at 1 MiB and at 256 KiB, SNS). Deterministic: one run.",
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
          "The EventBridge engine row publishes the corpus to `memory({ limits: memoryLimits.eventBridgeBefore2026 })`; the other engine rows to a copy of the adapter (its encoder and limits) whose send accepts every entry. Each counts the engine's requests.",
        ],
      }
    } finally {
      for (const packed of adapters) await Effect.runPromise(packed.adapter.close)
    }
  },
}
