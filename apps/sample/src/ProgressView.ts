/**
 * Live progress while the run goes: a cli-progress MultiBar (one bar per destination) when stdout is
 * a terminal, a plain line per destination every few seconds otherwise (CI logs), or nothing.
 *
 * A bar's total is the input's size when it is known before the run (the generator's count, a
 * request's events, a file counted up front) and its value the items done with for that
 * destination, so it only moves forward. Without a known size (stdin) it shows counts, no bar.
 * Messages during the run go through {@link ProgressView.log}, above the bars, so neither a message
 * nor a frame is lost or left behind.
 */
import { MultiBar, Presets, type SingleBar } from "cli-progress"
import type { DestinationTally, RunTracker } from "./RunTracker.ts"

export type ProgressMode = "auto" | "bar" | "plain" | "none"

export interface ProgressView {
  /** Prints a line where it stays readable: above the bars while they are drawn. */
  log(line: string): void
  stop(): void
}

/** Events per second from successive samples of a counter. */
class RateMeter {
  private lastCount = 0
  private lastAt: number
  rate = 0
  constructor(now: number) {
    this.lastAt = now
  }
  sample(count: number, now: number): number {
    const seconds = (now - this.lastAt) / 1000
    if (seconds > 0) {
      this.rate = (count - this.lastCount) / seconds
      this.lastCount = count
      this.lastAt = now
    }
    return this.rate
  }
}

/** `sent 1200 delivered 1180 rejected 12 failed 0 retrying 8 · 640 ev/s` */
export const formatProgressLine = (name: string, t: DestinationTally, rate: number, width = 0): string =>
  `${name.padEnd(width)}  sent ${t.sent}  delivered ${t.delivered}  rejected ${t.rejected}  failed ${t.failed}  retrying ${t.retrying}  ${Math.round(rate)} ev/s`

const startBars = (
  tracker: RunTracker,
  names: ReadonlyArray<string>,
  stream: NodeJS.WritableStream,
): ProgressView => {
  const width = Math.max(...names.map((n) => n.length))
  const total = tracker.inputTotal
  const counts =
    "delivered {delivered} rejected {rejected} failed {failed} retrying {retrying} | {speed} ev/s"
  const multibar = new MultiBar(
    {
      format:
        total === undefined ? `{name} {value} done | ${counts}` : `{name} {bar} {value}/{total} | ${counts}`,
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
      barsize: 20,
      fps: 8,
      stream,
    },
    Presets.shades_classic,
  )
  const now = Date.now()
  const bars = new Map<string, { bar: SingleBar; meter: RateMeter }>()
  const payload = (name: string, t: DestinationTally, rate: number) => ({
    name: name.padEnd(width),
    delivered: t.delivered,
    rejected: t.rejected,
    failed: t.failed,
    retrying: t.retrying,
    speed: Math.round(rate),
  })
  for (const name of names) {
    const t = tracker.tallies[name]!
    bars.set(name, {
      bar: multibar.create(Math.max(1, total ?? 0), tracker.done(name), payload(name, t, 0)),
      meter: new RateMeter(now),
    })
  }
  const tick = () => {
    const at = Date.now()
    for (const [name, { bar, meter }] of bars) {
      const t = tracker.tallies[name]!
      bar.update(tracker.done(name), payload(name, t, meter.sample(t.delivered, at)))
    }
  }
  const timer = setInterval(tick, 250)
  let stopped = false
  return {
    log: (line) => {
      if (stopped) stream.write(`${line}\n`)
      else multibar.log(`${line}\n`)
    },
    stop: () => {
      if (stopped) return
      stopped = true
      clearInterval(timer)
      tick()
      // A render flushes messages logged since the last frame (stop alone would drop them).
      multibar.update()
      multibar.stop()
    },
  }
}

const startPlain = (
  tracker: RunTracker,
  names: ReadonlyArray<string>,
  write: (line: string) => void,
  intervalMs: number,
): ProgressView => {
  const width = Math.max(...names.map((n) => n.length))
  const started = Date.now()
  const meters = new Map(names.map((name) => [name, new RateMeter(started)]))
  const timer = setInterval(() => {
    const at = Date.now()
    const elapsed = `${((at - started) / 1000).toFixed(1)}s`
    for (const name of names) {
      const t = tracker.tallies[name]!
      const done = `done ${tracker.done(name)}${tracker.inputTotal === undefined ? "" : `/${tracker.inputTotal}`}`
      write(
        `progress ${elapsed} ${formatProgressLine(name, t, meters.get(name)!.sample(t.delivered, at), width)}  ${done}`,
      )
    }
  }, intervalMs)
  return { log: write, stop: () => clearInterval(timer) }
}

/** Starts the view the mode and the terminal call for. */
export const startProgress = (
  mode: ProgressMode,
  tracker: RunTracker,
  names: ReadonlyArray<string>,
  options: {
    readonly isTTY: boolean
    /** Where plain progress lines and messages go (stderr). */
    readonly write: (line: string) => void
    /** Where bars are drawn (the terminal: stdout). */
    readonly barStream?: NodeJS.WritableStream
    readonly intervalMs?: number
  },
): ProgressView => {
  const resolved = mode === "auto" ? (options.isTTY ? "bar" : "plain") : mode
  if (resolved === "none" || names.length === 0) return { log: options.write, stop: () => {} }
  if (resolved === "bar") return startBars(tracker, names, options.barStream ?? process.stdout)
  return startPlain(tracker, names, options.write, options.intervalMs ?? 2000)
}
