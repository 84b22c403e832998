/**
 * Keeps the harness working: every scenario runs in quick mode (small counts, one repetition,
 * child processes where the scenario needs them) and accounts for every event. Figures are never
 * asserted: speed is what the bench reports, not what a test on a shared machine can check.
 */
import { describe, expect, it } from "vitest"
import type { RunSettings } from "../src/Scenario.ts"
import { scenarios } from "../src/scenarios/index.ts"

const quick: RunSettings = { quick: true, scale: 1, repetitions: 1, log: () => {} }

describe("bench scenarios in quick mode", () => {
  it.each(scenarios.map((s) => [`${s.id}. ${s.title}`, s] as const))(
    "%s completes and accounts for every event",
    async (_, scenario) => {
      const report = await scenario.run(quick)
      expect(report.id).toBe(scenario.id)
      expect(report.accounting.length).toBeGreaterThan(0)
      for (const a of report.accounting) {
        expect(a.sent, a.label).toBeGreaterThan(0)
        expect(a.delivered + a.rejected + a.failed, `${a.label}: delivered + rejected + failed`).toBe(a.sent)
      }
      expect(report.measurements.length).toBeGreaterThan(0)
      for (const m of report.measurements) {
        expect(m.runs.length, m.label).toBeGreaterThan(0)
        expect(Number.isFinite(m.median), `${m.label} is a number`).toBe(true)
      }
    },
    // Scenario 3 starts one emulator process per destination (six): on a busy 2-core machine that
    // alone took 33 s, over the default 30 s.
    120_000,
  )
})
