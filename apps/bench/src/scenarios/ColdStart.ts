/**
 * Scenario 10: cold start. Fresh Node processes, alternating: one loads `@eventport/core` and
 * `@eventport/eventbridge` and creates a publisher, the other loads `@aws-sdk/client-eventbridge` and
 * constructs the bare client; each reports the time from its own start to ready and its peak RSS
 * then. Two pairs in every repetition: the children as they are (Node loads each ESM file of the
 * packages), and the same children bundled by esbuild, as a Lambda build ships them. Also the
 * minified bundle size (esbuild) of core alone, core + eventbridge and the bare client.
 */
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { type BuildOptions, build } from "esbuild"
import { EmulatorProcess } from "../EmulatorProcess.ts"
import { fromSource, packageModulePath, runNode, runNodeBundle } from "../internal/ChildScript.ts"
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
 * How every bundle here is built: esbuild, bundle + minify, ESM for Node, as a Lambda build does it.
 * `mainFields` prefers each package's ES module build (the AWS CDK's `NodejsFunction` recommends
 * this for ESM output): esbuild's default for Node takes `main` first, which for the AWS SDK is
 * CommonJS whose `require("node:https")` an ESM bundle cannot run. Resolved from this package: the
 * built packages, or their sources when this runs from source (the quick test), as the children do.
 */
const bundleOptions: BuildOptions = {
  bundle: true,
  minify: true,
  platform: "node",
  format: "esm",
  mainFields: ["module", "main"],
  logLevel: "silent",
  // Naming any condition drops esbuild's implicit `module` one: keep it, as in the build.
  ...(fromSource ? { conditions: ["@eventport/source", "module"] } : {}),
}

/** Minified ESM bundle size for Node of `contents`. */
const bundleBytes = async (contents: string): Promise<number> => {
  const result = await build({
    ...bundleOptions,
    stdin: { contents, resolveDir: dirname(fileURLToPath(import.meta.url)), loader: "js" },
    write: false,
  })
  return result.outputFiles.reduce((total, file) => total + file.contents.byteLength, 0)
}

type Side = "eventport" | "bare"

const childModules = {
  eventport: "scenarios/ColdStartEventport",
  bare: "scenarios/ColdStartBareClient",
} as const satisfies Record<Side, string>

/** Both children, each bundled on its own into `dir` (`<side>.mjs`): the same entry code as unbundled. */
const bundleChildren = async (dir: string): Promise<Record<Side, string>> => {
  const outputs = { eventport: join(dir, "eventport.mjs"), bare: join(dir, "bare.mjs") }
  for (const side of ["eventport", "bare"] as const)
    await build({
      ...bundleOptions,
      entryPoints: [packageModulePath(childModules[side])],
      outfile: outputs[side],
    })
  return outputs
}

/** Where each side's child runs from: this package's modules, or a bundle of them. */
type Flavour =
  | { readonly kind: "unbundled" }
  | { readonly kind: "bundled"; readonly bundles: Record<Side, string> }

const coldStart = async (
  side: Side,
  flavour: Flavour,
  emulator: EmulatorProcess,
): Promise<ColdStartMeasurement> => {
  const args = [emulator.endpoint, emulator.credentials.accessKeyId, emulator.credentials.secretAccessKey]
  const child =
    flavour.kind === "bundled"
      ? await runNodeBundle(flavour.bundles[side], args)
      : await runNode(packageModulePath(childModules[side]), args)
  const line = child.stdout.trim().split("\n").at(-1) ?? ""
  if (child.code !== 0 || line === "")
    throw new Error(
      `cold-start child (${flavour.kind} ${side}) exited ${child.code ?? child.signal}: ${child.stderr.trim()}`,
    )
  return JSON.parse(line) as ColdStartMeasurement
}

/** One repetition of one flavour: both sides. */
type Pair = { readonly eventport: ColdStartMeasurement; readonly bare: ColdStartMeasurement }

/** Both sides back to back, Eventport first in even repetitions. */
const coldStartPair = async (rep: number, flavour: Flavour, emulator: EmulatorProcess): Promise<Pair> => {
  const eventportFirst = rep % 2 === 0
  const first = await coldStart(eventportFirst ? "eventport" : "bare", flavour, emulator)
  const second = await coldStart(eventportFirst ? "bare" : "eventport", flavour, emulator)
  const [eventport, bare] = eventportFirst ? [first, second] : [second, first]
  return { eventport, bare }
}

const bundledLabel = "bundled (esbuild, as deployed to Lambda)"

const mb = (bytes: number) => bytes / 2 ** 20

/** The figures of one flavour's pairs, each label after `prefix` (empty for the unbundled pair). */
const pairMeasurements = (prefix: string, runs: ReadonlyArray<Pair>) => [
  measurement(
    `${prefix}Eventport: start to publisher`,
    "ms",
    runs.map((r) => r.eventport.readyMs),
  ),
  measurement(
    `${prefix}bare client: start to client`,
    "ms",
    runs.map((r) => r.bare.readyMs),
  ),
  measurement(
    `${prefix}start time, Eventport / bare`,
    "ratio",
    runs.map((r) => r.eventport.readyMs / r.bare.readyMs),
    coldStartGoal,
  ),
  measurement(
    `${prefix}CPU to ready, Eventport / bare (informational)`,
    "ratio",
    runs.map((r) => r.eventport.readyCpuMs / r.bare.readyCpuMs),
  ),
  measurement(
    `${prefix}Eventport: start to first publish result (informational)`,
    "ms",
    runs.map((r) => r.eventport.firstResultMs),
  ),
  measurement(
    `${prefix}bare client: start to first PutEvents result (informational)`,
    "ms",
    runs.map((r) => r.bare.firstResultMs),
  ),
  measurement(
    `${prefix}start to first result, Eventport / bare (informational)`,
    "ratio",
    runs.map((r) => r.eventport.firstResultMs / r.bare.firstResultMs),
  ),
  measurement(
    `${prefix}Eventport: peak RSS`,
    "MB",
    runs.map((r) => mb(r.eventport.peakRssBytes)),
  ),
  measurement(
    `${prefix}bare client: peak RSS`,
    "MB",
    runs.map((r) => mb(r.bare.peakRssBytes)),
  ),
  measurement(
    `${prefix}peak RSS, Eventport / bare`,
    "ratio",
    runs.map((r) => r.eventport.peakRssBytes / r.bare.peakRssBytes),
    coldStartGoal,
  ),
]

