/** The machine a run was taken on, so a figure is never read without its context. */
import os from "node:os"

export interface MachineInfo {
  readonly cpuModel: string
  /** Logical cores the OS reports. */
  readonly cores: number
  /** Cores this process may use (cgroup/affinity aware), which can be fewer than `cores`. */
  readonly availableCores: number
  readonly totalMemoryBytes: number
  readonly nodeVersion: string
  readonly platform: string
  readonly osRelease: string
}

export const machineInfo = (): MachineInfo => {
  const cpus = os.cpus()
  return {
    cpuModel: cpus[0]?.model.trim() || "unknown",
    cores: cpus.length,
    availableCores: os.availableParallelism(),
    totalMemoryBytes: os.totalmem(),
    nodeVersion: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    osRelease: os.release(),
  }
}

export const describeMachine = (m: MachineInfo): string =>
  `${m.cpuModel}, ${m.cores} cores (${m.availableCores} available), ` +
  `${(m.totalMemoryBytes / 2 ** 30).toFixed(1)} GiB, Node ${m.nodeVersion}, ${m.platform}`
