/**
 * The engine's ordered mode through the memory destination, under random per-entry failures
 * (seeded retryable faults, some events refused for good) and random latency: every pair gets
 * exactly one outcome, and the order the destination stored per ordering key is the input order
 * (strict), or differs from it only as documented (perKey: a later entry of the key delivered in
 * the same request in which an earlier one failed).
 */
import { createPublisher, type Event, type Ordering } from "@eventport/core"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { type MemoryAdapter, memory } from "../src/index.ts"

const keyOf = (event: Event): string | undefined => event.subject

const caseArb = fc.record({
  keys: fc.array(fc.constantFrom("a", "b", "c", undefined), { minLength: 1, maxLength: 60 }),
  maxEntries: fc.integer({ min: 1, max: 8 }),
  concurrency: fc.integer({ min: 1, max: 4 }),
  share: fc.double({ min: 0, max: 0.6, noNaN: true }),
  seed: fc.integer(),
  /** Events the destination refuses for good (not retryable): skipped, never waited for. */
  refused: fc.array(fc.nat({ max: 59 }), { maxLength: 5 }),
  latencySeed: fc.nat({ max: 3 }),
})

/** Input positions of the stored events of `key`, in the order the destination stored them. */
const storedOrder = (dest: MemoryAdapter, key: string, position: Map<string, number>) =>
  dest.received.filter((e) => keyOf(e) === key).map((e) => position.get(e.id)!)

/** The documented exception: `earlier` failed in a request that delivered `later`. */
const overtookInOneRequest = (dest: MemoryAdapter, earlier: string, later: string) =>
  dest.requests.some(
    (r) =>
      r.accepted.some((e) => e.id === later) &&
      r.entries.some((e) => e.id === earlier) &&
      !r.accepted.some((e) => e.id === earlier),
  )

type Case = typeof caseArb extends fc.Arbitrary<infer C> ? C : never

const run = async (ordering: Ordering, c: Case) => {
  const dest = memory({ limits: { maxEntries: c.maxEntries }, orderingKey: keyOf })
  dest.faults.failShare(c.share, { seed: c.seed })
  const refused = new Set(c.refused.map((i) => `ev${i}`))
  dest.faults.failEvents((e) => refused.has(e.id), { code: "InvalidRequest" })
  // Requests take 0–3 ms by a hash of their first entry: answers come back out of order.
  dest.faults.latency((batch) => (batch.entries[0]!.id.length + c.latencySeed) % 4)
  const publisher = createPublisher({
    destinations: { dest: { adapter: dest, concurrency: c.concurrency, ordering } },
    retry: { maxAttempts: 60, baseDelayMs: 1, maxDelayMs: 2, throttledBaseDelayMs: 1, budget: false },
  })
  const events = c.keys.map((key, i) => ({
    id: `ev${i}`,
    type: "t",
    source: "s",
    data: i,
    ...(key === undefined ? {} : { subject: key }),
  }))
  try {
    const result = await publisher.publish(events)
    return { dest, result, events }
  } finally {
    await publisher.close()
  }
}

describe("ordered mode through the memory destination", () => {
  for (const ordering of ["strict", "perKey"] as const)
    it(`${ordering}: one outcome per pair; the stored order per key is the input order${ordering === "perKey" ? " but for the documented overtaking" : ""}`, async () => {
      await fc.assert(
        fc.asyncProperty(caseArb, async (c) => {
          const { dest, result, events } = await run(ordering, c)
          // Exactly one outcome per (event, destination) pair.
          expect(result.outcomes).toHaveLength(events.length)
          expect(new Set(result.outcomes.map((o) => o.eventId)).size).toBe(events.length)
          const delivered = new Set(
            result.outcomes.filter((o) => o._tag === "Delivered").map((o) => o.eventId),
          )
          // Refused events end Failed; with 60 attempts every seeded failure is retried away.
          for (const o of result.outcomes)
            expect(o._tag === "Delivered" || (o._tag === "Failed" && o.error.code === "InvalidRequest")).toBe(
              true,
            )
          // No unknown outcomes were scripted: each delivered event is stored once, others never.
          expect(dest.received.map((e) => e.id).sort()).toEqual([...delivered].sort())
          const position = new Map(events.map((e, i) => [e.id, i]))
          for (const key of ["a", "b", "c"]) {
            const order = storedOrder(dest, key, position)
            if (ordering === "strict") {
              expect(order).toEqual([...order].sort((x, y) => x - y))
              continue
            }
            for (let i = 0; i < order.length; i++)
              for (let j = i + 1; j < order.length; j++)
                if (order[j]! < order[i]!)
                  expect(overtookInOneRequest(dest, `ev${order[j]}`, `ev${order[i]}`)).toBe(true)
          }
          // Strict: never two entries of one key in a request.
          if (ordering === "strict")
            for (const r of dest.requests) {
              const keys = r.entries.map(keyOf).filter((k) => k !== undefined)
              expect(new Set(keys).size).toBe(keys.length)
            }
        }),
        { numRuns: 60 },
      )
    })
})
