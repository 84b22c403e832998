/**
 * How many inputs the intake reads at a time. A full window lets the packer sort entries by size
 * and fill requests by bytes. But when every entry of a destination is small enough that a request
 * reaches its count limit before its byte limit, packing in input order is already the tightest
 * (the packer itself skips the sort then), and a full window only keeps thousands of events alive
 * at once, encoded and queued: bytes the GC copies at every scavenge, which make V8 grow its young
 * generation (and the process's memory) and cost CPU. Once each destination's last window was
 * count-bound, the intake reads a shallow window instead: a few requests' worth. A window with an
 * entry that could fill a request by bytes brings the full window back.
 */
import type { AdapterLimits } from "../Adapter.ts"
import { boundByCount } from "./CountBound.ts"

/** The fewest inputs of a shallow window, rounded up to whole requests of the largest count limit. */
export const shallowWindowMinimum = 1000

/** What the window needs to know of one destination. */
export interface WindowDestination {
  readonly limits: AdapterLimits
  /** Ordered destinations keep the full window: their packer's grouping by key may need it. */
  readonly ordered: boolean
}

/** Count-bound by the packer's own rule (CountBound.ts). */
const countBound = (limits: AdapterLimits, largestBytes: number): boolean =>
  boundByCount(limits.maxEntries, limits.maxRequestBytes - (limits.requestOverheadBytes ?? 0), largestBytes)

export class IntakeWindow {
  readonly shallow: number
  /** Per destination: its last window with entries was count-bound. Unknown (false) until seen. */
  private readonly bound: Array<boolean>
  /** Destinations whose last window was not count-bound (or not seen yet). */
  private unbound: number

  constructor(
    private readonly destinations: ReadonlyArray<WindowDestination>,
    readonly full: number,
  ) {
    let largestCount = 1
    for (const d of destinations) largestCount = Math.max(largestCount, d.limits.maxEntries)
    this.shallow = Math.min(full, Math.ceil(shallowWindowMinimum / largestCount) * largestCount)
    this.bound = destinations.map(() => false)
    this.unbound = destinations.length
  }

  /** The number of inputs to read next. */
  get size(): number {
    return this.unbound === 0 && this.destinations.length > 0 ? this.shallow : this.full
  }

  /** Notes the largest entry destination `d` got in the window just taken (none: nothing changes). */
  observe(d: number, largestBytes: number): void {
    const destination = this.destinations[d]!
    const bound = !destination.ordered && countBound(destination.limits, largestBytes)
    if (bound === this.bound[d]) return
    this.bound[d] = bound
    this.unbound += bound ? -1 : 1
  }
}
