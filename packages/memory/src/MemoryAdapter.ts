/**
 * `memory()`: a destination that lives in the process, for users' unit tests and benchmarks. It
 * checks every request against its limits as a real destination would, records what it accepted,
 * and fails on cue (see {@link MemoryFaults}).
 */
import {
  type Adapter,
  type Batch,
  checkJsonTree,
  checkOptionNames,
  type DeliveryError,
  defineAdapter,
  deliveryError,
  type EntryResult,
  type Event,
  encoded,
  entryFailed,
  entryOk,
  type OptionNames,
  rejected,
  type SendResult,
  violation,
} from "@eventport/core"
import * as Effect from "effect/Effect"
import { MemoryFaults, type RequestPlan } from "./MemoryFaults.ts"
import { cloudEventJsonBytes, defaultMemoryLimits, type MemoryLimits } from "./MemoryLimits.ts"

export interface MemoryOptions {
  /** The adapter's kind, as spans and metrics name it. Default `memory`. */
  readonly kind?: string
  /** Limits, merged over {@link defaultMemoryLimits}; e.g. `memoryLimits.eventBridge`. */
  readonly limits?: Partial<MemoryLimits>
  /** Entries with different keys never share a request; the destination fails an entry sent under another key. */
  readonly batchKey?: (event: Event) => string | undefined
  /**
   * The ordering key of each event's entry (as a Kinesis partition key or a FIFO message group
   * would be), for publishers with `ordering: "perKey"` or `"strict"`. Default: none.
   */
  readonly orderingKey?: (event: Event) => string | undefined
  /**
   * What to keep: `true` (default) every request and every accepted event; `"count"` only the
   * counts (`count`, `requestCount`); `false` nothing. Use `"count"` or `false` for long runs.
   */
  readonly record?: boolean | "count"
  /** Stop keeping requests once this many entries are held (counts go on; `truncated` turns true). */
  readonly maxRecordedEntries?: number
  /**
   * Check each request against the limits as a destination does (too many entries or bytes fail
   * the request; an over-size entry fails alone). Default true. Turning it off saves measuring twice.
   */
  readonly enforceLimits?: boolean
  /** Give each accepted entry a receipt `<kind>-<n>` (n counts acceptances from 1). Default false. */
  readonly receipts?: boolean
}

/** One request as the memory destination saw it. */
export interface MemoryRequest {
  /** 1 for the first request since creation or `reset()`, in arrival order. */
  readonly sequence: number
  /** The engine's attempt number for the batch (1 = first send). */
  readonly attempt: number
  readonly batchKey: string | undefined
  readonly entries: ReadonlyArray<Event>
  /** Entries the destination kept (all `ok` entries; every passing entry of an applied-then-failed request). */
  readonly accepted: ReadonlyArray<Event>
  /** Per-entry answers, index-aligned with `entries`, when the request was answered. */
  readonly results?: ReadonlyArray<EntryResult>
  /** The whole-request error, when the request failed. */
  readonly error?: DeliveryError
  /** The request never answered (a scripted stall); the engine's timeout ended it. */
  readonly stalled?: true
}

/** One accepted entry, with the request that carried it. */
export interface MemoryEntry {
  readonly event: Event
  readonly batchKey: string | undefined
  /** `sequence` of the request that delivered it. */
  readonly request: number
  readonly attempt: number
}

/** The memory destination: an {@link Adapter} plus what it received and its fault script. */
export interface MemoryAdapter extends Adapter<Event> {
  /** Events the destination accepted, in order; a re-delivered event (unknown outcome, retry) appears twice. */
  readonly received: ReadonlyArray<Event>
  /** Accepted events, optionally only those matching `predicate` (a copy). */
  events(predicate?: (event: Event) => boolean): Array<Event>
  /** Accepted entries with their request's sequence, attempt and batch key. */
  entries(): Array<MemoryEntry>
  /** Every request that reached the destination, failed ones included, in arrival order. */
  readonly requests: ReadonlyArray<MemoryRequest>
  /** The first accepted event matching `predicate`. */
  find(predicate: (event: Event) => boolean): Event | undefined
  /** Accepted entries (kept in every record mode but `false`). */
  readonly count: number
  /** Requests that reached the destination (kept in every record mode but `false`). */
  readonly requestCount: number
  /** True once `maxRecordedEntries` stopped the recording. */
  readonly truncated: boolean
  /** The limits the destination enforces (the same object as `limits`, with its size rule). */
  readonly memoryLimits: Required<Pick<MemoryLimits, "entryBytes">> & MemoryLimits
  /** The fault script. */
  readonly faults: MemoryFaults
  /** Forgets everything received and every scripted fault. */
  reset(): void
}

