import { readFileSync } from "node:fs"

/** What a cold-start child of scenario 10 prints. */
export interface ColdStartMeasurement {
  /** Milliseconds from the process's start (`performance.timeOrigin`) to the publisher or client being ready. */
  readonly readyMs: number
  /**
   * CPU time (user + system, all threads, `process.cpuUsage()`) the process spent up to ready, in
   * milliseconds: steadier than {@link readyMs} on a shared machine, where waiting for a core counts in
   * the wall time but not here.
   */
  readonly readyCpuMs: number
  /** Peak resident set size up to that point ({@link peakRssBytesOfThisProcess}). */
  readonly peakRssBytes: number
  /**
   * Milliseconds from the process's start to the result of the first send (Eventport: the first
   * `publish` of one event; bare: the first `PutEvents`): what is deferred past ready shows up here.
   */
  readonly firstResultMs: number
  /** The one event sent afterwards, so the run accounts for an event. */
  readonly delivered: number
  readonly rejected: number
  readonly failed: number
}

/**
 * This process's peak RSS: `VmHWM` from /proc/self/status where there is one (Linux). Not
 * `process.resourceUsage().maxRSS`: Linux keeps that high-water mark across fork and exec, so a
 * child started by a large bench process reports the parent's peak, not its own.
 */
export const peakRssBytesOfThisProcess = (): number => {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync("/proc/self/status", "utf8"))
    if (match !== null) return Number(match[1]) * 1024
  } catch {
    // Not Linux: fall back to getrusage.
  }
  return process.resourceUsage().maxRSS * 1024
}

/** CPU time (user + system) this process has used so far, in milliseconds. */
export const cpuMsOfThisProcess = (): number => {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1000
}
