/**
 * A deterministic corpus of events of mixed sizes, byte-bound under EventBridge's limits: on average
 * fewer than ten fit in one 256 KiB request, so packing quality shows in the request count.
 */
import type { EventInput } from "@eventport/core"

/** mulberry32: a tiny seeded PRNG, so every run packs the same corpus. */
const seededRandom = (seed: number) => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Share of events and the range of their padding, in bytes. */
const sizeClasses: ReadonlyArray<{ readonly share: number; readonly min: number; readonly max: number }> = [
  { share: 0.3, min: 200, max: 2_000 },
  { share: 0.5, min: 20_000, max: 60_000 },
  { share: 0.2, min: 60_000, max: 120_000 },
]

/** Padding is cut from one shared string, so a large corpus costs little memory. */
const padding = "abcdefghijklmnopqrstuvwxyz0123456789".repeat(Math.ceil(120_000 / 36))

export const mixedSizeCorpus = (count: number, seed = 42): EventInput[] => {
  const random = seededRandom(seed)
  return Array.from({ length: count }, (_, i) => {
    let pick = random()
    let size = sizeClasses[0]!
    for (const c of sizeClasses) {
      size = c
      if (pick < c.share) break
      pick -= c.share
    }
    const bytes = Math.floor(size.min + random() * (size.max - size.min))
    return {
      id: `corpus-${i}`,
      type: "bench.mixed",
      source: "eventport.bench",
      time: new Date(1_700_000_000_000 + i),
      data: { seq: i, body: padding.slice(0, bytes) },
    }
  })
}
