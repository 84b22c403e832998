/**
 * Packing for the engine's ordered mode: entries go into requests in input order, and the requests
 * that carry one ordering key are handed out in the order of that key's entries, so the
 * destination's gate (KeyGate.ts) can send them one at a time in that order.
 *
 * Each batch key has a chain of open requests, handed out from the front only. An entry joins the
 * first request with room at or after the one holding its key's previous entry (`perKey`), or
 * strictly after it (`strict`: at most one entry per key in a request); an entry without a key
 * joins the first with room. An entry whose key's previous entry waits in another batch key's
 * chain first hands out that chain up to it. So, for every key, the requests that carry it are
 * handed out in its input order, and inside a request its entries keep their input order.
 *
 * It packs in input order (first fit along the chain, no sorting), so byte-bound input may take a
 * few more requests than the unordered packer's; count-bound input takes the same number.
 */
import type { AdapterLimits } from "../Adapter.ts"
import type { PackedBatch, PackItem, PackRejection } from "../Packing.ts"

interface OpenRequest<T> {
  readonly items: Array<T>
  readonly chain: Chain<T>
  /** Position in its chain since the chain began: later requests have larger numbers. */
  readonly seq: number
  bytes: number
  /** Ids in the request, made when an entry's id is not unique by construction. */
  ids: Set<string> | undefined
}

interface Chain<T> {
  readonly key: string | undefined
  /** Open requests, oldest first; `requests[i].seq === first + i`. */
  readonly requests: Array<OpenRequest<T>>
  first: number
}

export class OrderedPacker<T extends PackItem> {
  private readonly maxEntries: number
  private readonly room: number
  private readonly maxEntryBytes: number
  private readonly overhead: number
  private readonly maxOpenItems: number
  private readonly chains = new Map<string | undefined, Chain<T>>()
  /** The open request holding each ordering key's latest entry. */
  private readonly lastOf = new Map<string, OpenRequest<T>>()
  private openItems = 0

  constructor(
    limits: AdapterLimits,
    windowSize: number,
    /** At most one entry per ordering key in a request. */
    private readonly strict: boolean,
  ) {
    this.maxEntries = limits.maxEntries
    this.overhead = limits.requestOverheadBytes ?? 0
    this.room = limits.maxRequestBytes - this.overhead
    this.maxEntryBytes = limits.maxEntryBytes
    this.maxOpenItems = Math.max(windowSize, limits.maxEntries)
  }

  /** Same contract as `BatchPacker.pack`. */
  pack(
    window: ReadonlyArray<T>,
    final: boolean,
    emit: (batch: PackedBatch<T>) => void,
    reject: (rejection: PackRejection<T>) => void,
  ): void {
    for (let i = 0; i < window.length; i++) {
      const item = window[i]!
      if (item.bytes > this.maxEntryBytes)
        reject({ item, rule: "maxEntryBytes", bytes: item.bytes, limit: this.maxEntryBytes })
      else if (item.bytes > this.room)
        reject({ item, rule: "maxRequestBytes", bytes: item.bytes, limit: this.room })
      else this.place(item, emit)
    }
    if (final) this.drain(emit)
    // Keeps carried-over requests to about one window: chain fronts go first.
    else
      while (this.openItems > this.maxOpenItems) {
        const chain = this.chains.values().next().value
        if (chain === undefined) break
        this.emitUpTo(chain, chain.first, emit)
      }
  }

  /** Hands out every open request, each chain front to back. */
  drain(emit: (batch: PackedBatch<T>) => void): void {
    for (const chain of this.chains.values())
      this.emitUpTo(chain, chain.first + chain.requests.length - 1, emit)
    this.chains.clear()
    this.lastOf.clear()
    this.openItems = 0
  }

  private place(item: T, emit: (batch: PackedBatch<T>) => void) {
    const key = item.orderingKey
    let chain = this.chains.get(item.batchKey)
    let from = 0
    if (key !== undefined) {
      const last = this.lastOf.get(key)
      if (last !== undefined) {
        if (last.chain === chain) from = last.seq - chain.first + (this.strict ? 1 : 0)
        // The key's previous entry waits in another batch key's chain: that request goes first.
        else this.emitUpTo(last.chain, last.seq, emit)
      }
    }
    if (chain === undefined) {
      chain = { key: item.batchKey, requests: [], first: 0 }
      this.chains.set(item.batchKey, chain)
    }
    const request = this.requestWithRoom(chain, from, item)
    request.items.push(item)
    request.bytes += item.bytes
    if (item.uniqueId !== true) {
      if (request.ids === undefined) request.ids = new Set()
      request.ids.add(item.id)
    }
    if (key !== undefined) this.lastOf.set(key, request)
    this.openItems++
    // Full requests at the front of the chain go out at once.
    while (chain.requests.length > 0 && chain.requests[0]!.items.length >= this.maxEntries)
      this.emitUpTo(chain, chain.first, emit)
  }

  private requestWithRoom(chain: Chain<T>, from: number, item: T): OpenRequest<T> {
    const requests = chain.requests
    for (let i = from; i < requests.length; i++) {
      const r = requests[i]!
      if (r.items.length >= this.maxEntries || r.bytes + item.bytes > this.room) continue
      if (item.uniqueId !== true && r.ids?.has(item.id) === true) continue
      return r
    }
    const r: OpenRequest<T> = {
      items: [],
      chain,
      seq: chain.first + requests.length,
      bytes: 0,
      ids: undefined,
    }
    requests.push(r)
    return r
  }

  /** Hands out the chain's requests from its front up to and including number `seq`. */
  private emitUpTo(chain: Chain<T>, seq: number, emit: (batch: PackedBatch<T>) => void) {
    while (chain.requests.length > 0 && chain.first <= seq) {
      const r = chain.requests.shift()!
      chain.first++
      this.openItems -= r.items.length
      for (const item of r.items) {
        const key = item.orderingKey
        if (key !== undefined && this.lastOf.get(key) === r) this.lastOf.delete(key)
      }
      emit({ items: r.items, batchKey: chain.key, bytes: this.overhead + r.bytes })
    }
    if (chain.requests.length === 0) this.chains.delete(chain.key)
  }
}

/** Packs entries in order, whole input at once (the dead-letter destination's form). */
export const packInOrder = <T extends PackItem>(
  items: ReadonlyArray<T>,
  limits: AdapterLimits,
  strict: boolean,
): { batches: Array<PackedBatch<T>>; rejected: Array<PackRejection<T>> } => {
  const packer = new OrderedPacker<T>(limits, Math.max(1, items.length), strict)
  const batches: Array<PackedBatch<T>> = []
  const rejected: Array<PackRejection<T>> = []
  packer.pack(
    items,
    true,
    (b) => batches.push(b),
    (r) => rejected.push(r),
  )
  return { batches, rejected }
}
