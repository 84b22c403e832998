/**
 * The engine's ordered mode through the emulator, with the real Kinesis client over HTTP/2, under
 * random per-record failures (seeded throttled records, some refused for good) and packing into
 * many small requests: every pair gets exactly one outcome, and the order the stream stored per
 * partition key is the input order (strict), or differs from it only as documented (perKey: a later
 * record of the key delivered in the same request in which an earlier one failed).
 */
import { emulatorClientConfig, useEmulator } from "@eventport/aws-emulator/conformance"
import { createPublisher, type Ordering } from "@eventport/core"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { kinesis } from "../src/index.ts"

const emulator = useEmulator()

const caseArb = fc.record({
  keys: fc.array(fc.constantFrom("a", "b", "c", undefined), { minLength: 1, maxLength: 40 }),
  // A record of this test is about 150 bytes: requests of one to a dozen records.
  maxRequestBytes: fc.integer({ min: 200, max: 2_000 }),
  concurrency: fc.integer({ min: 1, max: 4 }),
  share: fc.double({ min: 0, max: 0.5, noNaN: true }),
  seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  /** Records the stream refuses for good (not retryable): skipped, never waited for. */
  refused: fc.array(fc.nat({ max: 39 }), { maxLength: 4 }),
})

type Case = typeof caseArb extends fc.Arbitrary<infer C> ? C : never

/** One request as the emulator saw it: the event ids of its records, and those it failed retryably. */
interface SeenRequest {
  readonly ids: string[]
  readonly failed: Set<string>
}

/** mulberry32, so each case's failures follow from its seed. */
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

/** The event id inside a record's Data (the CloudEvents JSON the adapter sends by default). */
const eventIdIn = (data: unknown): string => JSON.parse(String(data)).id as string

const run = async (ordering: Ordering, c: Case) => {
  emulator().reset()
  const random = seededRandom(c.seed)
  const refused = new Set(c.refused.map((i) => `ev${i}`))
  const seen = new Map<string, SeenRequest>()
  emulator().faults.set([
    {
      type: "entryError",
      service: "kinesis",
      code: "ProvisionedThroughputExceededException",
      // Sees every record, grouped by the request it came in.
      match: (view) => {
        const requestId = view.requestId ?? ""
        let request = seen.get(requestId)
        if (request === undefined) {
          request = { ids: [], failed: new Set() }
          seen.set(requestId, request)
        }
        const id = eventIdIn(view.fields.Data)
        request.ids.push(id)
        const fails = !refused.has(id) && random() < c.share
        if (fails) request.failed.add(id)
        return fails
      },
    },
    {
      type: "entryError",
      service: "kinesis",
      code: "UndocumentedPermanentFailure",
      match: (view) => refused.has(eventIdIn(view.fields.Data)),
    },
  ])
  const publisher = createPublisher({
    destinations: {
      stream: {
        adapter: kinesis({
          streamName: "ordered",
          clientConfig: emulatorClientConfig(emulator()),
          maxRequestBytes: c.maxRequestBytes,
        }),
        concurrency: c.concurrency,
        ordering,
      },
    },
    retry: { maxAttempts: 60, baseDelayMs: 1, maxDelayMs: 2, throttledBaseDelayMs: 1, budget: false },
    // The emulator throttles records at random, not at a quota: the adaptive send rate would slow
    // some cases to minRate (one took 30 s), which is not what this property is about.
    sendRate: false,
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
    return { result, events, seen: [...seen.values()] }
  } finally {
    await publisher.close()
  }
}

describe("ordered mode through the emulator's Kinesis stream", () => {
  for (const ordering of ["strict", "perKey"] as const)
    it(`${ordering}: one outcome per pair; the stored order per partition key is the input order${ordering === "perKey" ? " but for the documented overtaking" : ""}`, async () => {
      await fc.assert(
        fc.asyncProperty(caseArb, async (c) => {
          const { result, events, seen } = await run(ordering, c)
          expect(result.outcomes).toHaveLength(events.length)
          expect(new Set(result.outcomes.map((o) => o.eventId)).size).toBe(events.length)
          const delivered = new Set(
            result.outcomes.filter((o) => o._tag === "Delivered").map((o) => o.eventId),
          )
          // Refused records end Failed; with 60 attempts every throttled record is retried through.
          for (const o of result.outcomes)
            expect(
              o._tag === "Delivered" ||
                (o._tag === "Failed" && o.error.rawCode === "UndocumentedPermanentFailure"),
            ).toBe(true)
          const stored = emulator().store.entriesFor("kinesis", "ordered")
          // No unknown outcomes were scripted: each delivered record is stored once, the others never.
          expect(stored.map((r) => eventIdIn(r.dataText)).sort()).toEqual([...delivered].sort())
          const position = new Map(events.map((e, i) => [e.id, i]))
          for (const key of ["a", "b", "c"]) {
            const order = stored
              .filter((r) => r.partitionKey === key)
              .map((r) => position.get(eventIdIn(r.dataText))!)
            if (ordering === "strict") {
              expect(order).toEqual([...order].sort((x, y) => x - y))
              continue
            }
            for (let i = 0; i < order.length; i++)
              for (let j = i + 1; j < order.length; j++)
                if (order[j]! < order[i]!) {
                  const [earlier, later] = [`ev${order[j]}`, `ev${order[i]}`]
                  // The documented exception: `earlier` failed in a request that delivered `later`.
                  expect(
                    seen.some((r) => r.ids.includes(later) && !r.failed.has(later) && r.failed.has(earlier)),
                  ).toBe(true)
                }
          }
          // Strict: never two records of one partition key in a request.
          if (ordering === "strict")
            for (const r of seen) {
              const keys = r.ids.map((id) => events[position.get(id)!]!.subject ?? id)
              expect(new Set(keys).size).toBe(keys.length)
            }
        }),
        { numRuns: 25 },
      )
    }, 120_000)
})
