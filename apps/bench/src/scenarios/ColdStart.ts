/**
 * Scenario 10: cold start. Fresh Node processes, alternating: one loads `@eventport/core` and
 * `@eventport/eventbridge` and creates a publisher, the other loads `@aws-sdk/client-eventbridge` and
 * constructs the bare client; each reports the time from its own start to ready and its peak RSS
 * then. Also the minified bundle size (esbuild) of core alone, core + eventbridge and the bare client.
 */
import { dirname } from "node:path"
import { fileURLToPath } from "node:url"
import { build } from "esbuild"
import { EmulatorProcess } from "../EmulatorProcess.ts"
import { fromSource, packageModulePath, runNode } from "../internal/ChildScript.ts"
import { type Accounting, atMost, measurement, type Scenario, type ScenarioReport } from "../Scenario.ts"
import { repeat } from "../Statistics.ts"
import type { ColdStartMeasurement } from "./ColdStartMeasurement.ts"

export const coldStartGoal = atMost(1.2, "≤ 1.2")

/** What each bundle imports: what a user of that side writes. */
const bundleEntries = {
  "core alone": `export { createPublisher } from "@eventport/core"`,
  "core + eventbridge": `export { createPublisher } from "@eventport/core"\nexport { eventBridge } from "@eventport/eventbridge"`,
  "bare client": `export { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge"`,
} as const

/**
 * Minified ESM bundle size for Node of `contents`, resolved from this package: the built packages,
 * or their sources when this runs from source (the quick test), as the children do.
 */
const bundleBytes = async (contents: string): Promise<number> => {
  const result = await build({
    stdin: { contents, resolveDir: dirname(fileURLToPath(import.meta.url)), loader: "js" },
    bundle: true,
    minify: true,
    write: false,
    platform: "node",
    format: "esm",
    logLevel: "silent",
    ...(fromSource ? { conditions: ["@eventport/source"] } : {}),
  })
  return result.outputFiles.reduce((total, file) => total + file.contents.byteLength, 0)
}

const coldStart = async (
  side: "eventport" | "bare",
  emulator: EmulatorProcess,
): Promise<ColdStartMeasurement> => {
  const script = packageModulePath(
    side === "eventport" ? "scenarios/ColdStartEventport" : "scenarios/ColdStartBareClient",
  )
  const child = await runNode(script, [
    emulator.endpoint,
    emulator.credentials.accessKeyId,
    emulator.credentials.secretAccessKey,
  ])
  const line = child.stdout.trim().split("\n").at(-1) ?? ""
  if (child.code !== 0 || line === "")
    throw new Error(`cold-start child (${side}) exited ${child.code ?? child.signal}: ${child.stderr.trim()}`)
  return JSON.parse(line) as ColdStartMeasurement
}

export const coldStartScenario: Scenario = {
  id: 10,
  title: "Cold start and bundle size",
  measures:
    "Fresh processes, alternating: import @eventport/core + @eventport/eventbridge and create a publisher, against " +
    "import @aws-sdk/client-eventbridge and construct the bare EventBridgeClient; time from process start to ready " +
    "and peak RSS then (medians, ratio Eventport / bare). Minified esbuild bundle sizes of core alone, core + " +
    "eventbridge and the bare client.",
  run: async (settings): Promise<ScenarioReport> => {
    const repetitions = settings.quick ? 1 : Math.max(5, settings.repetitions * 2)
    const emulator = await EmulatorProcess.start()
    try {
      const accounting: Accounting[] = []
      const account = (label: string, m: ColdStartMeasurement) =>
        accounting.push({ label, sent: 1, delivered: m.delivered, rejected: m.rejected, failed: m.failed })
      const runs = await repeat(repetitions, async (rep) => {
        const eventportFirst = rep % 2 === 0
        const first = await coldStart(eventportFirst ? "eventport" : "bare", emulator)
        const second = await coldStart(eventportFirst ? "bare" : "eventport", emulator)
        const [eventport, bare] = eventportFirst ? [first, second] : [second, first]
        account(`run ${rep + 1} Eventport`, eventport)
        account(`run ${rep + 1} bare client`, bare)
        settings.log(
          `run ${rep + 1}: Eventport ${eventport.readyMs.toFixed(0)} ms, ${(eventport.peakRssBytes / 2 ** 20).toFixed(1)} MB; ` +
            `bare client ${bare.readyMs.toFixed(0)} ms, ${(bare.peakRssBytes / 2 ** 20).toFixed(1)} MB`,
        )
        return { eventport, bare }
      })
      const sizes: Record<string, number> = {}
      for (const [name, contents] of Object.entries(bundleEntries)) sizes[name] = await bundleBytes(contents)
      const mb = (bytes: number) => bytes / 2 ** 20
      return {
        id: 10,
        title: coldStartScenario.title,
        events: 1,
        repetitions,
        measurements: [
          measurement(
            "Eventport: start to publisher",
            "ms",
            runs.map((r) => r.eventport.readyMs),
          ),
          measurement(
            "bare client: start to client",
            "ms",
            runs.map((r) => r.bare.readyMs),
          ),
          measurement(
            "start time, Eventport / bare",
            "ratio",
            runs.map((r) => r.eventport.readyMs / r.bare.readyMs),
            coldStartGoal,
          ),
          measurement(
            "Eventport: peak RSS",
            "MB",
            runs.map((r) => mb(r.eventport.peakRssBytes)),
          ),
          measurement(
            "bare client: peak RSS",
            "MB",
            runs.map((r) => mb(r.bare.peakRssBytes)),
          ),
          measurement(
            "peak RSS, Eventport / bare",
            "ratio",
            runs.map((r) => r.eventport.peakRssBytes / r.bare.peakRssBytes),
            coldStartGoal,
          ),
          ...Object.entries(sizes).map(([name, bytes]) =>
            measurement(`bundle, ${name}`, "KiB", [bytes / 1024]),
          ),
          measurement("bundle, core + eventbridge / bare client", "ratio", [
            sizes["core + eventbridge"]! / sizes["bare client"]!,
          ]),
        ],
        accounting,
        notes: [
          "Each side is a fresh `node` process; the time is `performance.now()` when the publisher (or client) exists, i.e. from the process's time origin, Node's own start-up included on both sides; peak RSS is the process's own `VmHWM` (/proc/self/status) then: `process.resourceUsage().maxRSS` would report the bench process's peak, which Linux carries into its children.",
          "After measuring, each process sends one event to the emulator (own process), so each run accounts for an event.",
          "Bundles: esbuild, bundle + minify, platform node, ESM, from the built packages; entries: `createPublisher` (core alone), plus `eventBridge` (core + eventbridge), `EventBridgeClient` and `PutEventsCommand` (bare client).",
        ],
      }
    } finally {
      await emulator.stop()
    }
  },
}