export const coldStartScenario: Scenario = {
  id: 10,
  title: "Cold start and bundle size",
  measures:
    "Fresh processes, alternating: import @eventport/core + @eventport/eventbridge and create a publisher, against " +
    "import @aws-sdk/client-eventbridge and construct the bare EventBridgeClient; time from process start to ready " +
    "and peak RSS then (medians, ratio Eventport / bare), and to the first send's result; in the same repetitions the same two children bundled by " +
    "esbuild (minified, ESM, platform node), as deployed to Lambda. Minified esbuild bundle sizes of core alone, " +
    "core + eventbridge and the bare client.",
  run: async (settings): Promise<ScenarioReport> => {
    // A fresh process's start-up takes 60-200 ms, and one waiting for a core on a shared machine can
    // take twice as long as the next: single ratios went from 0.8 to 2.1 in one run of 6. Pairs are
    // cheap (about 1.5 s a repetition), so the medians are taken over at least 15.
    const repetitions = settings.quick ? 1 : Math.max(15, settings.repetitions * 3)
    const bundleDir = await mkdtemp(join(tmpdir(), "eventport-bench-cold-start-"))
    try {
      const bundled: Flavour = { kind: "bundled", bundles: await bundleChildren(bundleDir) }
      const emulator = await EmulatorProcess.start()
      try {
        const accounting: Accounting[] = []
        const account = (label: string, m: ColdStartMeasurement) =>
          accounting.push({ label, sent: 1, delivered: m.delivered, rejected: m.rejected, failed: m.failed })
        const describe = (m: ColdStartMeasurement) =>
          `${m.readyMs.toFixed(0)} ms, ${(m.peakRssBytes / 2 ** 20).toFixed(1)} MB`
        const pairs = await repeat(repetitions, async (rep) => {
          const unbundledPair = await coldStartPair(rep, { kind: "unbundled" }, emulator)
          const bundledPair = await coldStartPair(rep, bundled, emulator)
          account(`run ${rep + 1} Eventport`, unbundledPair.eventport)
          account(`run ${rep + 1} bare client`, unbundledPair.bare)
          account(`run ${rep + 1} bundled Eventport`, bundledPair.eventport)
          account(`run ${rep + 1} bundled bare client`, bundledPair.bare)
          settings.log(
            `run ${rep + 1}: Eventport ${describe(unbundledPair.eventport)}; bare client ${describe(unbundledPair.bare)}; ` +
              `bundled: Eventport ${describe(bundledPair.eventport)}; bare client ${describe(bundledPair.bare)}`,
          )
          return { unbundledPair, bundledPair }
        })
        const runs = pairs.map((p) => p.unbundledPair)
        const bundledRuns = pairs.map((p) => p.bundledPair)
        const sizes: Record<string, number> = {}
        for (const [name, contents] of Object.entries(bundleEntries))
          sizes[name] = await bundleBytes(contents)
        return {
          id: 10,
          title: coldStartScenario.title,
          events: 1,
          repetitions,
          measurements: [
            ...pairMeasurements("", runs),
            ...pairMeasurements(`${bundledLabel}, `, bundledRuns),
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
            "CPU to ready (user + system, `process.cpuUsage()` at the same point) is informational: on a shared machine the wall time also counts waiting for a core, the CPU time does not, so its ratio is the steadier reading of the same start-up work.",
            "After measuring, each process sends one event to the emulator (own process), so each run accounts for an event.",
            "Start to first result (informational) is the time from the process's start to the result of that first send: Eventport's first `publish` of one event against the bare client's first `PutEvents`. Work a publisher defers past ready (modules loaded on first use, fibers started lazily) is counted here, so deferring cannot hide start-up cost; it also includes the emulator's answer, the same on both sides.",
            "Two pairs per repetition, each in alternating order: unbundled (the children import the packages, so Node reads and compiles every ESM file they load: Effect alone is some 65 modules, each Eventport package one file per entry point), then bundled (esbuild, as deployed to Lambda): the same two children, each bundled at set-up into one minified ESM file in a temporary directory, run with plain `node`. Ratios are taken per repetition within a pair.",
            "Bundles: esbuild, bundle + minify, platform node, ESM, `mainFields` module then main (ES module builds first, as the AWS CDK recommends for ESM), from the built packages; size entries: `createPublisher` (core alone), plus `eventBridge` (core + eventbridge), `EventBridgeClient` and `PutEventsCommand` (bare client).",
          ],
        }
      } finally {
        await emulator.stop()
      }
    } finally {
      await rm(bundleDir, { recursive: true, force: true })
    }
  },
}
