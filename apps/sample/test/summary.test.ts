import { createEvent, DeliveryError } from "@eventport/core"
import { describe, expect, it } from "vitest"
import { RunTracker } from "../src/RunTracker.ts"
import { exitCodeFor, formatAbandonedRun, formatSummary, type SummaryFacts } from "../src/Summary.ts"

const event = createEvent({ id: "e1", type: "app.x", source: "s", data: {} })

const countsOf = (tracker: RunTracker) =>
  Object.fromEntries(
    Object.entries(tracker.tallies).map(([name, t]) => [
      name,
      {
        delivered: t.delivered,
        rejected: t.rejected,
        failed: t.failed,
        outcomeUnknown: t.outcomeUnknown,
        possibleDuplicates: t.possibleDuplicates,
        requests: t.requests,
        retried: t.retried,
      },
    ]),
  )

const facts = (tracker: RunTracker, more: Partial<SummaryFacts> = {}): SummaryFacts => ({
  counts: countsOf(tracker),
  tracker,
  destinations: [
    { name: "bus", type: "eventbridge" },
    { name: "memory", type: "memory" },
  ],
  unrouted: 0,
  elapsedMs: 1234,
  strict: false,
  ...more,
})

describe("summary and exit code", () => {
  it("exits 0 when only deliberately invalid events were rejected, 1 under --strict", () => {
    const tracker = new RunTracker(["bus", "memory"])
    tracker.recordOutcome({ _tag: "Delivered", destination: "memory", eventId: "e1", event, attempts: 1 })
    tracker.recordOutcome({
      _tag: "Rejected",
      destination: "bus",
      eventId: "e1",
      event,
      violations: [{ field: "type", rule: "maxLength", message: "must be at most 128 characters" }],
      message: "",
    })
    expect(exitCodeFor(facts(tracker))).toBe(0)
    expect(exitCodeFor(facts(tracker, { strict: true }))).toBe(1)
    const text = formatSummary(facts(tracker))
    expect(text).toContain("Rejected e1  bus  type: must be at most 128 characters (maxLength)")
    expect(text).toMatch(/Result: nothing failed/)
  })

  it("exits 1 on a Failed outcome and shows its code, raw code, unknown outcome and attempts", () => {
    const tracker = new RunTracker(["bus", "memory"])
    const error = new DeliveryError({
      code: "Network",
      retryable: true,
      rawCode: "ECONNRESET",
      outcomeUnknown: true,
    })
    tracker.recordOutcome({ _tag: "Failed", destination: "bus", eventId: "e1", event, error, attempts: 5 })
    expect(exitCodeFor(facts(tracker))).toBe(1)
    const text = formatSummary(facts(tracker))
    expect(text).toContain("Failed   e1  bus  Network (ECONNRESET), outcome unknown after 5 attempts")
    expect(text).toMatch(/^bus\s+eventbridge\s+0\s+0\s+1\s+1\s+0\s+0\s+0$/m)
  })

  it("counts unrouted events and input problems only under --strict, and 130 when interrupted", () => {
    const tracker = new RunTracker(["bus", "memory"])
    tracker.recordInputProblem({ where: "line 3", field: "(line)", rule: "json", message: "not valid JSON" })
    expect(exitCodeFor(facts(tracker, { unrouted: 2 }))).toBe(0)
    expect(exitCodeFor(facts(tracker, { unrouted: 2, strict: true }))).toBe(1)
    expect(formatSummary(facts(tracker))).toContain("Input    (no id)  line 3  (line): not valid JSON (json)")
    expect(
      exitCodeFor(facts(tracker, { interrupted: { signal: "SIGINT", drainTimeoutMs: 5000, notRead: 10 } })),
    ).toBe(130)
  })

  it("tracks requests, first sends, retries and entries waiting for a retry from the adapter's answers", () => {
    const tracker = new RunTracker(["bus"])
    const throttled = new DeliveryError({ code: "Throttled", retryable: true })
    const first = { entries: [1, 2, 3], batchKey: undefined, attempt: 1 }
    tracker.recordSend("bus", first)
    expect(tracker.tallies.bus).toMatchObject({ sent: 3, requests: 1, retrying: 0 })
    tracker.recordAnswer("bus", first, [
      { ok: true },
      { ok: false, error: throttled },
      { ok: false, error: new DeliveryError({ code: "InvalidRequest", retryable: false }) },
    ])
    expect(tracker.tallies.bus).toMatchObject({ sent: 3, requests: 1, retried: 0, retrying: 1 })
    const second = { entries: [2], batchKey: undefined, attempt: 2 }
    tracker.recordSend("bus", second)
    expect(tracker.tallies.bus).toMatchObject({ sent: 3, requests: 2, retried: 1, retrying: 0 })
    tracker.recordAnswer("bus", second, throttled)
    expect(tracker.tallies.bus).toMatchObject({ retrying: 1 })
    tracker.recordOutcome({
      _tag: "Failed",
      destination: "bus",
      eventId: "e1",
      event,
      error: throttled,
      attempts: 2,
    })
    expect(tracker.tallies.bus).toMatchObject({ retrying: 0, failed: 1 })
  })

  it("keeps only the first problems", () => {
    const tracker = new RunTracker(["bus"], 2)
    for (let i = 0; i < 5; i++)
      tracker.recordInputProblem({
        where: `line ${i}`,
        field: "type",
        rule: "required",
        message: "is required",
      })
    expect(tracker.problems).toHaveLength(2)
    expect(tracker.inputProblems).toBe(5)
  })

  it("after a second Ctrl-C: events read and never read, and per destination the pairs without an outcome", () => {
    const tracker = new RunTracker(["bus", "memory"])
    tracker.inputTotal = 10
    tracker.enqueued = 4
    tracker.recordInputProblem({ where: "line 2", field: "(line)", rule: "json", message: "not valid JSON" })
    tracker.recordOutcome({ _tag: "Delivered", destination: "memory", eventId: "e1", event, attempts: 1 })
    tracker.recordSkipped("bus")
    const text = formatAbandonedRun(
      tracker,
      [
        { name: "bus", type: "eventbridge" },
        { name: "memory", type: "memory" },
      ],
      "SIGINT",
    )
    expect(text).toContain("SIGINT again: exiting now, without waiting for the drain.")
    expect(text).toContain("events read: 5  never read: 5  (of 10)")
    expect(text).toMatch(/^bus\s+eventbridge\s+0\s+0\s+0\s+3$/m)
    expect(text).toMatch(/^memory\s+memory\s+1\s+0\s+0\s+3$/m)
    expect(text).toContain("6 event-destination pair(s) have no outcome")

    tracker.inputTotal = undefined
    expect(formatAbandonedRun(tracker, [{ name: "memory", type: "memory" }], "SIGTERM")).toContain(
      "events read: 5 (the input's size is unknown",
    )
  })
})
