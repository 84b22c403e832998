/**
 * Scenario 5: how close the packer gets to the fewest requests possible. A mixed-size corpus is
 * encoded by the EventBridge adapter (its real size rule and limits) and packed by the core's
 * `packBatches`; the same corpus is then published through the engine to a memory destination with
 * the same limits, to count the requests the engine really makes.
 */
import { createEvent, createPublisher, type Encoded, packBatches } from "@eventport/core"
import { eventBridge, limits as eventBridgeLimits } from "@eventport/eventbridge"
import { memory, memoryLimits } from "@eventport/memory"
import { Effect } from "effect"
import { atMost, eventCount, measurement, type Scenario, type ScenarioReport } from "../Scenario.ts"
import { mixedSizeCorpus } from "./MixedSizeCorpus.ts"

export const packingGoal = atMost(1.05, "≤ 1.05")

export const packingEfficiency: Scenario = {
  id: 5,
  title: "Packing, mixed sizes",
  measures:
    "Requests used over the lower bound max(ceil(total bytes / max request bytes), ceil(entries / max entries)) " +
    "for a seeded corpus (30% 0.2–2 KB, 50% 20–60 KB, 20% 60–120 KB of data), with EventBridge's entry-size " +
    "rule and limits (10 entries, 256 KiB). Deterministic: one run.",
  run: async (settings): Promise<ScenarioReport> => {
    const count = eventCount(settings, 10_000, 500)
    const corpus = mixedSizeCorpus(count)
    // A client is made but never used: encode needs no network.
    // The corpus is sized so that byte limits bind at 256 KiB (fewer than ten entries fit), and the
    // memory destination below packs by memoryLimits.eventBridge, the same 256 KiB: keep that figure
    // rather than the adapter's 2026 default of 1,000,000 bytes, where the entry count would bind.
    const adapter = eventBridge({
      eventBusName: "bench",
      maxRequestBytes: eventBridgeLimits.maxRequestBytesBefore2026,
      clientConfig: {
        region: "us-east-1",
        credentials: { accessKeyId: "unused", secretAccessKey: "unused" },
      },
    })
    try {
      const limits = adapter.limits
      const items = corpus.map((input) => {
        const event = createEvent(input)
        const result = adapter.encode(event)
        if (result._tag !== "Encoded")
          throw new Error(`corpus event ${event.id} rejected by the EventBridge encoder`)
        return { id: event.id, bytes: (result as Encoded<unknown>).bytes }
      })
      const totalBytes = items.reduce((sum, item) => sum + item.bytes, 0)
      const room = limits.maxRequestBytes - (limits.requestOverheadBytes ?? 0)
      const byBytes = Math.ceil(totalBytes / room)
      const byEntries = Math.ceil(items.length / limits.maxEntries)
      const lowerBound = Math.max(byBytes, byEntries)

      const packed = packBatches(items, limits)
      if (packed.rejected.length > 0)
        throw new Error(`packer rejected ${packed.rejected.length} corpus entries`)
      const packedEntries = packed.batches.reduce((sum, b) => sum + b.items.length, 0)
      if (packedEntries !== items.length)
        throw new Error(`packer returned ${packedEntries} entries for ${items.length} given`)

      // The engine, end to end: same limits and the same size rule, through the memory adapter.
      const destination = memory({ record: "count", limits: memoryLimits.eventBridge })
      const publisher = createPublisher({ destinations: { memory: destination }, retainOutcomes: "none" })
      const result = await publisher.publish(corpus).finally(() => publisher.close())
      const counts = result.counts.memory
      const engineRequests = counts?.requests ?? Number.NaN
      settings.log(
        `${count} entries, ${totalBytes} bytes: lower bound ${lowerBound} (bytes ${byBytes}, entries ${byEntries}); ` +
          `packBatches ${packed.batches.length}, engine ${engineRequests} requests`,
      )
      return {
        id: 5,
        title: packingEfficiency.title,
        events: count,
        repetitions: 1,
        measurements: [
          measurement("lower bound (requests)", "requests", [lowerBound]),
          measurement("packBatches requests", "requests", [packed.batches.length]),
          measurement(
            "packBatches / lower bound",
            "ratio",
            [packed.batches.length / lowerBound],
            packingGoal,
          ),
          measurement("engine requests / lower bound", "ratio", [engineRequests / lowerBound], packingGoal),
        ],
        accounting: [
          {
            label: "packBatches",
            sent: count,
            delivered: packedEntries,
            rejected: packed.rejected.length,
            failed: 0,
          },
          {
            label: "engine",
            sent: count,
            delivered: counts?.delivered ?? 0,
            rejected: counts?.rejected ?? 0,
            failed: counts?.failed ?? 0,
          },
        ],
        notes: [
          `Total ${totalBytes.toLocaleString("en-US")} bytes by the EventBridge entry-size rule; bound by bytes ${byBytes}, by entries ${byEntries}.`,
          "The engine row publishes the corpus to `memory({ limits: memoryLimits.eventBridge })` (same limits and size rule) and counts its requests.",
        ],
      }
    } finally {
      await Effect.runPromise(adapter.close)
    }
  },
}
