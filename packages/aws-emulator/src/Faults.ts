import { SeededRandom } from "./internal/SeededRandom.ts"
import { isServiceName, type ServiceError, type ServiceName, serviceNames, serviceTraits } from "./Service.ts"

/** A whole-request error by kind, answered with the right code and status for each service. */
export type RequestErrorKind = "throttling" | "internal" | "unavailable"

/** A whole-request error with an explicit code and status. */
export interface CustomRequestError {
  readonly code: string
  readonly status: number
  readonly message?: string
}

export type RequestError = RequestErrorKind | CustomRequestError

/** The entry as a fault matcher sees it: the wire fields (IoT payloads decoded), its target and id. */
export interface EntryView {
  readonly service: ServiceName
  readonly target: string
  readonly id: string
  readonly fields: Readonly<Record<string, unknown>>
  /** The request the entry came in (Kinesis and Firehose views carry it), e.g. to group a predicate's calls. */
  readonly requestId?: string
}

/**
 * Selects entries: a predicate, or an object whose keys must all equal the entry's (`target`, `id`,
 * or a wire field such as `DetailType`, `inputName`, `EventType`). Only the object form works over HTTP.
 */
export type EntryMatcher =
  | ((entry: EntryView) => boolean)
  | Readonly<Record<string, string | number | boolean>>

interface FaultScope {
  /** Services the fault applies to; all when absent. */
  readonly service?: ServiceName | readonly ServiceName[]
}

export type Fault =
  | (FaultScope & {
      readonly type: "requestError"
      readonly error: RequestError
      /** Probability per request, drawn from the seeded PRNG; 1 when absent. */
      readonly rate?: number
      /** Stop after firing this many times. */
      readonly times?: number
    })
  | (FaultScope & {
      readonly type: "requestSequence"
      /** One step per request: an error, or `"ok"` to let the request through. */
      readonly sequence: readonly (RequestError | "ok")[]
      /** Start over when the sequence is used up; otherwise the fault goes quiet. */
      readonly loop?: boolean
    })
  | (FaultScope & {
      readonly type: "entryError"
      /** Entry error code; the service's internal-failure code when absent. */
      readonly code?: string
      readonly message?: string
      /** Pinpoint per-event StatusCode; 500 when absent. */
      readonly statusCode?: number
      /**
       * SQS and SNS `SenderFault`: `true` for the caller's fault (not retried as is), `false` for the
       * service's. Defaults to `statusCode < 500` (so `false` when neither is given).
       */
      readonly senderFault?: boolean
      readonly rate?: number
      readonly match?: EntryMatcher
      readonly times?: number
    })
  | (FaultScope & {
      readonly type: "latency"
      /** Fixed delay, or a [min, max] range drawn from the seeded PRNG. */
      readonly ms: number | readonly [number, number]
      readonly rate?: number
    })
  | (FaultScope & {
      readonly type: "dropConnection"
      /**
       * Apply the request (store its entries) before destroying the socket, so the client sees a
       * network error for a request that actually succeeded.
       */
      readonly afterStore?: boolean
      readonly rate?: number
      readonly times?: number
    })

/** What happens to one request, decided when it arrives. */
export interface RequestFaultDecision {
  readonly latencyMs: number
  readonly drop?: { readonly afterStore: boolean }
  readonly error?: ServiceError
}

export interface EntryFault {
  readonly code: string
  readonly message: string
  readonly statusCode: number
  readonly senderFault: boolean
}

interface ActiveFault {
  readonly fault: Fault
  fired: number
  step: number
}

const appliesTo = (fault: Fault, service: ServiceName): boolean =>
  fault.service === undefined ||
  (typeof fault.service === "string" ? fault.service === service : fault.service.includes(service))

const defaultMessages: Record<RequestErrorKind, string> = {
  throttling: "Rate exceeded",
  internal: "Internal service error (injected by the emulator)",
  unavailable: "Service unavailable (injected by the emulator)",
}

export const resolveRequestError = (service: ServiceName, error: RequestError): ServiceError => {
  if (typeof error !== "string") {
    return { code: error.code, status: error.status, message: error.message ?? `${error.code} (injected)` }
  }
  const traits = serviceTraits[service]
  return { ...traits[error], message: defaultMessages[error] }
}

const matches = (matcher: EntryMatcher, entry: EntryView): boolean => {
  if (typeof matcher === "function") return matcher(entry)
  for (const [key, expected] of Object.entries(matcher)) {
    const actual = key === "target" ? entry.target : key === "id" ? entry.id : entry.fields[key]
    if (actual !== expected) return false
  }
  return true
}

/**
 * The fault plan of one emulator. Every random decision comes from one PRNG seeded at start, so a
 * run with the same seed and the same request order sees the same faults.
 */
export class Faults {
  readonly #seed: number
  #random: SeededRandom
  #active: ActiveFault[] = []

  constructor(seed: number, faults: readonly Fault[] = []) {
    this.#seed = seed
    this.#random = new SeededRandom(seed)
    this.set(faults)
  }

  /** Replaces all faults. */
  set(faults: Fault | readonly Fault[]): void {
    const list: readonly Fault[] = Array.isArray(faults) ? faults : [faults as Fault]
    for (const fault of list) validateFault(fault)
    this.#active = list.map((fault) => ({ fault, fired: 0, step: 0 }))
  }

  add(fault: Fault): void {
    validateFault(fault)
    this.#active.push({ fault, fired: 0, step: 0 })
  }

  /** Removes every fault, or only those that apply to `service`. */
  clear(service?: ServiceName): void {
    this.#active = service === undefined ? [] : this.#active.filter((a) => !appliesTo(a.fault, service))
  }

  list(): readonly Fault[] {
    return this.#active.map((a) => a.fault)
  }

