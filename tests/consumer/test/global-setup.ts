/**
 * The consumer project's global setup: packs every package under packages/ (`pnpm pack`, so
 * `workspace:` ranges become real ones) and installs the tarballs with npm into a scratch project,
 * with the dependencies the READMEs document. Vitest runs it before any test file starts, and only
 * when a consumer test is queued, so npm has the machine to itself: beside the whole suite on two
 * shared cores, one CI run's install passed 200 s; alone it takes about 25 s with a warm npm cache.
 *
 * What fails here is handed to the consumer tests, which fail with it; the rest of the suite runs.
 * The teardown removes the scratch project.
 */
import { execFileSync } from "node:child_process"
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import type { TestProject } from "vitest/node"
import { run } from "../src/ChildProcess.ts"

/** Where the scratch project is, or why it could not be made. */
export interface PackedProject {
  /** The scratch directory: tarballs, the project, files standing in for a user's AWS config. */
  readonly work: string
  /** The npm project with the packed packages installed. */
  readonly app: string
  /** Why packing or installing failed (the tests fail with it); absent when it worked. */
  readonly failure?: string
}

declare module "vitest" {
  export interface ProvidedContext {
    packedProject: PackedProject
  }
}

const repoDir = resolve(dirname(fileURLToPath(import.meta.url)), "../../..")

/** Versions the READMEs' set-up asks for, pinned as the workspace pins them. */
const devDependenciesOf = (path: string) =>
  (JSON.parse(readFileSync(join(repoDir, path), "utf8")) as { devDependencies: Record<string, string> })
    .devDependencies

const pinned = (name: string, pins: Record<string, string>): string => {
  const version = pins[name]
  if (version === undefined) throw new Error(`the workspace pins no ${name}`)
  return version
}

const install = async (work: string, app: string) => {
  const rootPins = devDependenciesOf("package.json")
  const outboxPins = devDependenciesOf("packages/outbox/package.json")
  // Cached by turbo when `./run.sh test` has just built; builds what is stale otherwise.
  execFileSync(
    "pnpm",
    ["exec", "turbo", "run", "build", "--filter=./packages/*", "--output-logs=errors-only"],
    { cwd: repoDir, stdio: "pipe" },
  )
  const tarballs = join(work, "tarballs")
  mkdirSync(tarballs)
  execFileSync("pnpm", ["-r", "--filter=./packages/*", "pack", "--pack-destination", tarballs], {
    cwd: repoDir,
    stdio: "pipe",
  })
  const dependencies: Record<string, string> = {}
  for (const file of readdirSync(tarballs)) {
    const match = /^eventport-(.+)-\d+\.\d+\.\d+(?:-[\w.]+)?\.tgz$/.exec(file)
    if (match) dependencies[`@eventport/${match[1]}`] = `file:${join(tarballs, file)}`
  }
  mkdirSync(app)
  writeFileSync(
    join(app, "package.json"),
    `${JSON.stringify(
      {
        name: "eventport-consumer",
        private: true,
        type: "module",
        dependencies: {
          ...dependencies,
          effect: pinned("effect", rootPins),
          // The emulator README's example drives the AWS SDK client directly.
          "@aws-sdk/client-eventbridge": "^3.1169.0",
          // The outbox README's install lines (pg or ioredis) and its SqlClient example.
          pg: pinned("pg", outboxPins),
          ioredis: pinned("ioredis", outboxPins),
          "@effect/sql-pg": pinned("@effect/sql-pg", outboxPins),
        },
        devDependencies: {
          "@types/node": pinned("@types/node", rootPins),
          // The outbox README's TypeScript note: pg has no declarations, nor does redis-errors
          // (which ioredis 6's declarations import).
          "@types/pg": pinned("@types/pg", outboxPins),
          "@types/redis-errors": "1.2.3",
          typescript: pinned("typescript", rootPins),
          vitest: pinned("vitest", rootPins),
        },
      },
      null,
      2,
    )}\n`,
  )
  // npm waits 5 minutes on a stalled registry connection by default (`fetch-timeout`): give up on
  // one after 30 s so npm's own retries (`fetch-retries`) try again within this step's budget.
  // Its debug log goes to the scratch directory: npm retries quietly (a refused certificate, a
  // stalled connection), and on failure the log's last lines say what it was waiting for.
  const logs = join(work, "npm-logs")
  const withLog = (message: string) => new Error(`${message}\n${npmLogTail(logs)}`)
  let installed: Awaited<ReturnType<typeof run>>
  try {
    installed = await run(
      "npm",
      [
        "install",
        "--prefer-offline",
        "--no-audit",
        "--no-fund",
        "--loglevel=error",
        "--fetch-timeout=30000",
        "--fetch-retries=4",
        `--logs-dir=${logs}`,
      ],
      { cwd: app, timeoutMs: 480_000 },
    )
  } catch (error) {
    throw withLog(error instanceof Error ? error.message : String(error))
  }
  if (installed.code !== 0) throw withLog(`npm install failed:\n${installed.stderr}`)
}

/** The last lines of npm's newest debug log in `dir`, or why there is none. */
const npmLogTail = (dir: string, lines = 15): string => {
  try {
    const newest = readdirSync(dir)
      .filter((f) => f.endsWith(".log"))
      .sort()
      .at(-1)
    if (newest === undefined) return `(no npm debug log in ${dir})`
    const tail = readFileSync(join(dir, newest), "utf8").trimEnd().split("\n").slice(-lines)
    return `last lines of npm's debug log (${newest}):\n${tail.join("\n")}`
  } catch (error) {
    return `(npm's debug log could not be read: ${error instanceof Error ? error.message : String(error)})`
  }
}

export async function setup(project: TestProject): Promise<() => Promise<void>> {
  const work = mkdtempSync(join(tmpdir(), "eventport-consumer-"))
  const app = join(work, "app")
  try {
    await install(work, app)
    project.provide("packedProject", { work, app })
  } catch (error) {
    const failure = error instanceof Error ? (error.stack ?? error.message) : String(error)
    project.provide("packedProject", { work, app, failure })
  }
  return () => rm(work, { recursive: true, force: true })
}
