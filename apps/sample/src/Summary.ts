/**
 * The final summary: one row per destination, the unrouted events and input problems, the first few
 * problems (event id, destination, field and rule, or error code), and the exit code they lead to.
 */
import { type DestinationCounts, emptyCounts } from "@eventport/core"
import type { ProblemLine, RunTracker } from "./RunTracker.ts"

export interface SummaryFacts {
  /** The publisher's counts per destination (its PublishResults added up): the source of truth. */
  readonly counts: Readonly<Record<string, Readonly<DestinationCounts>>>
  /** Problems to list and input problems. */
  readonly tracker: RunTracker
  /** Destination name → its type, in display order. */
  readonly destinations: ReadonlyArray<{ readonly name: string; readonly type: string }>
  readonly unrouted: number
  readonly elapsedMs: number
  readonly strict: boolean
  /** Set when Rejected and Failed pairs went to a dead-letter file. */
  readonly deadLetters?: {
    readonly path: string
    /** Dead letters written. */
    readonly written: number
    /** Dead letters that could not be written (listed among the problems). */
    readonly failed: number
  }
  /** Set when the run was stopped by SIGINT/SIGTERM. */
  readonly interrupted?: {
    readonly signal: string
    readonly drainTimeoutMs: number
    /** Events the input still had that were never handed to the publisher (undefined: unknown). */
    readonly notRead: number | undefined
  }
}

const totalOf = (counts: SummaryFacts["counts"]): DestinationCounts => {
  const total = emptyCounts()
  for (const c of Object.values(counts))
    for (const key of Object.keys(total) as Array<keyof DestinationCounts>) total[key] += c[key]
  return total
}

/** 0: everything sent (deliberately invalid events may be Rejected); 1: something failed; 130: interrupted. */
export const exitCodeFor = (facts: SummaryFacts): number => {
  if (facts.interrupted !== undefined) return 130
  const total = totalOf(facts.counts)
  if (total.failed > 0 || (facts.deadLetters?.failed ?? 0) > 0) return 1
  if (facts.strict && (total.rejected > 0 || facts.unrouted > 0 || facts.tracker.inputProblems > 0)) return 1
  return 0
}

const columns: ReadonlyArray<readonly [string, keyof DestinationCounts]> = [
  ["delivered", "delivered"],
  ["rejected", "rejected"],
  ["failed", "failed"],
  ["outcome-unknown", "outcomeUnknown"],
  // Delivered, but an earlier request for the pair may have been applied too.
  ["possible-duplicates", "possibleDuplicates"],
  ["requests", "requests"],
  ["retried", "retried"],
]

/** A plain text table, right-aligned numbers. */
export const formatTable = (
  header: ReadonlyArray<string>,
  rows: ReadonlyArray<ReadonlyArray<string>>,
): string => {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)))
  const line = (cells: ReadonlyArray<string>) =>
    cells
      .map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join("  ")
      .trimEnd()
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n")
}

const formatProblem = (p: ProblemLine): string =>
  `  ${p.kind.padEnd(8)} ${p.eventId ?? "(no id)"}  ${p.where}  ${p.reason}`

export const formatSummary = (facts: SummaryFacts): string => {
  const { tracker } = facts
  const rows = facts.destinations.map(({ name, type }) => {
    const c = facts.counts[name]
    return [name, type, ...columns.map(([, key]) => String(c?.[key] ?? 0))]
  })
  const total = totalOf(facts.counts)
  rows.push(["total", "", ...columns.map(([, key]) => String(total[key]))])
  const out: Array<string> = [
    "",
    "Summary",
    formatTable(["destination", "type", ...columns.map(([h]) => h)], rows),
    "",
  ]
  out.push(
    `events read: ${tracker.enqueued + tracker.inputProblems}  sent to the publisher: ${tracker.enqueued}`,
  )
  out.push(`unrouted (no destination's route took them): ${facts.unrouted}`)
  if (tracker.inputProblems > 0) out.push(`input problems (not sent): ${tracker.inputProblems}`)
  out.push(`elapsed: ${(facts.elapsedMs / 1000).toFixed(2)} s`)
  if (facts.interrupted !== undefined) {
    const { signal, drainTimeoutMs, notRead } = facts.interrupted
    out.push(
      `interrupted by ${signal}: drained for up to ${drainTimeoutMs} ms; not sent: ${tracker.closed} event-destination pair(s) still queued at the deadline (Failed, Closed)` +
        (notRead === undefined ? "" : `, ${notRead} event(s) never read from the input`),
    )
  }
  if (facts.deadLetters !== undefined) {
    const { path, written, failed } = facts.deadLetters
    out.push(
      `dead letters: ${written} written to ${path}${failed === 0 ? "" : `; ${failed} could NOT be written (see the problems)`}`,
    )
  }
  const problems = tracker.problems
  if (problems.length > 0) {
    out.push(
      "",
      tracker.hasMoreProblems
        ? `First ${problems.length} problems (failures first; --problems <n> lists more):`
        : `Problems (${problems.length}):`,
    )
    out.push(...problems.map(formatProblem))
  }
  const code = exitCodeFor(facts)
  const verdict =
    code === 130
      ? "stopped early (exit 130)"
      : code === 1
        ? total.failed > 0
          ? `${total.failed} event-destination pair(s) failed (exit 1)`
          : (facts.deadLetters?.failed ?? 0) > 0
            ? `${facts.deadLetters?.failed} dead letter(s) could not be written (exit 1)`
            : "problems found under --strict (exit 1)"
        : total.rejected > 0 || tracker.inputProblems > 0 || facts.unrouted > 0
          ? "nothing failed; invalid or unrouted events were reported above, not sent (exit 0; --strict makes this exit 1)"
          : "every event was delivered (exit 0)"
  out.push("", `Result: ${verdict}`)
  return out.join("\n")
}

/**
 * What a second Ctrl-C leaves behind, printed as the process exits without waiting for the drain:
 * how much of the input was read and never read, and per destination the outcomes so far and the
 * events with no outcome there (handed to the publisher, not settled: they may or may not have
 * reached the destination).
 */
export const formatAbandonedRun = (
  tracker: RunTracker,
  destinations: ReadonlyArray<{ readonly name: string; readonly type: string }>,
  signal: string,
): string => {
  const total = tracker.inputTotal
  const read = tracker.read
  const rows = destinations.map(({ name, type }) => {
    const t = tracker.tallies[name]!
    return [
      name,
      type,
      String(t.delivered),
      String(t.rejected),
      String(t.failed),
      String(tracker.withoutOutcome(name)),
    ]
  })
  const unsettled = destinations.reduce((n, { name }) => n + tracker.withoutOutcome(name), 0)
  return [
    "",
    `${signal} again: exiting now, without waiting for the drain.`,
    `events read: ${read}${
      total === undefined
        ? " (the input's size is unknown: how many were never read cannot be told)"
        : `  never read: ${Math.max(0, total - read)}  (of ${total})`
    }`,
    formatTable(["destination", "type", "delivered", "rejected", "failed", "without-outcome"], rows),
    "",
    unsettled === 0
      ? "Every event read has an outcome at every destination."
      : `${unsettled} event-destination pair(s) have no outcome: handed to the publisher but not settled (or not yet routed), so they may or may not have reached the destination.`,
    "Result: stopped at once (exit 130)",
  ].join("\n")
}
