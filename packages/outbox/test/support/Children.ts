/**
 * Child processes of the crash tests. The child scripts are TypeScript with erasable syntax only
 * (Node strips the types) and import the built package (see children/ChildStore.ts).
 */
import { type ChildProcess, spawn } from "node:child_process"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

const flags = ["--disable-warning=ExperimentalWarning"]
/**
 * Node's on-disk compile cache: the crash test starts a relay process about every second, and
 * compiling the modules of each one again costs about a third of its start-up CPU time.
 */
const env = { ...process.env, NODE_COMPILE_CACHE: join(tmpdir(), "eventport-outbox-test-compile-cache") }

export interface Child {
  readonly process: ChildProcess
  /** Resolves with the exit code (or the signal's name) once the process is gone. */
  readonly exited: Promise<number | string>
  /** stdout so far. */
  readonly stdout: () => string
  /** The last few kB of stderr, for failure messages. */
  readonly stderrTail: () => string
}

/** `stdin: true` gives the child a stdin pipe (a relay waits there for its go, see children/relay.ts). */
export const spawnChild = (
  script: string,
  args: ReadonlyArray<string>,
  options: { readonly stdin?: boolean } = {},
): Child => {
  const path = fileURLToPath(new URL(`../children/${script}`, import.meta.url))
  const child = spawn(process.execPath, [...flags, path, ...args], {
    stdio: [options.stdin === true ? "pipe" : "ignore", "pipe", "pipe"],
    env,
  })
  let out = ""
  let err = ""
  child.stdout!.on("data", (b: Buffer) => {
    out += b.toString("utf8")
  })
  child.stderr!.on("data", (b: Buffer) => {
    err = (err + b.toString("utf8")).slice(-4_000)
  })
  const exited = new Promise<number | string>((resolve) =>
    child.once("exit", (code, signal) => resolve(code ?? signal ?? "unknown")),
  )
  return { process: child, exited, stdout: () => out, stderrTail: () => err }
}

export const killHard = async (child: Child): Promise<void> => {
  if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill("SIGKILL")
  await child.exited
}
