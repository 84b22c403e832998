/**
 * `--faults throttle=0.2,internal=0.05,entry=0.05,latency=20-80,drop=0.01`: a short spec for the
 * emulator's fault plan, so a user can watch retries, throttling and unknown outcomes happen.
 */
import type { Fault } from "@eventport/aws-emulator"
import { UsageError } from "./UsageError.ts"

/** What each key of the spec means; the README's table is built from the same words. */
export const faultKeys = {
  throttle: "rate of requests answered with the service's throttling error",
  internal: "rate of requests answered with the service's internal error (HTTP 500)",
  unavailable: "rate of requests answered with the service's unavailable error (HTTP 503)",
  entry: "rate of entries that fail on their own inside an accepted request",
  latency: "added delay per request in ms: a number, or a range min-max",
  drop: "rate of requests whose connection is dropped after the entries were stored (outcome unknown)",
} as const

export type FaultKey = keyof typeof faultKeys

export interface FaultSpec {
  readonly throttle?: number
  readonly internal?: number
  readonly unavailable?: number
  readonly entry?: number
  readonly latency?: readonly [min: number, max: number]
  readonly drop?: number
}

const isFaultKey = (key: string): key is FaultKey => Object.hasOwn(faultKeys, key)

const parseRate = (key: string, text: string): number => {
  const rate = Number(text)
  if (text.trim() === "" || !Number.isFinite(rate) || rate < 0 || rate > 1) {
    throw new UsageError(`--faults: ${key}=${text}: expected a rate between 0 and 1, e.g. ${key}=0.05`)
  }
  return rate
}

const parseLatency = (text: string): readonly [number, number] => {
  const match = /^(\d+(?:\.\d+)?)(?:-(\d+(?:\.\d+)?))?$/.exec(text.trim())
  const min = match ? Number(match[1]) : Number.NaN
  const max = match?.[2] === undefined ? min : Number(match[2])
  if (!match || max < min) {
    throw new UsageError(
      `--faults: latency=${text}: expected milliseconds as a number or a range min-max, e.g. latency=20-80`,
    )
  }
  return [min, max]
}

/** Parses the `--faults` text. An empty text means no faults. */
export const parseFaultSpec = (text: string): FaultSpec => {
  const spec: { -readonly [K in keyof FaultSpec]: FaultSpec[K] } = {}
  for (const part of text.split(",")) {
    const item = part.trim()
    if (item === "") continue
    const eq = item.indexOf("=")
    const key = (eq < 0 ? item : item.slice(0, eq)).trim()
    if (!isFaultKey(key)) {
      throw new UsageError(
        `--faults: unknown fault "${key}"; expected one of ${Object.keys(faultKeys).join(", ")}`,
      )
    }
    if (eq < 0) throw new UsageError(`--faults: ${key}: expected ${key}=<value>`)
    if (spec[key] !== undefined) throw new UsageError(`--faults: ${key} is given twice`)
    const value = item.slice(eq + 1)
    if (key === "latency") spec.latency = parseLatency(value)
    else spec[key] = parseRate(key, value)
  }
  return spec
}

/** The emulator faults for a spec (applied to every service the emulator serves). */
export const emulatorFaults = (spec: FaultSpec): Fault[] => {
  const faults: Fault[] = []
  if (spec.latency !== undefined) {
    const [min, max] = spec.latency
    faults.push({ type: "latency", ms: min === max ? min : [min, max] })
  }
  if (spec.drop !== undefined && spec.drop > 0)
    faults.push({ type: "dropConnection", afterStore: true, rate: spec.drop })
  if (spec.throttle !== undefined && spec.throttle > 0)
    faults.push({ type: "requestError", error: "throttling", rate: spec.throttle })
  if (spec.internal !== undefined && spec.internal > 0)
    faults.push({ type: "requestError", error: "internal", rate: spec.internal })
  if (spec.unavailable !== undefined && spec.unavailable > 0)
    faults.push({ type: "requestError", error: "unavailable", rate: spec.unavailable })
  if (spec.entry !== undefined && spec.entry > 0) faults.push({ type: "entryError", rate: spec.entry })
  return faults
}

/** One line for the header, e.g. `throttle=0.2, latency=20-80 ms`. */
export const describeFaultSpec = (spec: FaultSpec): string => {
  const parts: string[] = []
  for (const key of Object.keys(faultKeys) as FaultKey[]) {
    const value = spec[key]
    if (value === undefined) continue
    if (key === "latency") {
      const [min, max] = value as readonly [number, number]
      parts.push(`latency=${min === max ? min : `${min}-${max}`} ms`)
    } else parts.push(`${key}=${value}`)
  }
  return parts.length === 0 ? "none" : parts.join(", ")
}
