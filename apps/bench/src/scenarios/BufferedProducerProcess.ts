/**
 * Child process of scenario 4 (started with `node --expose-gc`): streams events through the
 * buffered producer (`enqueue`) into a count-only memory destination and reports, as one JSON line
 * on stdout, the peak RSS up to each checkpoint. Run alone so nothing else shares its heap.
 *
 *   node --expose-gc BufferedProducerProcess.js <events> <checkpoint>[,<checkpoint>…]
 */
import { createPublisher } from "@eventport/core"
import { memory } from "@eventport/memory"
import { RssSampler } from "../internal/RssSampler.ts"
import { smallEvent } from "./BenchEvents.ts"

/** What the child prints: peaks in bytes, and where every event went. */
export interface BufferedProducerMeasurement {
  readonly events: number
  readonly baselineRssBytes: number
  readonly checkpoints: ReadonlyArray<{ readonly events: number; readonly peakRssBytes: number }>
  /** Heap in use after `close()` and a full GC: what the publisher still holds. */
  readonly liveHeapBytes: number
  readonly delivered: number
  readonly rejected: number
  readonly failed: number
  readonly received: number
}

const sampleIntervalMs = 10

const run = async (
  events: number,
  checkpoints: ReadonlyArray<number>,
): Promise<BufferedProducerMeasurement> => {
  const gc = (globalThis as { gc?: () => void }).gc
  if (gc === undefined) throw new Error("run with node --expose-gc")
  gc()
  const destination = memory({ record: "count" })
  const publisher = createPublisher({ destinations: { memory: destination }, retainOutcomes: "none" })
  const baselineRssBytes = process.memoryUsage.rss()
  const sampler = new RssSampler(sampleIntervalMs)
  const marks: Array<{ events: number; peakRssBytes: number }> = []
  const pending = [...checkpoints].sort((a, b) => a - b)
  for (let i = 0; i < events; i++) {
    await publisher.enqueue(smallEvent(i))
    if (i + 1 === pending[0]) {
      pending.shift()
      // The last checkpoint is taken after close: it covers draining the buffer too.
      if (i + 1 < events) marks.push({ events: i + 1, peakRssBytes: sampler.peak })
    }
  }
  const result = await publisher.close()
  marks.push({ events, peakRssBytes: sampler.peak })
  sampler.stop()
  // Taken after the peaks: what is still alive tells retention apart from a heap V8 has not shrunk.
  gc()
  const liveHeapBytes = process.memoryUsage().heapUsed
  const counts = result.counts.memory
  return {
    events,
    baselineRssBytes,
    checkpoints: marks,
    liveHeapBytes,
    delivered: counts?.delivered ?? 0,
    rejected: counts?.rejected ?? 0,
    failed: counts?.failed ?? 0,
    received: destination.count,
  }
}

const [eventsArg, checkpointsArg] = process.argv.slice(2)
const events = Number(eventsArg)
const checkpoints = (checkpointsArg ?? "").split(",").filter(Boolean).map(Number)
if (
  !Number.isInteger(events) ||
  events <= 0 ||
  checkpoints.some((c) => !Number.isInteger(c) || c <= 0 || c > events)
) {
  process.stderr.write("usage: BufferedProducerProcess <events> <checkpoint>[,<checkpoint>…]\n")
  process.exit(2)
}
run(events, checkpoints).then(
  (measured) => process.stdout.write(`${JSON.stringify(measured)}\n`),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
    process.exit(1)
  },
)
