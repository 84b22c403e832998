import { existsSync } from "node:fs"
import { dirname, join } from "node:path"
import { describe, expect, it } from "vitest"
import { BenchArgumentsError, parseBenchArguments, reproduceCommand } from "../src/BenchArguments.ts"
import { defaultReportPath, renderBenchmarks } from "../src/BenchmarksReport.ts"
import { machineInfo } from "../src/MachineInfo.ts"
import { renderTextTable, resultRows } from "../src/ResultTable.ts"
import { atLeast, atMost, measurement, type Scenario, type ScenarioReport } from "../src/Scenario.ts"
import { median } from "../src/Statistics.ts"

describe("median", () => {
  it("takes the middle of an odd count and the mean of the two middles of an even count", () => {
    expect(median([5, 1, 3])).toBe(3)
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(median([7])).toBe(7)
  })
  it("refuses an empty list", () => {
    expect(() => median([])).toThrow(RangeError)
  })
})

describe("parseBenchArguments", () => {
  it("defaults to the full mode with 5 repetitions", () => {
    expect(parseBenchArguments([])).toMatchObject({ quick: false, scale: 1, repetitions: 5, only: undefined })
  })
  it("quick mode runs once", () => {
    expect(parseBenchArguments(["--quick"])).toMatchObject({ quick: true, repetitions: 1 })
  })
  it("reads scale, repetitions, only and out", () => {
    const args = parseBenchArguments([
      "--scale",
      "0.1",
      "--repetitions",
      "3",
      "--only",
      "1,5",
      "--out",
      "/tmp/b.md",
    ])
    expect(args).toMatchObject({ scale: 0.1, repetitions: 3, out: "/tmp/b.md" })
    expect([...(args.only ?? [])]).toEqual([1, 5])
    expect(reproduceCommand(args)).toBe("./run.sh bench --scale 0.1 --repetitions 3 --only 1,5")
  })
  it("rejects bad values with the flag named", () => {
    expect(() => parseBenchArguments(["--scale", "0"])).toThrow(/--scale must be a positive number/)
    expect(() => parseBenchArguments(["--repetitions", "1.5"])).toThrow(
      /--repetitions must be a positive integer/,
    )
    expect(() => parseBenchArguments(["--quick", "--scale", "2"])).toThrow(BenchArgumentsError)
    expect(() => parseBenchArguments(["--bogus"])).toThrow(BenchArgumentsError)
  })
})

const report: ScenarioReport = {
  id: 9,
  title: "Example",
  events: 1000,
  repetitions: 3,
  measurements: [
    measurement("events/s", "events/s", [900, 1200, 1000], atLeast(1100, "≥ 1,100/s")),
    measurement("ratio", "ratio", [1.01, 1.02, 1.03], atMost(1.05, "≤ 1.05")),
    measurement("capacity", "requests/s", [10, 20, 30]),
  ],
  accounting: [{ label: "run 1", sent: 1000, delivered: 990, rejected: 4, failed: 6 }],
  notes: ["a note"],
}
const scenario: Scenario = { id: 9, title: "Example", measures: "What it measures.", run: async () => report }

describe("result table", () => {
  it("prints the median, the goal and pass, MISS or info per row", () => {
    const rows = resultRows([report])
    expect(rows.map((r) => [r.median, r.goal, r.result])).toEqual([
      ["1,000/s", "≥ 1,100/s", "MISS"],
      ["1.020", "≤ 1.05", "pass"],
      ["20/s", "—", "info"],
    ])
    expect(renderTextTable(rows)).toContain("9. Example")
  })
})

describe("BENCHMARKS.md", () => {
  it("resolves to the repository root whatever the cwd", () => {
    const path = defaultReportPath()
    expect(existsSync(join(dirname(path), "pnpm-workspace.yaml"))).toBe(true)
  })
  it("states the machine, Node, the command, every run and what was not run", () => {
    const machine = machineInfo()
    const text = renderBenchmarks({
      machine,
      startedAt: new Date("2026-11-23T12:00:00Z"),
      command: "./run.sh bench",
      reports: [report],
      scenarios: [scenario, { ...scenario, id: 10, title: "Other" }],
      skipped: [{ scenario: { ...scenario, id: 10, title: "Other" }, reason: "failed: boom" }],
    })
    expect(text).toContain(machine.cpuModel)
    expect(text).toContain(process.version)
    expect(text).toContain("`./run.sh bench`")
    expect(text).toContain("| 9. Example | events/s | 1,000/s | 3 | ≥ 1,100/s | MISS |")
    expect(text).toContain("events/s, every run: 900, 1,200, 1,000")
    expect(text).toContain("every event accounted for")
    expect(text).toContain("Not run: failed: boom")
  })
})
