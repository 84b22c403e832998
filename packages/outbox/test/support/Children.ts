/**
 * Child processes of the crash tests. The child scripts are TypeScript with erasable syntax only
 * (Node strips the types) and import the built package (see children/ChildStore.ts).
 */
import { type ChildProcess, spawn } from "node:child_process"
import { fileURLToPath } from "node:url"

const flags = ["--disable-warning=ExperimentalWarning"]

export interface Child {
  readonly process: ChildProcess
  /** Resolves with the exit code (or the signal's name) once the process is gone. */
  readonly exited: Promise<number | string>
  /** stdout so far. */
  readonly stdout: () => string
  /** The last few kB of stderr, for failure messages. */
  readonly stderrTail: () => string
}

export const spawnChild = (script: string, args: ReadonlyArray<string>): Child => {
  const path = fileURLToPath(new URL(`../children/${script}`, import.meta.url))
  const child = spawn(process.execPath, [...flags, path, ...args], { stdio: ["ignore", "pipe", "pipe"] })
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