  /** Restarts the PRNG from the seed. */
  reseed(seed = this.#seed): void {
    this.#random = new SeededRandom(seed)
  }

  #fires(active: ActiveFault, rate: number | undefined, times: number | undefined): boolean {
    if (times !== undefined && active.fired >= times) return false
    const hit = rate === undefined || rate >= 1 ? true : rate <= 0 ? false : this.#random.next() < rate
    if (hit) active.fired++
    return hit
  }

  /** @internal Decides latency, dropping and whole-request errors for one request. */
  decideRequest(service: ServiceName): RequestFaultDecision {
    let latencyMs = 0
    let drop: RequestFaultDecision["drop"]
    let error: ServiceError | undefined
    for (const active of this.#active) {
      const { fault } = active
      if (!appliesTo(fault, service)) continue
      switch (fault.type) {
        case "latency":
          if (this.#fires(active, fault.rate, undefined)) {
            latencyMs +=
              typeof fault.ms === "number"
                ? fault.ms
                : fault.ms[0] + this.#random.next() * (fault.ms[1] - fault.ms[0])
          }
          break
        case "dropConnection":
          if (drop === undefined && this.#fires(active, fault.rate, fault.times)) {
            drop = { afterStore: fault.afterStore ?? false }
          }
          break
        case "requestError":
          if (error === undefined && this.#fires(active, fault.rate, fault.times)) {
            error = resolveRequestError(service, fault.error)
          }
          break
        case "requestSequence": {
          if (active.step >= fault.sequence.length) {
            if (fault.loop !== true || fault.sequence.length === 0) break
            active.step = 0
          }
          const step = fault.sequence[active.step++]
          if (error === undefined && step !== undefined && step !== "ok") {
            active.fired++
            error = resolveRequestError(service, step)
          }
          break
        }
        case "entryError":
          break
      }
    }
    return { latencyMs, ...(drop === undefined ? {} : { drop }), ...(error === undefined ? {} : { error }) }
  }

  /** @internal The injected failure for one entry, if any. */
  decideEntry(entry: EntryView): EntryFault | undefined {
    for (const active of this.#active) {
      const { fault } = active
      if (fault.type !== "entryError" || !appliesTo(fault, entry.service)) continue
      if (fault.match !== undefined && !matches(fault.match, entry)) continue
      if (!this.#fires(active, fault.rate, fault.times)) continue
      const code = fault.code ?? serviceTraits[entry.service].defaultEntryErrorCode
      const statusCode = fault.statusCode ?? 500
      return {
        code,
        message: fault.message ?? `${code} (injected by the emulator)`,
        statusCode,
        senderFault: fault.senderFault ?? statusCode < 500,
      }
    }
    return undefined
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/**
 * The longest delay a Node timer keeps: a longer one fires after 1 ms (with a warning), so a
 * latency fault above it would silently become no latency at all.
 */
export const maxLatencyMs = 2 ** 31 - 1

const isDelayMs = (ms: unknown): ms is number => typeof ms === "number" && ms >= 0 && ms <= maxLatencyMs

const faultTypes = new Set(["requestError", "requestSequence", "entryError", "latency", "dropConnection"])
const errorKinds = new Set(["throttling", "internal", "unavailable"])

const checkRequestError = (value: unknown, where: string): void => {
  if (typeof value === "string" && errorKinds.has(value)) return
  if (isRecord(value) && typeof value.code === "string" && Number.isInteger(value.status)) return
  throw new TypeError(`${where} must be "throttling", "internal", "unavailable" or { code, status }`)
}

const checkRate = (value: unknown): void => {
  if (value !== undefined && (typeof value !== "number" || !(value >= 0 && value <= 1))) {
    throw new TypeError("rate must be a number between 0 and 1")
  }
}

/** Checks a fault, e.g. one that arrived as JSON over the admin route; throws a TypeError if malformed. */
export const validateFault: (value: unknown) => asserts value is Fault = (value) => {
  if (!isRecord(value) || typeof value.type !== "string" || !faultTypes.has(value.type)) {
    throw new TypeError(`fault.type must be one of ${[...faultTypes].join(", ")}`)
  }
  const service = value.service
  if (
    service !== undefined &&
    !isServiceName(service) &&
    !(Array.isArray(service) && service.every((s) => isServiceName(s)))
  ) {
    throw new TypeError(`fault.service must be one of ${serviceNames.join(", ")} (or a list of them)`)
  }
  checkRate(value.rate)
  if (value.times !== undefined && !(Number.isInteger(value.times) && (value.times as number) >= 0)) {
    throw new TypeError("times must be a non-negative integer")
  }
  switch (value.type) {
    case "requestError":
      checkRequestError(value.error, "error")
      break
    case "requestSequence":
      if (!Array.isArray(value.sequence)) throw new TypeError("sequence must be an array")
      for (const step of value.sequence) if (step !== "ok") checkRequestError(step, "each sequence step")
      break
    case "latency": {
      const ms = value.ms
      const valid =
        isDelayMs(ms) ||
        (Array.isArray(ms) && ms.length === 2 && isDelayMs(ms[0]) && isDelayMs(ms[1]) && ms[1] >= ms[0])
      if (!valid) {
        throw new TypeError(
          `ms must be a number of milliseconds from 0 to ${maxLatencyMs} (Node's timer limit), or a [min, max] range of such numbers`,
        )
      }
      break
    }
    case "entryError":
      if (value.senderFault !== undefined && typeof value.senderFault !== "boolean") {
        throw new TypeError("senderFault must be a boolean")
      }
      if (value.match !== undefined && typeof value.match !== "function" && !isRecord(value.match)) {
        throw new TypeError("match must be a function or an object of field values")
      }
      break
  }
}
