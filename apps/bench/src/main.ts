/**
 * `pnpm bench` / `./run.sh bench`: runs the scenarios, prints the table, rewrites BENCHMARKS.md
 * (not in quick mode). Exits 1 when a scenario crashed or lost track of an event; a missed goal is
 * a result, reported in the table, not an error.
 */
import { BenchArgumentsError, parseBenchArguments, reproduceCommand, usage } from "./BenchArguments.ts"
import { defaultReportPath, type SkippedScenario, writeBenchmarks } from "./BenchmarksReport.ts"
import { describeMachine, machineInfo } from "./MachineInfo.ts"
import { accountingSummary, renderTextTable, resultRows } from "./ResultTable.ts"
import { isAccounted, type RunSettings, type ScenarioReport } from "./Scenario.ts"
import { scenarios } from "./scenarios/index.ts"

const main = async (): Promise<number> => {
  let args: ReturnType<typeof parseBenchArguments>
  try {
    args = parseBenchArguments(process.argv.slice(2))
  } catch (error) {
    if (!(error instanceof BenchArgumentsError)) throw error
    process.stderr.write(`${error.message}\n\n${usage}`)
    return 2
  }
  if (args.help) {
    process.stdout.write(usage)
    return 0
  }
  const unknown = [...(args.only ?? [])].filter((id) => !scenarios.some((s) => s.id === id))
  if (unknown.length > 0) {
    process.stderr.write(
      `--only: no scenario ${unknown.join(", ")} (have ${scenarios.map((s) => s.id).join(", ")})\n`,
    )
    return 2
  }

  const machine = machineInfo()
  const startedAt = new Date()
  const settings: RunSettings = {
    quick: args.quick,
    scale: args.scale,
    repetitions: args.repetitions,
    log: (line) => process.stderr.write(`  ${line}\n`),
  }
  process.stderr.write(
    `eventport bench (${args.quick ? "quick" : "full"} mode, scale ${args.scale}, ${args.repetitions} repetitions)\n` +
      `machine: ${describeMachine(machine)}\n`,
  )

  const selected = scenarios.filter((s) => args.only === undefined || args.only.has(s.id))
  const reports: ScenarioReport[] = []
  const skipped: SkippedScenario[] = []
  for (const scenario of selected) {
    process.stderr.write(`[${scenario.id}] ${scenario.title}\n`)
    try {
      reports.push(await scenario.run(settings))
    } catch (error) {
      const reason = `failed: ${error instanceof Error ? error.message : String(error)}`
      process.stderr.write(`  ${reason}\n`)
      skipped.push({ scenario, reason })
    }
  }

  process.stdout.write(`\n${renderTextTable(resultRows(reports))}\n\n`)
  for (const report of reports) process.stdout.write(`${accountingSummary(report)}\n`)
  for (const { scenario, reason } of skipped)
    process.stdout.write(`${scenario.id}. ${scenario.title}: not run, ${reason}\n`)

  if (!args.quick) {
    const path = args.out ?? defaultReportPath()
    const command = reproduceCommand(args)
    await writeBenchmarks(path, { machine, startedAt, command, reports, scenarios: selected, skipped })
    process.stdout.write(`\nwrote ${path}\n`)
  }
  const lost = reports.some((r) => !r.accounting.every(isAccounted))
  return skipped.length > 0 || lost ? 1 : 0
}

main().then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    process.stderr.write(
      `bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    )
    process.exitCode = 1
  },
)
