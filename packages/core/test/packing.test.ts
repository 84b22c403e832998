import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { type AdapterLimits, type PackItem, packBatches } from "../src/index.ts"

interface Item extends PackItem {
  readonly n: number
}

const limitsArb = fc.record({
  maxEntries: fc.integer({ min: 1, max: 50 }),
  maxRequestBytes: fc.integer({ min: 50, max: 5_000 }),
  maxEntryBytes: fc.integer({ min: 10, max: 3_000 }),
  requestOverheadBytes: fc.integer({ min: 0, max: 40 }),
})

const itemsArb = fc.array(
  fc.record({
    bytes: fc.integer({ min: 1, max: 3_500 }),
    id: fc.integer({ min: 0, max: 30 }).map(String),
    batchKey: fc.option(fc.constantFrom("a", "b", "c"), { nil: undefined }),
  }),
  { maxLength: 600 },
)

describe("packBatches", () => {
  it("never exceeds a limit, never mixes batch keys or ids, and places or rejects every entry once", () => {
    fc.assert(
      fc.property(itemsArb, limitsArb, fc.integer({ min: 1, max: 200 }), (raw, limits, windowSize) => {
        const items: Array<Item> = raw.map((r, n) => ({ ...r, n }))
        const { batches, rejected } = packBatches(items, limits, { windowSize })
        const seen = new Set<number>()
        for (const batch of batches) {
          expect(batch.items.length).toBeGreaterThan(0)
          expect(batch.items.length).toBeLessThanOrEqual(limits.maxEntries)
          const sum = batch.items.reduce((s, i) => s + i.bytes, 0)
          expect(batch.bytes).toBe(limits.requestOverheadBytes + sum)
          expect(batch.bytes).toBeLessThanOrEqual(limits.maxRequestBytes)
          expect(new Set(batch.items.map((i) => i.id)).size).toBe(batch.items.length)
          for (const item of batch.items) {
            expect(item.bytes).toBeLessThanOrEqual(limits.maxEntryBytes)
            expect(item.batchKey).toBe(batch.batchKey)
            expect(seen.has(item.n)).toBe(false)
            seen.add(item.n)
          }
        }
        for (const r of rejected) {
          expect(seen.has(r.item.n)).toBe(false)
          seen.add(r.item.n)
          if (r.rule === "maxEntryBytes") expect(r.bytes).toBeGreaterThan(limits.maxEntryBytes)
          else expect(r.bytes + limits.requestOverheadBytes).toBeGreaterThan(limits.maxRequestBytes)
          expect(r.bytes).toBe(r.item.bytes)
        }
        expect(seen.size).toBe(items.length)
      }),
      { numRuns: 300 },
    )
  })

  it("uses exactly ceil(n / maxEntries) requests for count-bound input", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20_000 }),
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 1, max: 5_000 }),
        (n, maxEntries, windowSize) => {
          const limits: AdapterLimits = { maxEntries, maxRequestBytes: Infinity, maxEntryBytes: 1_000 }
          const items = Array.from({ length: n }, (_, i) => ({ bytes: 1 + (i % 100), id: String(i) }))
          const { batches } = packBatches(items, limits, { windowSize })
          expect(batches.length).toBe(Math.ceil(n / maxEntries))
        },
      ),
      { numRuns: 60 },
    )
  })

  it("stays within 5% of ceil(totalBytes / maxRequestBytes) on mixed-size byte-bound corpora", () => {
    // Mixed corpus: mostly small entries, some medium, a few large (as real event streams are).
    const size = fc.oneof(
      { weight: 14, arbitrary: fc.integer({ min: 40, max: 600 }) },
      { weight: 5, arbitrary: fc.integer({ min: 600, max: 8_000 }) },
      { weight: 1, arbitrary: fc.integer({ min: 8_000, max: 40_000 }) },
    )
    fc.assert(
      fc.property(
        fc.array(size, { minLength: 5_000, maxLength: 20_000 }),
        fc.constantFrom(256 * 1024, 128 * 1024, 1024 * 1024),
        fc.constantFrom(0, 100),
        (sizes, maxRequestBytes, requestOverheadBytes) => {
          const limits: AdapterLimits = {
            maxEntries: 100_000,
            maxRequestBytes,
            maxEntryBytes: 64 * 1024,
            requestOverheadBytes,
          }
          const items = sizes.map((bytes, i) => ({ bytes, id: String(i) }))
          const total = sizes.reduce((s, b) => s + b, 0)
          const lowerBound = Math.ceil(total / (maxRequestBytes - requestOverheadBytes))
          const { batches } = packBatches(items, limits)
          expect(batches.length).toBeLessThanOrEqual(Math.floor(lowerBound * 1.05))
        },
      ),
      { numRuns: 25 },
    )
  })

  it("stays within 5% of max(ceil(bytes / room), ceil(n / maxEntries)) when both limits bind", () => {
    // EventBridge-like: 10 entries and 256 KiB per request, a mix of small, mid-sized and large
    // entries where on average about 7 fit by bytes, so neither limit alone decides.
    const size = fc.oneof(
      { weight: 3, arbitrary: fc.integer({ min: 200, max: 2_000 }) },
      { weight: 5, arbitrary: fc.integer({ min: 20_000, max: 60_000 }) },
      { weight: 2, arbitrary: fc.integer({ min: 60_000, max: 120_000 }) },
    )
    fc.assert(
      fc.property(
        fc.array(size, { minLength: 200, maxLength: 6_000 }),
        fc.constantFrom(0, 100),
        fc.integer({ min: 100, max: 4_096 }),
        (sizes, requestOverheadBytes, windowSize) => {
          const limits: AdapterLimits = {
            maxEntries: 10,
            maxRequestBytes: 256 * 1024,
            maxEntryBytes: 256 * 1024,
            requestOverheadBytes,
          }
          const items = sizes.map((bytes, i) => ({ bytes, id: String(i) }))
          const total = sizes.reduce((s, b) => s + b, 0)
          const lowerBound = Math.max(
            Math.ceil(total / (limits.maxRequestBytes - requestOverheadBytes)),
            Math.ceil(items.length / limits.maxEntries),
          )
          const { batches } = packBatches(items, limits, { windowSize })
          expect(batches.length).toBeLessThanOrEqual(Math.floor(lowerBound * 1.05))
        },
      ),
      { numRuns: 30 },
    )
  })

  it("splits duplicate ids and separates batch keys", () => {
    const limits: AdapterLimits = { maxEntries: 10, maxRequestBytes: 10_000, maxEntryBytes: 1_000 }
    const items = [
      { bytes: 10, id: "x" },
      { bytes: 10, id: "x" },
      { bytes: 10, id: "y", batchKey: "k1" },
      { bytes: 10, id: "z", batchKey: "k2" },
    ]
    const { batches } = packBatches(items, limits)
    expect(batches).toHaveLength(4)
    for (const b of batches) expect(b.items).toHaveLength(1)
  })

  it("rejects an entry over the entry limit or that cannot fit an empty request, with its size and the limit", () => {
    const limits: AdapterLimits = {
      maxEntries: 10,
      maxRequestBytes: 1_000,
      maxEntryBytes: 2_000,
      requestOverheadBytes: 100,
    }
    const { batches, rejected } = packBatches(
      [
        { bytes: 2_500, id: "big" },
        { bytes: 950, id: "wide" },
        { bytes: 900, id: "fits" },
      ],
      limits,
    )
    expect(rejected).toEqual([
      { item: { bytes: 2_500, id: "big" }, rule: "maxEntryBytes", bytes: 2_500, limit: 2_000 },
      { item: { bytes: 950, id: "wide" }, rule: "maxRequestBytes", bytes: 950, limit: 900 },
    ])
    expect(batches.map((b) => b.bytes)).toEqual([1_000])
  })
})
