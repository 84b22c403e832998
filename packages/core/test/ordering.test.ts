/**
 * The ordered mode: the ordered packer hands out, per ordering key, requests in input order, and
 * the destination's gate keeps at most one request per key unsettled, with later entries of a key
 * waiting behind a retry. (The stored-order property through a real destination, with random
 * per-entry failures, is in @eventport/memory's ordering.property.test.ts.)
 */
import { Effect } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  createPublisher,
  defineAdapter,
  deliveryError,
  type EntryResult,
  encoded,
  entryFailed,
  entryOk,
  type Ordering,
  type PackedBatch,
  type PackItem,
} from "../src/index.ts"
import { OrderedPacker } from "../src/internal/OrderedPacker.ts"

interface Item extends PackItem {
  readonly n: number
}

const itemsArb = fc.array(
  fc.record({
    bytes: fc.integer({ min: 1, max: 60 }),
    orderingKey: fc.constantFrom("a", "b", "c", undefined),
    batchKey: fc.constantFrom("x", "y", undefined),
    dup: fc.boolean(),
  }),
  { maxLength: 120 },
)

describe("OrderedPacker", () => {
  it("hands out each key's entries in input order, under every limit, each entry once", () => {
    fc.assert(
      fc.property(
        itemsArb,
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 60, max: 200 }),
        fc.integer({ min: 1, max: 50 }),
        fc.boolean(),
        (raw, maxEntries, maxRequestBytes, windowSize, strict) => {
          const items: Array<Item> = raw.map((r, n) => ({
            n,
            bytes: r.bytes,
            // Some share an id (a user's duplicate ids): never two in one request.
            id: r.dup ? `dup${n % 3}` : `id${n}`,
            orderingKey: r.orderingKey,
            batchKey: r.batchKey,
          }))
          const limits = { maxEntries, maxRequestBytes, maxEntryBytes: 50 }
          const packer = new OrderedPacker<Item>(limits, windowSize, strict)
          const batches: Array<PackedBatch<Item>> = []
          const rejected: Array<Item> = []
          for (let i = 0; i < items.length; i += windowSize)
            packer.pack(
              items.slice(i, i + windowSize),
              i + windowSize >= items.length,
              (b) => batches.push(b),
              (r) => rejected.push(r.item),
            )
          if (items.length === 0) packer.drain((b) => batches.push(b))
          const placed = [...batches.flatMap((b) => b.items), ...rejected].map((i) => i.n)
          expect(placed.sort((x, y) => x - y)).toEqual(items.map((i) => i.n))
          expect(rejected.every((i) => i.bytes > 50)).toBe(true)
          for (const b of batches) {
            expect(b.items.length).toBeLessThanOrEqual(maxEntries)
            expect(b.bytes).toBeLessThanOrEqual(maxRequestBytes)
            expect(b.items.every((i) => i.batchKey === b.batchKey)).toBe(true)
            expect(new Set(b.items.map((i) => i.id)).size).toBe(b.items.length)
            const keys = b.items.map((i) => i.orderingKey).filter((k) => k !== undefined)
            if (strict) expect(new Set(keys).size).toBe(keys.length)
          }
          for (const key of ["a", "b", "c"]) {
            const order = batches.flatMap((b) => b.items.filter((i) => i.orderingKey === key).map((i) => i.n))
            expect(order).toEqual([...order].sort((x, y) => x - y))
          }
        },
      ),
    )
  })
})

