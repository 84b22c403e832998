import type { ServiceName } from "./Service.ts"

/** One request as the emulator saw it. Bodies and headers are never kept (they carry signatures). */
export interface RequestRecord {
  readonly requestId: string
  readonly method: string
  /** The path without the query string. */
  readonly path: string
  /** `undefined` when the request matched no service. */
  readonly service: ServiceName | undefined
  /** The status sent, or `"dropped"` when a fault destroyed the connection instead. */
  readonly status: number | "dropped"
  /** The error code of a whole-request error. */
  readonly errorCode?: string
  readonly entryCount: number
  readonly failedEntryCount: number
  /** Which fault, if any, shaped this response. */
  readonly fault?: string
  readonly startedAt: Date
  readonly durationMs: number
}

export interface RequestCounts {
  readonly total: number
  readonly byService: Readonly<Record<string, number>>
  readonly byStatus: Readonly<Record<string, number>>
  readonly entries: number
  readonly failedEntries: number
}

/**
 * The most recent requests, in a fixed-size ring buffer so a long benchmark does not grow memory;
 * the counts cover every request since the last clear.
 */
export class RequestLog {
  readonly limit: number
  #ring: RequestRecord[] = []
  #next = 0
  #total = 0
  #entries = 0
  #failedEntries = 0
  #byService = new Map<string, number>()
  #byStatus = new Map<string, number>()

  constructor(limit = 1000) {
    if (!Number.isInteger(limit) || limit < 0)
      throw new RangeError("requestLogLimit must be a non-negative integer")
    this.limit = limit
  }

  /** @internal */
  record(record: RequestRecord): void {
    this.#total++
    this.#entries += record.entryCount
    this.#failedEntries += record.failedEntryCount
    const service = record.service ?? "unknown"
    this.#byService.set(service, (this.#byService.get(service) ?? 0) + 1)
    const status = String(record.status)
    this.#byStatus.set(status, (this.#byStatus.get(status) ?? 0) + 1)
    if (this.limit === 0) return
    if (this.#ring.length < this.limit) this.#ring.push(record)
    else this.#ring[this.#next] = record
    this.#next = (this.#next + 1) % this.limit
  }

  /** The kept records, oldest first. */
  list(): readonly RequestRecord[] {
    if (this.#ring.length < this.limit) return [...this.#ring]
    return [...this.#ring.slice(this.#next), ...this.#ring.slice(0, this.#next)]
  }

  counts(): RequestCounts {
    return {
      total: this.#total,
      byService: Object.fromEntries(this.#byService),
      byStatus: Object.fromEntries(this.#byStatus),
      entries: this.#entries,
      failedEntries: this.#failedEntries,
    }
  }

  clear(): void {
    this.#ring = []
    this.#next = 0
    this.#total = 0
    this.#entries = 0
    this.#failedEntries = 0
    this.#byService = new Map()
    this.#byStatus = new Map()
  }
}
