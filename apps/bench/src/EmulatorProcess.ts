/**
 * The AWS emulator in its own process, as the benchmarks need it: a server sharing the bench's
 * event loop would slow the code under test and be slowed by it. Driven over its admin routes.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"
import type { Fault, RequestCounts, RequestQuotas, StoreMode } from "@eventport/aws-emulator"
import { defaultCredentials } from "@eventport/aws-emulator"
import { flavourFlags, fromSource, stopChild } from "./internal/ChildScript.ts"

export interface EmulatorProcessOptions {
  /** What the emulator keeps of accepted entries. Default `count`: benchmarks need no entries. */
  readonly store?: StoreMode
  /** Seed of the emulator's fault decisions, so faulted runs are repeatable. */
  readonly seed?: number
  /** Request-rate quotas (token buckets) by service; none by default. */
  readonly quotas?: RequestQuotas
}

/** The emulator CLI of the workspace package: built `dist/cli.js`, or `src/cli.ts` under the tests. */
const emulatorCliPath = (): string => {
  const packageJson = createRequire(import.meta.url).resolve("@eventport/aws-emulator/package.json")
  return join(dirname(packageJson), fromSource ? "src/cli.ts" : "dist/cli.js")
}

export class EmulatorProcess {
  readonly endpoint: string
  readonly credentials = { ...defaultCredentials }
  readonly region = "us-east-1"
  readonly #child: ChildProcess

  private constructor(child: ChildProcess, endpoint: string) {
    this.#child = child
    this.endpoint = endpoint
  }

  /** Spawns the CLI on a free port and resolves once it prints its endpoint. */
  static start(options: EmulatorProcessOptions = {}): Promise<EmulatorProcess> {
    const args = [
      emulatorCliPath(),
      "--port",
      "0",
      "--store",
      options.store ?? "count",
      // Counts cover every request; keeping none of the records keeps the emulator's memory flat.
      "--request-log-limit",
      "0",
      ...(options.seed === undefined ? [] : ["--seed", String(options.seed)]),
      ...Object.entries(options.quotas ?? {}).flatMap(([service, quota]) =>
        quota === undefined ? [] : ["--quota", `${service}=${quota.rate}:${quota.burst}`],
      ),
    ]
    const child = spawn(process.execPath, [...flavourFlags, ...args], { stdio: ["ignore", "pipe", "pipe"] })
    return new Promise((resolve, reject) => {
      let stdout = ""
      let stderr = ""
      const onExit = (code: number | null) =>
        reject(
          new Error(`emulator exited (code ${code}) before listening: ${stderr.trim() || stdout.trim()}`),
        )
      child.stderr?.on("data", (b: Buffer) => {
        stderr += b.toString("utf8")
      })
      child.on("error", reject)
      child.once("exit", onExit)
      child.stdout?.on("data", function onData(b: Buffer) {
        stdout += b.toString("utf8")
        const match = /^endpoint: (\S+)$/m.exec(stdout)
        if (match === null) return
        child.stdout?.off("data", onData)
        child.off("exit", onExit)
        // Keep draining so a full pipe never blocks the emulator.
        child.stdout?.resume()
        resolve(new EmulatorProcess(child, match[1]!))
      })
    })
  }

  /** The emulator's counts of every request since start or the last reset. */
  async requestCounts(): Promise<RequestCounts> {
    const body = (await this.#admin("GET", "/__admin/requests")) as { counts: RequestCounts }
    return body.counts
  }

  /** Replaces the fault plan. */
  async setFaults(faults: ReadonlyArray<Fault>): Promise<void> {
    await this.#admin("PUT", "/__admin/faults", faults)
  }

  /** Clears store, request log and faults and refills the quotas, so the next run starts from zero. */
  async reset(): Promise<void> {
    await this.#admin("POST", "/__admin/reset")
  }

  async stop(): Promise<void> {
    await stopChild(this.#child)
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop()
  }

  async #admin(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${this.endpoint}${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
    })
    const text = await response.text()
    if (!response.ok) throw new Error(`emulator ${method} ${path}: HTTP ${response.status} ${text}`)
    return JSON.parse(text) as unknown
  }
}
