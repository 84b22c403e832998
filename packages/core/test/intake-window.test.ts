import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { AdapterLimits } from "../src/index.ts"
import { IntakeWindow, shallowWindowMinimum } from "../src/internal/IntakeWindow.ts"

const full = 4096

const limitsArb: fc.Arbitrary<AdapterLimits> = fc.record({
  maxEntries: fc.integer({ min: 1, max: 600 }),
  maxRequestBytes: fc.integer({ min: 100, max: 1_000_000 }),
  maxEntryBytes: fc.integer({ min: 10, max: 1_000_000 }),
  requestOverheadBytes: fc.integer({ min: 0, max: 50 }),
})

const destinationArb = fc.record({ limits: limitsArb, ordered: fc.boolean() })

/** A request reaches its count limit before its byte limit with entries of this size. */
const countBound = (limits: AdapterLimits, largest: number) =>
  largest * limits.maxEntries <= limits.maxRequestBytes - (limits.requestOverheadBytes ?? 0)

describe("IntakeWindow", () => {
  it("reads the full window until every destination's last window was count-bound, then a shallow one of whole requests", () => {
    fc.assert(
      fc.property(
        fc.array(destinationArb, { minLength: 1, maxLength: 4 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 200_000 })), { maxLength: 40 }),
        (destinations, observations) => {
          const window = new IntakeWindow(destinations, full)
          const largestCount = Math.max(...destinations.map((d) => d.limits.maxEntries))
          expect(window.size).toBe(full)
          expect(window.shallow).toBeLessThanOrEqual(full)
          if (window.shallow < full) {
            expect(window.shallow % largestCount).toBe(0)
            expect(window.shallow).toBeGreaterThanOrEqual(shallowWindowMinimum)
          }
          const last: Array<number | undefined> = destinations.map(() => undefined)
          for (const [at, largest] of observations) {
            const d = at % destinations.length
            window.observe(d, largest)
            last[d] = largest
            const allBound = destinations.every(
              (dest, i) => !dest.ordered && last[i] !== undefined && countBound(dest.limits, last[i]),
            )
            expect(window.size).toBe(allBound ? window.shallow : full)
          }
        },
      ),
    )
  })

  it("goes back to the full window as soon as an entry could fill a request by bytes", () => {
    const limits: AdapterLimits = { maxEntries: 10, maxRequestBytes: 1_000_000, maxEntryBytes: 1_000_000 }
    const window = new IntakeWindow([{ limits, ordered: false }], full)
    window.observe(0, 200)
    expect(window.size).toBe(1000)
    window.observe(0, 200_000)
    expect(window.size).toBe(full)
    window.observe(0, 300)
    expect(window.size).toBe(1000)
  })

  it("keeps the full window for ordered destinations", () => {
    const limits: AdapterLimits = { maxEntries: 500, maxRequestBytes: 5_000_000, maxEntryBytes: 1_000_000 }
    const window = new IntakeWindow([{ limits, ordered: true }], full)
    window.observe(0, 100)
    expect(window.size).toBe(full)
  })
})
