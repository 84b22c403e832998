/**
 * Child process of scenario 4 (started with `node --expose-gc`): streams events through the
 * buffered producer (`enqueue`) into a count-only memory destination and reports, as one JSON line
 * on stdout, the peak RSS up to each checkpoint. Run alone so nothing else shares its heap.
 *
 * With `anchor`, the same loop enqueues into a bare bounded FIFO instead (the same bound, drained a
 * window at a time on the event loop, the same modules loaded): what V8 does with a bounded buffer
 * of these events and nothing else, the figure "flat" is measured against.
 *
 *   node --expose-gc BufferedProducerProcess.js <events> <checkpoint>[,<checkpoint>…] [anchor]
 */
import { getHeapSpaceStatistics, getHeapStatistics } from "node:v8"
import { createPublisher, defaultPackWindow, type EventInput, publisherDefaults } from "@eventport/core"
import { memory } from "@eventport/memory"
import { RssSampler } from "../internal/RssSampler.ts"
import { smallEvent } from "./BenchEvents.ts"

/** What the child read at one checkpoint, in bytes. */
export interface Checkpoint {
  readonly events: number
  readonly peakRssBytes: number
  /** V8's young generation as committed now (new space and new large objects). */
  readonly youngGenerationBytes: number
  /** The rest of V8's heap as committed now (old space, code, large objects…). */
  readonly otherHeapBytes: number
}

/** What the child prints: peaks in bytes, and where every event went. */
export interface BufferedProducerMeasurement {
  readonly events: number
  readonly baselineRssBytes: number
  readonly checkpoints: ReadonlyArray<Checkpoint>
  /** Heap in use after `close()` and a full GC: what the publisher still holds. */
  readonly liveHeapBytes: number
  readonly delivered: number
  readonly rejected: number
  readonly failed: number
  readonly received: number
}

const sampleIntervalMs = 10

/** The young generation is what V8 sizes by survival; the rest holds what lives on. */
const youngSpaces = new Set(["new_space", "new_large_object_space"])

/** The peak so far, and how V8's heap is split now between young generation and the rest. */
const checkpoint = (events: number, sampler: RssSampler): Checkpoint => {
  let young = 0
  for (const space of getHeapSpaceStatistics())
    if (youngSpaces.has(space.space_name)) young += space.space_size
  return {
    events,
    peakRssBytes: sampler.peak,
    youngGenerationBytes: young,
    otherHeapBytes: getHeapStatistics().total_heap_size - young,
  }
}

/** The publisher's defaults, which the anchor's buffer copies. */
const anchorBound = publisherDefaults.buffer.maxEvents
const anchorWindow = defaultPackWindow

/**
 * The anchor: a bounded FIFO with `enqueue` as the publisher's Promise face has it (an already
 * settled promise while there is room, a pending one while full), drained a window at a time by a
 * consumer on the event loop that reads each event and lets it go.
 */
const bareBuffer = () => {
  const queue: Array<EventInput> = []
  const waiting: Array<() => void> = []
  let scheduled = false
  let received = 0
  const room: Promise<void> = Promise.resolve()
  const drain = () => {
    scheduled = false
    for (const event of queue.splice(0, anchorWindow)) if (event.data !== undefined) received++
    for (const wake of waiting.splice(0, anchorBound - queue.length)) wake()
    schedule()
  }
  const schedule = () => {
    if (!scheduled && queue.length > 0) {
      scheduled = true
      setImmediate(drain)
    }
  }
  return {
    enqueue: (event: EventInput): Promise<void> => {
      if (queue.length < anchorBound) {
        queue.push(event)
        schedule()
        return room
      }
      return new Promise((resolve) =>
        waiting.push(() => {
          queue.push(event)
          schedule()
          resolve()
        }),
      )
    },
    close: async (): Promise<number> => {
      while (queue.length > 0 || waiting.length > 0) await new Promise((resolve) => setImmediate(resolve))
      return received
    },
  }
}

const run = async (
  events: number,
  checkpoints: ReadonlyArray<number>,
  anchor: boolean,
): Promise<BufferedProducerMeasurement> => {
  const gc = (globalThis as { gc?: () => void }).gc
  if (gc === undefined) throw new Error("run with node --expose-gc")
  gc()
  if (anchor) return runAnchor(events, checkpoints, gc)
  const destination = memory({ record: "count" })
  const publisher = createPublisher({ destinations: { memory: destination }, retainOutcomes: "none" })
  const baselineRssBytes = process.memoryUsage.rss()
  const sampler = new RssSampler(sampleIntervalMs)
  const marks: Array<Checkpoint> = []
  const pending = [...checkpoints].sort((a, b) => a - b)
  for (let i = 0; i < events; i++) {
    await publisher.enqueue(smallEvent(i))
    if (i + 1 === pending[0]) {
      pending.shift()
      // The last checkpoint is taken after close: it covers draining the buffer too.
      if (i + 1 < events) marks.push(checkpoint(i + 1, sampler))
    }
  }
  const result = await publisher.close()
  marks.push(checkpoint(events, sampler))
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

/** The same loop and checkpoints into the bare buffer. */
const runAnchor = async (
  events: number,
  checkpoints: ReadonlyArray<number>,
  gc: () => void,
): Promise<BufferedProducerMeasurement> => {
  const buffer = bareBuffer()
  const baselineRssBytes = process.memoryUsage.rss()
  const sampler = new RssSampler(sampleIntervalMs)
  const marks: Array<Checkpoint> = []
  const pending = [...checkpoints].sort((a, b) => a - b)
  for (let i = 0; i < events; i++) {
    await buffer.enqueue(smallEvent(i))
    if (i + 1 === pending[0]) {
      pending.shift()
      if (i + 1 < events) marks.push(checkpoint(i + 1, sampler))
    }
  }
  const received = await buffer.close()
  marks.push(checkpoint(events, sampler))
  sampler.stop()
  gc()
  return {
    events,
    baselineRssBytes,
    checkpoints: marks,
    liveHeapBytes: process.memoryUsage().heapUsed,
    delivered: received,
    rejected: 0,
    failed: 0,
    received,
  }
}

const [eventsArg, checkpointsArg, mode] = process.argv.slice(2)
const events = Number(eventsArg)
const checkpoints = (checkpointsArg ?? "").split(",").filter(Boolean).map(Number)
if (
  !Number.isInteger(events) ||
  events <= 0 ||
  checkpoints.some((c) => !Number.isInteger(c) || c <= 0 || c > events) ||
  (mode !== undefined && mode !== "anchor")
) {
  process.stderr.write("usage: BufferedProducerProcess <events> <checkpoint>[,<checkpoint>…] [anchor]\n")
  process.exit(2)
}
run(events, checkpoints, mode === "anchor").then(
  (measured) => process.stdout.write(`${JSON.stringify(measured)}\n`),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
    process.exit(1)
  },
)
