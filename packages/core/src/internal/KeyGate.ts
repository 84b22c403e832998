/**
 * The ordered mode's gate of one destination: for each ordering key, the jobs that carry it form a
 * line in the order they were handed over, and only the job at the front of every one of its lines
 * may be sent. So at most one request per key is unsettled at a time, and a job whose entries wait
 * for a retry holds its keys' lines until those entries settle. Jobs are handed over in one global
 * order, so the oldest unsettled job is always at the front of all its lines: the gate never
 * deadlocks.
 */
import type { Entry, Job } from "./Job.ts"

/** The distinct ordering keys of some entries, or undefined when none has one. */
export const orderingKeysOf = (entries: ReadonlyArray<Entry>): Set<string> | undefined => {
  let keys: Set<string> | undefined
  for (const e of entries) {
    const key = e.orderingKey
    if (key === undefined) continue
    if (keys === undefined) keys = new Set()
    keys.add(key)
  }
  return keys
}

export class KeyGate {
  private readonly lines = new Map<string, Array<Job>>()

  /** Puts the job at the back of its keys' lines; true when it may be sent now. */
  admit(job: Job): boolean {
    const keys = orderingKeysOf(job.entries)
    job.orderingKeys = keys
    job.waitingFor = 0
    if (keys === undefined) return true
    for (const key of keys) {
      const line = this.lines.get(key)
      if (line === undefined) this.lines.set(key, [job])
      else {
        line.push(job)
        job.waitingFor++
      }
    }
    return job.waitingFor === 0
  }

  /**
   * The job no longer carries the keys it held but `keep` (its entries of those keys are settled):
   * it leaves those lines. Returns the jobs that may be sent now (their lines are all clear).
   */
  release(job: Job, keep: Set<string> | undefined): Array<Job> | undefined {
    const keys = job.orderingKeys
    if (keys === undefined) return undefined
    let ready: Array<Job> | undefined
    for (const key of keys) {
      if (keep?.has(key) === true) continue
      const line = this.lines.get(key)
      // Only a job at the front of all its lines is ever sent, so it is at this line's front.
      if (line === undefined || line[0] !== job) continue
      line.shift()
      if (line.length === 0) {
        this.lines.delete(key)
        continue
      }
      const next = line[0]!
      next.waitingFor--
      if (next.waitingFor === 0) {
        if (ready === undefined) ready = []
        ready.push(next)
      }
    }
    job.orderingKeys = keep
    return ready
  }
}