// One shared answer for every accepted entry without a receipt: no allocation per entry.
const ok: EntryResult = entryOk()

/** Every option's name, held to {@link MemoryOptions} by the compiler: `memory` refuses any other. */
const memoryOptionNames = {
  kind: true,
  limits: true,
  batchKey: true,
  orderingKey: true,
  record: true,
  maxRecordedEntries: true,
  enforceLimits: true,
  receipts: true,
} as const satisfies OptionNames<MemoryOptions>

/** Every limit's name, held to {@link MemoryLimits} likewise. */
const memoryLimitNames = {
  maxEntries: true,
  maxRequestBytes: true,
  maxEntryBytes: true,
  requestOverheadBytes: true,
  entryBytes: true,
} as const satisfies OptionNames<MemoryLimits>

const checkOptions = (options: MemoryOptions) => {
  checkOptionNames("memory", options, memoryOptionNames)
  if (options.limits !== undefined) checkOptionNames("memory", options.limits, memoryLimitNames, "limits")
  const max = options.maxRecordedEntries
  if (max !== undefined && !(Number.isInteger(max) && max >= 0))
    throw new RangeError(`memory: maxRecordedEntries must be a non-negative integer, got ${max}`)
}

/** Makes an in-memory destination. */
export const memory = (options: MemoryOptions = {}): MemoryAdapter => {
  checkOptions(options)
  const kind = options.kind ?? "memory"
  const { entryBytes: measure, ...limits } = { ...defaultMemoryLimits, ...options.limits }
  const entryBytes = measure ?? cloudEventJsonBytes
  const overhead = limits.requestOverheadBytes ?? 0
  const batchKeyOf = options.batchKey
  const orderingKeyOf = options.orderingKey
  const recordMode = options.record ?? true
  const recordAll = recordMode === true
  const counting = recordMode !== false
  const maxRecorded = options.maxRecordedEntries ?? Number.POSITIVE_INFINITY
  const enforce = options.enforceLimits ?? true
  const receipts = options.receipts ?? false
  const faults = new MemoryFaults()

  let received: Array<Event> = []
  let requests: Array<MemoryRequest> = []
  let recordedEntries = 0
  let truncated = false
  let count = 0
  let requestCount = 0
  let sequence = 0
  let receiptSeq = 0

  const encode = (event: Event) => {
    let bytes: number
    try {
      bytes = entryBytes(event)
    } catch (error) {
      // Data too deep for JSON.stringify's recursion is rejected by core's depth rule (rule
      // `maxDepth`, the depth and the limit named), as every adapter that serializes data does;
      // any other size rule that cannot measure the event rejects it, naming why.
      const tooDeep = event.data instanceof Uint8Array ? undefined : checkJsonTree(event.data, "data")
      return rejected(
        tooDeep ??
          violation(
            "data",
            "json",
            `cannot be measured as JSON: ${(error as Error)?.message ?? String(error)}`,
          ),
      )
    }
    if (batchKeyOf === undefined && orderingKeyOf === undefined) return encoded(event, bytes)
    return encoded(event, bytes, { batchKey: batchKeyOf?.(event), orderingKey: orderingKeyOf?.(event) })
  }

  /** Counts a request and, when recording, keeps it (built only then: no copies in count mode). */
  const record = (accepted: number, entries: number, build: () => MemoryRequest) => {
    if (counting) {
      requestCount++
      count += accepted
    }
    if (!recordAll || truncated) return
    if (recordedEntries + entries > maxRecorded) {
      truncated = true
      return
    }
    const req = build()
    recordedEntries += entries
    requests.push(req)
    for (const event of req.accepted) received.push(event)
  }

  const requestError = (batch: Batch<Event>): DeliveryError | undefined => {
    const n = batch.entries.length
    if (n > limits.maxEntries)
      return deliveryError("InvalidRequest", {
        rawCode: "MemoryTooManyEntries",
        rawMessage: `request carries ${n} entries; the limit is ${limits.maxEntries}`,
      })
    if (limits.maxRequestBytes === Number.POSITIVE_INFINITY) return undefined
    let total = overhead
    for (const event of batch.entries) total += entryBytes(event)
    if (total > limits.maxRequestBytes)
      return deliveryError("PayloadTooLarge", {
        rawCode: "MemoryRequestTooLarge",
        rawMessage: `request is ${total} bytes; the limit is ${limits.maxRequestBytes}`,
      })
    return undefined
  }

  const entryError = (event: Event, batch: Batch<Event>): DeliveryError | undefined => {
    if (enforce) {
      const bytes = entryBytes(event)
      if (bytes > limits.maxEntryBytes)
        return deliveryError("PayloadTooLarge", {
          rawCode: "MemoryEntryTooLarge",
          rawMessage: `entry is ${bytes} bytes; the limit is ${limits.maxEntryBytes}`,
        })
      if (batchKeyOf !== undefined && batchKeyOf(event) !== batch.batchKey)
        return deliveryError("InvalidRequest", {
          rawCode: "MemoryBatchKeyMismatch",
          rawMessage: "entry's batch key differs from its request's",
        })
    }
    return faults.hasEntryFaults ? faults.entryError(event, batch.attempt) : undefined
  }

  const answer = (
    batch: Batch<Event>,
    seq: number,
    plan: RequestPlan,
  ): Effect.Effect<SendResult, DeliveryError> => {
    const entries = batch.entries
    const base = { sequence: seq, attempt: batch.attempt, batchKey: batch.batchKey }
    if (enforce) {
      const error = requestError(batch)
      if (error !== undefined) {
        record(0, entries.length, () => ({ ...base, entries: entries.slice(), accepted: [], error }))
        return Effect.fail(error)
      }
    }
    const results: Array<EntryResult> = new Array(entries.length)
    let failures = 0
    for (let i = 0; i < entries.length; i++) {
      const error = entryError(entries[i]!, batch)
      if (error === undefined) results[i] = receipts ? entryOk(`${kind}-${++receiptSeq}`) : ok
      else {
        results[i] = entryFailed(error)
        failures++
      }
    }
    const passed = entries.length - failures
    const acceptedOf = (copy: Array<Event>) => (failures === 0 ? copy : copy.filter((_, i) => results[i]!.ok))
    const { stall, failure } = plan
    if (stall !== undefined) {
      record(stall.apply ? passed : 0, entries.length, () => {
        const copy = entries.slice()
        return { ...base, entries: copy, accepted: stall.apply ? acceptedOf(copy) : [], stalled: true }
      })
      return Effect.never
    }
    if (failure !== undefined) {
      record(failure.apply ? passed : 0, entries.length, () => {
        const copy = entries.slice()
        return {
          ...base,
          entries: copy,
          accepted: failure.apply ? acceptedOf(copy) : [],
          error: failure.error,
        }
      })
      return Effect.fail(failure.error)
    }
    record(passed, entries.length, () => {
      const copy = entries.slice()
      return { ...base, entries: copy, accepted: acceptedOf(copy), results }
    })
    return Effect.succeed(results)
  }

  const adapter = defineAdapter<Event>({
    kind,
    limits,
    encode,
    send: (batch) => {
      const seq = ++sequence
      const plan = faults.planRequest(batch)
      if (plan.latencyMs > 0)
        return Effect.andThen(
          Effect.sleep(plan.latencyMs),
          Effect.suspend(() => answer(batch, seq, plan)),
        )
      return answer(batch, seq, plan)
    },
  })

  const requireRecords = (what: string) => {
    if (!recordAll)
      throw new Error(
        `memory ${kind}: ${what} needs recorded requests, but record is ${JSON.stringify(recordMode)}`,
      )
  }

  return {
    ...adapter,
    get received() {
      requireRecords("received")
      return received
    },
    events: (predicate) => {
      requireRecords("events()")
      return predicate === undefined ? received.slice() : received.filter(predicate)
    },
    entries: () => {
      requireRecords("entries()")
      const out: Array<MemoryEntry> = []
      for (const req of requests)
        for (const event of req.accepted)
          out.push({ event, batchKey: req.batchKey, request: req.sequence, attempt: req.attempt })
      return out
    },
    get requests() {
      requireRecords("requests")
      return requests
    },
    find: (predicate) => {
      requireRecords("find()")
      return received.find(predicate)
    },
    get count() {
      return count
    },
    get requestCount() {
      return requestCount
    },
    get truncated() {
      return truncated
    },
    memoryLimits: { ...limits, entryBytes },
    faults,
    reset: () => {
      received = []
      requests = []
      recordedEntries = 0
      truncated = false
      count = 0
      requestCount = 0
      sequence = 0
      receiptSeq = 0
      faults.clear()
    },
  }
}
