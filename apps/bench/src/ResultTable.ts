/** The results as rows, printed as a plain-text table on the terminal and as Markdown in BENCHMARKS.md. */
import { isAccounted, type Measurement, type ScenarioReport, type Unit } from "./Scenario.ts"

export interface ResultRow {
  readonly scenario: string
  readonly measure: string
  readonly median: string
  readonly runs: string
  readonly goal: string
  /** `pass`, `MISS`, or `info` for figures without a goal. */
  readonly result: string
}

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 })

export const formatValue = (value: number, unit: Unit): string => {
  switch (unit) {
    case "events/s":
    case "requests/s":
      return `${integer.format(value)}/s`
    case "ratio":
      return value.toFixed(3)
    case "MB":
      return `${value.toFixed(1)} MB`
    case "KiB":
      return `${integer.format(value)} KiB`
    case "ms":
      return `${integer.format(value)} ms`
    case "µs":
      return `${value.toFixed(2)} µs`
    case "requests":
    case "count":
      return integer.format(value)
  }
}

const verdict = (m: Measurement): string =>
  m.goal === undefined ? "info" : m.goal.met(m.median) ? "pass" : "MISS"

export const resultRows = (reports: ReadonlyArray<ScenarioReport>): ResultRow[] =>
  reports.flatMap((report) =>
    report.measurements.map((m, i) => ({
      scenario: i === 0 ? `${report.id}. ${report.title}` : "",
      measure: m.label,
      median: formatValue(m.median, m.unit),
      runs: String(m.runs.length),
      goal: m.goal?.text ?? "—",
      result: verdict(m),
    })),
  )

const columns: ReadonlyArray<readonly [keyof ResultRow, string]> = [
  ["scenario", "scenario"],
  ["measure", "measure"],
  ["median", "median"],
  ["runs", "runs"],
  ["goal", "goal"],
  ["result", "result"],
]

/** Fixed-width text table for the terminal. */
export const renderTextTable = (rows: ReadonlyArray<ResultRow>): string => {
  const widths = columns.map(([key, title]) => Math.max(title.length, ...rows.map((r) => r[key].length)))
  const line = (cells: ReadonlyArray<string>) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd()
  return [
    line(columns.map(([, title]) => title)),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map((r) => line(columns.map(([key]) => r[key]))),
  ].join("\n")
}

const escapeCell = (text: string): string => text.replaceAll("|", "\\|")

export const renderMarkdownTable = (rows: ReadonlyArray<ResultRow>): string =>
  [
    `| ${columns.map(([, title]) => title).join(" | ")} |`,
    `|${columns.map(() => "---").join("|")}|`,
    ...rows.map((r) => `| ${columns.map(([key]) => escapeCell(r[key])).join(" | ")} |`),
  ].join("\n")

/** One line per scenario: whether every event of every run is accounted for. */
export const accountingSummary = (report: ScenarioReport): string => {
  const total = report.accounting.reduce(
    (acc, a) => ({
      sent: acc.sent + a.sent,
      delivered: acc.delivered + a.delivered,
      rejected: acc.rejected + a.rejected,
      failed: acc.failed + a.failed,
    }),
    { sent: 0, delivered: 0, rejected: 0, failed: 0 },
  )
  const ok = report.accounting.every(isAccounted)
  return (
    `${report.id}. ${report.title}: ${ok ? "every event accounted for" : "EVENTS UNACCOUNTED FOR"} ` +
    `(sent ${integer.format(total.sent)}; delivered ${integer.format(total.delivered)}, rejected ` +
    `${integer.format(total.rejected)}, failed ${integer.format(total.failed)} over ${report.accounting.length} runs)`
  )
}
