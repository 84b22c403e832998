/**
 * Packing encoded entries into requests under every limit of a destination: entries per request,
 * bytes per request (`requestOverheadBytes + Σ bytes`, the adapter's own size rule) and bytes per
 * entry. Entries with different batch keys never share a request; no request carries two entries
 * with the same id. Bins are filled first-fit-decreasing over a bounded window of pending entries,
 * so memory stays bounded on streams while byte-bound input packs within a few percent of optimal.
 */
import type { AdapterLimits } from "./Adapter.ts"

/** What the packer needs to know about an entry. */
export interface PackItem {
  /** Size of the entry by the destination's size rule. */
  readonly bytes: number
  /** The id the destination sees (sent id, or event id). Two equal ids never share a request. */
  readonly id: string
  readonly batchKey?: string | undefined
  /** The id is unique by construction (generated), so duplicate checks can skip it. */
  readonly uniqueId?: boolean | undefined
}

/** One request's entries. */
export interface PackedBatch<T> {
  readonly items: ReadonlyArray<T>
  readonly batchKey: string | undefined
  /** Request size: `requestOverheadBytes` plus the entries' bytes. */
  readonly bytes: number
}

/** An entry that no request can carry. */
export interface PackRejection<T> {
  readonly item: T
  /** `maxEntryBytes`: larger than one entry may be; `maxRequestBytes`: does not fit an empty request. */
  readonly rule: "maxEntryBytes" | "maxRequestBytes"
  /** The entry's size. */
  readonly bytes: number
  /** The limit it broke: `maxEntryBytes`, or the room of an empty request (`maxRequestBytes - requestOverheadBytes`). */
  readonly limit: number
}

export interface PackResult<T> {
  readonly batches: ReadonlyArray<PackedBatch<T>>
  readonly rejected: ReadonlyArray<PackRejection<T>>
}

export interface PackOptions {
  /** Entries sorted and binned together. Default {@link defaultPackWindow}. */
  readonly windowSize?: number
}

/** Default window of pending entries the packer sorts together. */
export const defaultPackWindow = 4096

interface Bin<T> {
  readonly key: string | undefined
  readonly items: Array<T>
  /** Ids in the bin, kept only while the window has duplicate ids. */
  ids: Set<string> | undefined
  bytes: number
}

const byBytesDescending = (a: PackItem, b: PackItem) => b.bytes - a.bytes

/**
 * A streaming packer: feed it windows of entries, it hands out full requests and keeps the
 * partly filled ones (at most about one window of entries) for the next window to top up.
 * `packBatches` is the pure, whole-input form.
 */
export class BatchPacker<T extends PackItem> {
  private readonly maxEntries: number
  private readonly room: number
  private readonly maxEntryBytes: number
  private readonly overhead: number
  private readonly maxOpenItems: number
  private readonly open = new Map<string | undefined, Array<Bin<T>>>()
  private openItems = 0
  private readonly seenIds = new Set<string>()

  constructor(limits: AdapterLimits, windowSize: number = defaultPackWindow) {
    this.maxEntries = limits.maxEntries
    this.overhead = limits.requestOverheadBytes ?? 0
    this.room = limits.maxRequestBytes - this.overhead
    this.maxEntryBytes = limits.maxEntryBytes
    // Partly filled requests carried between windows never hold more than one window's entries.
    this.maxOpenItems = Math.max(windowSize, limits.maxEntries)
  }

  /**
   * Bins one window of entries. Full requests go to `emit`; with `final`, every partly filled
   * request goes too. Entries no request can carry go to `reject`.
   */
  pack(
    window: ReadonlyArray<T>,
    final: boolean,
    emit: (batch: PackedBatch<T>) => void,
    reject: (rejection: PackRejection<T>) => void,
  ): void {
    // Group by batch key without allocating when every entry has the same key (the usual case).
    let groups: Map<string | undefined, Array<T>> | undefined
    let single: Array<T> | undefined
    let singleKey: string | undefined
    for (let i = 0; i < window.length; i++) {
      const item = window[i]!
      if (item.bytes > this.maxEntryBytes) {
        reject({ item, rule: "maxEntryBytes", bytes: item.bytes, limit: this.maxEntryBytes })
        continue
      }
      if (item.bytes > this.room) {
        reject({ item, rule: "maxRequestBytes", bytes: item.bytes, limit: this.room })
        continue
      }
      const key = item.batchKey
      if (groups === undefined) {
        if (single === undefined) {
          single = [item]
          singleKey = key
          continue
        }
        if (key === singleKey) {
          single.push(item)
          continue
        }
        groups = new Map([[singleKey, single]])
      }
      const group = groups.get(key)
      if (group === undefined) groups.set(key, [item])
      else group.push(item)
    }
    if (groups !== undefined) for (const [key, group] of groups) this.binGroup(key, group, emit)
    else if (single !== undefined) this.binGroup(singleKey, single, emit)

    if (final) this.drain(emit)
    else this.trimOpen(emit)
  }

