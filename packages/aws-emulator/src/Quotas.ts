import { isServiceName, type ServiceName, serviceNames } from "./Service.ts"

/**
 * A request-rate quota as AWS enforces it: a token bucket per operation (each emulated service has
 * one operation). A request takes a token; beyond the bucket it is answered with the service's own
 * throttling error, and a refused request takes nothing.
 */
export interface RequestQuota {
  /** Requests per second the bucket refills with. */
  readonly rate: number
  /** Bucket size: requests that may go at once after a quiet spell. */
  readonly burst: number
}

/** Quotas by service (operation); services without one are not limited. */
export type RequestQuotas = Readonly<Partial<Record<ServiceName, RequestQuota>>>

interface Bucket {
  readonly quota: RequestQuota
  tokens: number
  /** Clock time (ms) the tokens were counted at. */
  countedAt: number
}

/**
 * The request-rate quotas of one emulator. Time is read from the emulator's clock (milliseconds,
 * `performance.now` unless the emulator was given another), so a test clock makes every decision
 * deterministic. Buckets start full.
 */
export class Quotas {
  readonly #now: () => number
  #initial: RequestQuotas
  #buckets = new Map<ServiceName, Bucket>()

  constructor(quotas: RequestQuotas = {}, now: () => number = () => performance.now()) {
    this.#now = now
    this.#initial = quotas
    this.set(quotas)
  }

  /** Replaces every quota; the new buckets start full. */
  set(quotas: RequestQuotas): void {
    validateQuotas(quotas)
    const now = this.#now()
    this.#buckets = new Map()
    for (const service of serviceNames) {
      const quota = quotas[service]
      if (quota !== undefined) this.#buckets.set(service, { quota, tokens: quota.burst, countedAt: now })
    }
  }

  list(): RequestQuotas {
    return Object.fromEntries([...this.#buckets].map(([service, bucket]) => [service, bucket.quota]))
  }

  /** Restores the starting quotas, with full buckets. */
  reset(): void {
    this.set(this.#initial)
  }

  /** @internal Takes a token for one request; false when the quota is used up (throttle it). */
  admit(service: ServiceName): boolean {
    const bucket = this.#buckets.get(service)
    if (bucket === undefined) return true
    const now = this.#now()
    const { rate, burst } = bucket.quota
    bucket.tokens = Math.min(burst, bucket.tokens + (Math.max(0, now - bucket.countedAt) * rate) / 1000)
    bucket.countedAt = now
    if (bucket.tokens < 1) return false
    bucket.tokens -= 1
    return true
  }
}

const isPositive = (value: unknown): value is number =>
  typeof value === "number" && Number.isFinite(value) && value > 0

/** Checks quotas, e.g. ones that arrived as JSON over the admin route; throws a TypeError if malformed. */
export const validateQuotas: (value: unknown) => asserts value is RequestQuotas = (value) => {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TypeError("quotas must be an object of { rate, burst } by service")
  }
  for (const [service, quota] of Object.entries(value)) {
    if (!isServiceName(service)) {
      throw new TypeError(`quotas.${service}: the service must be one of ${serviceNames.join(", ")}`)
    }
    if (quota === undefined) continue
    const { rate, burst } = (quota ?? {}) as Record<string, unknown>
    if (!isPositive(rate))
      throw new TypeError(`quotas.${service}.rate must be a positive number of requests/s`)
    if (!(Number.isInteger(burst) && (burst as number) >= 1)) {
      throw new TypeError(`quotas.${service}.burst must be an integer of at least 1`)
    }
  }
}
