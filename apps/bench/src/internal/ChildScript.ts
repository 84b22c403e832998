/**
 * Starting Node child processes on this package's own modules. The bench runs from `dist/*.js`;
 * the quick test runs the TypeScript sources under vitest, so a child started from a test runs the
 * `.ts` sibling with Node's type stripping and the `@eventport/source` condition (workspace
 * packages resolve to their sources, as in the tests: no build needed).
 */
import { type ChildProcess, spawn } from "node:child_process"
import { fileURLToPath } from "node:url"

/** True when this module runs from its TypeScript source (under vitest). */
export const fromSource = import.meta.url.endsWith(".ts")

/**
 * Node flags a child needs to run the same flavour (source or dist) as this process. Sources use
 * TypeScript syntax that type stripping alone does not erase (parameter properties), hence the
 * transform; its experimental warning would only clutter the test output.
 */
export const flavourFlags: ReadonlyArray<string> = fromSource
  ? [
      "--conditions=@eventport/source",
      "--experimental-transform-types",
      "--disable-warning=ExperimentalWarning",
    ]
  : []

/** Path of a module of this package, `relative` to src/ (or dist/), written without extension. */
export const packageModulePath = (relative: string): string =>
  fileURLToPath(new URL(`../${relative}.${fromSource ? "ts" : "js"}`, import.meta.url))

export interface ChildResult {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs `node [flags] script [args]` to completion, collecting its output. */
export const runNode = (
  script: string,
  args: ReadonlyArray<string>,
  flags: ReadonlyArray<string> = [],
): Promise<ChildResult> => runNodeWith([...flavourFlags, ...flags, script, ...args])

/**
 * Runs a self-contained JavaScript file (e.g. an esbuild bundle) with `node script [args]`: no
 * {@link flavourFlags}, since it imports nothing of this workspace.
 */
export const runNodeBundle = (script: string, args: ReadonlyArray<string>): Promise<ChildResult> =>
  runNodeWith([script, ...args])

const runNodeWith = (nodeArgs: ReadonlyArray<string>): Promise<ChildResult> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, nodeArgs, {
      stdio: ["ignore", "pipe", "pipe"],
    })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on("data", (b: Buffer) => out.push(b))
    child.stderr.on("data", (b: Buffer) => err.push(b))
    child.on("error", reject)
    child.on("close", (code, signal) =>
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
      }),
    )
  })

/** Ends a child politely (SIGTERM), then for sure (SIGKILL) if it has not exited after `graceMs`. */
export const stopChild = (child: ChildProcess, graceMs = 2_000): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs)
    child.once("exit", () => {
      clearTimeout(timer)
      resolve()
    })
    child.kill("SIGTERM")
  })
