/**
 * What a scenario is and what it reports. A scenario runs its own repetitions (comparisons are
 * taken side by side within each repetition) and returns medians; the runner only prints them.
 */
import { median } from "./Statistics.ts"

/** A goal we hold ourselves to, e.g. "at least 500,000 events/s". */
export interface Goal {
  /** How the goal reads in the table, e.g. "≥ 500,000/s". */
  readonly text: string
  readonly met: (value: number) => boolean
}

export const atLeast = (limit: number, text: string): Goal => ({ text, met: (v) => v >= limit })
export const atMost = (limit: number, text: string): Goal => ({ text, met: (v) => v <= limit })

export type Unit = "events/s" | "requests/s" | "ratio" | "MB" | "KiB" | "ms" | "µs" | "requests" | "count"

/** One figure: the median of its runs. */
export interface Measurement {
  readonly label: string
  readonly unit: Unit
  /** The median of `runs`. */
  readonly median: number
  /** Every run's value, in run order. */
  readonly runs: ReadonlyArray<number>
  /** Absent for figures that only inform (e.g. the emulator's capacity). */
  readonly goal?: Goal
}

/** Where every event of one run went: delivered + rejected + failed must equal sent. */
export interface Accounting {
  readonly label: string
  /** (event, destination) pairs sent: events times the destinations they went to. */
  readonly sent: number
  readonly delivered: number
  readonly rejected: number
  readonly failed: number
}

export const isAccounted = (a: Accounting): boolean => a.delivered + a.rejected + a.failed === a.sent

export interface ScenarioReport {
  readonly id: number
  readonly title: string
  /** Events per run (per side, for comparisons). */
  readonly events: number
  readonly repetitions: number
  readonly measurements: ReadonlyArray<Measurement>
  /** One entry per run and side. */
  readonly accounting: ReadonlyArray<Accounting>
  /** Context a reader needs to judge the figures (settings, what was compared). */
  readonly notes: ReadonlyArray<string>
}

/** How large and how often: derived once from the command line. */
export interface RunSettings {
  readonly quick: boolean
  /** Multiplies every event count (full mode), e.g. 0.1 for a smoke run. */
  readonly scale: number
  /** Repetitions of timed scenarios. */
  readonly repetitions: number
  /** Progress lines go here (stderr in the CLI, nowhere in tests). */
  readonly log: (line: string) => void
}

export interface Scenario {
  readonly id: number
  readonly title: string
  /** One sentence: what is measured and against what. */
  readonly measures: string
  readonly run: (settings: RunSettings) => Promise<ScenarioReport>
}

/** The event count of a scenario: `full` scaled in full mode, `quick` in quick mode. */
export const eventCount = (settings: RunSettings, full: number, quick: number): number =>
  settings.quick ? quick : Math.max(1, Math.round(full * settings.scale))

/** A measurement from its runs. */
export const measurement = (
  label: string,
  unit: Unit,
  runs: ReadonlyArray<number>,
  goal?: Goal,
): Measurement => {
  const m = median(runs)
  return goal === undefined ? { label, unit, median: m, runs } : { label, unit, median: m, runs, goal }
}