/** A destination that checks, as requests arrive, that no key has two requests unsettled. */
const watchedDestination = (fails: (id: string, attempt: number) => boolean) => {
  const unsettled = new Map<string, number>()
  const firstSent: Array<string> = []
  const log: Array<string> = []
  let overlaps = 0
  const adapter = defineAdapter({
    kind: "watched",
    limits: { maxEntries: 3, maxRequestBytes: 1_000, maxEntryBytes: 100 },
    encode: (event) => encoded({ id: event.id, key: event.subject }, 1, { orderingKey: event.subject }),
    send: (batch) => {
      const keys = new Set(batch.entries.flatMap((e) => (e.key === undefined ? [] : [e.key])))
      for (const k of keys) {
        if ((unsettled.get(k) ?? 0) > 0) overlaps++
        unsettled.set(k, (unsettled.get(k) ?? 0) + 1)
      }
      for (const e of batch.entries) {
        log.push(`${e.id}#${batch.attempt}`)
        if (batch.attempt === 1) firstSent.push(e.id)
      }
      const results: Array<EntryResult> = batch.entries.map((e) =>
        fails(e.id, batch.attempt) ? entryFailed(deliveryError("InternalFailure", {})) : entryOk(),
      )
      // Answers take 0–2 ms, so requests of different keys overlap and finish out of order.
      return Effect.sleep(batch.entries.length % 3).pipe(
        Effect.as(results),
        Effect.ensuring(
          Effect.sync(() => {
            for (const k of keys) unsettled.set(k, unsettled.get(k)! - 1)
          }),
        ),
      )
    },
  })
  return { adapter, firstSent, log, overlaps: () => overlaps }
}

const publishKeys = async (
  ordering: Ordering,
  keys: ReadonlyArray<string>,
  fails: (id: string, attempt: number) => boolean,
) => {
  const watched = watchedDestination(fails)
  const publisher = createPublisher({
    destinations: { watched: { adapter: watched.adapter, concurrency: 4, ordering } },
    retry: { maxAttempts: 20, baseDelayMs: 1, maxDelayMs: 2, budget: false },
  })
  const result = await publisher.publish(
    keys.map((subject, i) => ({ id: `e${i}`, type: "t", source: "s", subject, data: i })),
  )
  await publisher.close()
  return { ...watched, result }
}

describe("ordered mode in the engine", () => {
  it("never has two requests of one key unsettled, and sends each key's entries first in input order", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom("a", "b"), { minLength: 1, maxLength: 30 }),
        fc.constantFrom<Ordering>("perKey", "strict"),
        fc.integer({ min: 0, max: 5 }),
        async (keys, ordering, modulo) => {
          // Entries whose number is a multiple of `modulo` fail their first attempt (retryable).
          const fails = (id: string, attempt: number) =>
            modulo > 0 && attempt === 1 && Number(id.slice(1)) % modulo === 0
          const { result, firstSent, overlaps } = await publishKeys(ordering, keys, fails)
          expect(result.delivered).toBe(keys.length)
          expect(overlaps()).toBe(0)
          for (const key of ["a", "b"]) {
            const sent = firstSent
              .filter((id) => keys[Number(id.slice(1))] === key)
              .map((id) => Number(id.slice(1)))
            expect(sent).toEqual([...sent].sort((x, y) => x - y))
          }
        },
      ),
      { numRuns: 40 },
    )
  })

  it("later entries of a key wait for an earlier one's retry (strict: they land after it)", async () => {
    // e0 fails its first attempt; e1 and e2 (same key) must not be sent before e0 is delivered.
    const { log, result } = await publishKeys(
      "strict",
      ["a", "a", "a"],
      (id, attempt) => id === "e0" && attempt === 1,
    )
    expect(result.delivered).toBe(3)
    expect(log).toEqual(["e0#1", "e0#2", "e1#1", "e2#1"])
    expect(result.forEvent("e0")[0]).toMatchObject({ _tag: "Delivered", attempts: 2 })
  })

  it("rejects an unknown ordering setting, naming the destination", () => {
    const { adapter } = watchedDestination(() => false)
    expect(() => createPublisher({ destinations: { w: { adapter, ordering: "fifo" as Ordering } } })).toThrow(
      new TypeError('createPublisher: w.ordering must be "off", "perKey" or "strict", got "fifo"'),
    )
  })
})