  /** Hands out every partly filled request. */
  drain(emit: (batch: PackedBatch<T>) => void): void {
    for (const bins of this.open.values()) for (const bin of bins) emit(this.toBatch(bin))
    this.open.clear()
    this.openItems = 0
  }

  private binGroup(key: string | undefined, group: Array<T>, emit: (batch: PackedBatch<T>) => void) {
    let bins = this.open.get(key)
    if (bins === undefined) {
      bins = []
      this.open.set(key, bins)
    }
    const maxEntries = this.maxEntries
    const room = this.room
    let largest = 0
    let smallest = Number.POSITIVE_INFINITY
    for (let i = 0; i < group.length; i++) {
      const b = group[i]!.bytes
      if (b > largest) largest = b
      if (b < smallest) smallest = b
    }
    // When even the largest entries cannot fill a request by bytes, the count bounds every request
    // and input order packs as tightly as any order: skip the sort.
    if (largest * maxEntries > room) group.sort(byBytesDescending)
    const checkIds = this.hasDuplicateIds(group, bins)
    for (let i = 0; i < group.length; i++) {
      const item = group[i]!
      let bin: Bin<T> | undefined
      let at = 0
      for (; at < bins.length; at++) {
        const candidate = bins[at]!
        if (candidate.bytes + item.bytes <= room && !(checkIds && this.idsOf(candidate).has(item.id))) {
          bin = candidate
          break
        }
      }
      if (bin === undefined) {
        bin = { key, items: [], ids: checkIds ? new Set() : undefined, bytes: 0 }
        bins.push(bin)
      }
      bin.items.push(item)
      bin.ids?.add(item.id)
      bin.bytes += item.bytes
      this.openItems++
      // Close a request once nothing left in this window can join it.
      if (bin.items.length >= maxEntries || room - bin.bytes < smallest) {
        bins.splice(at, 1)
        this.openItems -= bin.items.length
        emit(this.toBatch(bin))
      }
    }
    for (const bin of bins) bin.ids = undefined
    if (bins.length === 0) this.open.delete(key)
  }

  /** Whether two entries of the window, or of the window and a carried request, share an id. */
  private hasDuplicateIds(group: ReadonlyArray<T>, bins: ReadonlyArray<Bin<T>>): boolean {
    const seen = this.seenIds
    seen.clear()
    for (const bin of bins) for (const item of bin.items) if (item.uniqueId !== true) seen.add(item.id)
    let duplicates = false
    for (let i = 0; i < group.length; i++) {
      const item = group[i]!
      if (item.uniqueId === true) continue
      const id = item.id
      if (seen.has(id)) {
        duplicates = true
        break
      }
      seen.add(id)
    }
    seen.clear()
    return duplicates
  }

  private idsOf(bin: Bin<T>): Set<string> {
    if (bin.ids === undefined) bin.ids = new Set(bin.items.map((i) => i.id))
    return bin.ids
  }

  /** Keeps carried-over requests to about one window: the fullest go first. */
  private trimOpen(emit: (batch: PackedBatch<T>) => void) {
    if (this.openItems <= this.maxOpenItems) return
    const all: Array<Bin<T>> = []
    for (const bins of this.open.values()) all.push(...bins)
    all.sort(
      (a, b) =>
        b.bytes / this.room +
        b.items.length / this.maxEntries -
        (a.bytes / this.room + a.items.length / this.maxEntries),
    )
    const sent = new Set<Bin<T>>()
    for (const bin of all) {
      if (this.openItems <= this.maxOpenItems) break
      sent.add(bin)
      this.openItems -= bin.items.length
      emit(this.toBatch(bin))
    }
    for (const [key, bins] of this.open) {
      const kept = bins.filter((b) => !sent.has(b))
      if (kept.length === 0) this.open.delete(key)
      else this.open.set(key, kept)
    }
  }

  private toBatch(bin: Bin<T>): PackedBatch<T> {
    return { items: bin.items, batchKey: bin.key, bytes: this.overhead + bin.bytes }
  }
}

/**
 * Packs entries into requests under the adapter's limits (pure: the input is not changed).
 * Count-bound input takes exactly `ceil(n / maxEntries)` requests; byte-bound input stays close to
 * `ceil(totalBytes / room)` because each window is binned first-fit-decreasing and partly filled
 * requests carry over to the next window. Entries that no request can carry are `rejected`.
 */
export const packBatches = <T extends PackItem>(
  items: Iterable<T>,
  limits: AdapterLimits,
  options: PackOptions = {},
): PackResult<T> => {
  const windowSize = options.windowSize ?? defaultPackWindow
  const packer = new BatchPacker<T>(limits, windowSize)
  const batches: Array<PackedBatch<T>> = []
  const rejected: Array<PackRejection<T>> = []
  const emit = (batch: PackedBatch<T>) => {
    batches.push(batch)
  }
  const reject = (rejection: PackRejection<T>) => {
    rejected.push(rejection)
  }
  let window: Array<T> = []
  for (const item of items) {
    window.push(item)
    if (window.length >= windowSize) {
      packer.pack(window, false, emit, reject)
      window = []
    }
  }
  packer.pack(window, true, emit, reject)
  return { batches, rejected }
}
