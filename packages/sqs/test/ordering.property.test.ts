/**
 * The engine's ordered mode through the emulator, for an SQS FIFO queue, under random per-entry
 * failures (retryable ones, `SenderFault: false`, for a chosen number of attempts; some events
 * refused for good) and random latency: every event gets exactly one outcome, each delivered event
 * is stored once, and the order the queue stored per message group is the input order (`strict`),
 * or differs from it only as documented (`perKey`: a later message of the group delivered in the
 * same request in which an earlier one failed).
 */
import { emulatorClientConfig, useEmulator } from "@eventport/aws-emulator/conformance"
import { type Adapter, createPublisher, defineAdapter, type Ordering } from "@eventport/core"
import { Effect } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { sqs } from "../src/index.ts"

const queueUrl = "https://sqs.us-east-1.amazonaws.com/123456789012/ordered.fifo"

const emulator = useEmulator()

const caseArb = fc.record({
  groups: fc.array(fc.constantFrom("a", "b", "c"), { minLength: 1, maxLength: 30 }),
  /** Events that fail retryably, and for how many attempts. */
  flaky: fc.array(fc.record({ index: fc.nat({ max: 29 }), times: fc.integer({ min: 1, max: 2 }) }), {
    maxLength: 8,
  }),
  /** Events the queue refuses for good (`SenderFault: true`): skipped, never waited for. */
  refused: fc.array(fc.nat({ max: 29 }), { maxLength: 3 }),
  concurrency: fc.integer({ min: 1, max: 4 }),
  latency: fc.boolean(),
})
type Case = typeof caseArb extends fc.Arbitrary<infer C> ? C : never

/** What each request carried and how each of its entries came back. */
interface SentRequest {
  readonly ids: ReadonlyArray<string>
  readonly delivered: ReadonlySet<string>
}

/** The SQS adapter as is, with every request and its per-entry results recorded. */
const recorded = (adapter: Adapter<{ Id?: string | undefined }>, log: SentRequest[]): Adapter<unknown> =>
  defineAdapter<{ Id?: string | undefined }>({
    kind: adapter.kind,
    limits: adapter.limits,
    encode: adapter.encode,
    send: (batch) =>
      adapter.send(batch).pipe(
        Effect.tap((results) =>
          Effect.sync(() => {
            const ids = batch.entries.map((entry) => entry.Id!)
            log.push({ ids, delivered: new Set(ids.filter((_, i) => results[i]?.ok === true)) })
          }),
        ),
      ),
    close: () => Effect.runPromise(adapter.close),
  }) as unknown as Adapter<unknown>

const run = async (ordering: Ordering, c: Case) => {
  emulator().reset()
  const refused = new Set(c.refused.map((i) => `ev${i}`))
  for (const { index, times } of c.flaky)
    if (!refused.has(`ev${index}`))
      emulator().faults.add({
        type: "entryError",
        service: "sqs",
        senderFault: false,
        match: { id: `ev${index}` },
        times,
      })
  for (const id of refused)
    emulator().faults.add({
      type: "entryError",
      service: "sqs",
      code: "InvalidParameterValue",
      senderFault: true,
      match: { id },
    })
  if (c.latency) emulator().faults.add({ type: "latency", service: "sqs", ms: [0, 3], rate: 0.5 })
  const log: SentRequest[] = []
  const adapter = sqs({
    queueUrl,
    messageGroupId: (event) => event.subject,
    clientConfig: emulatorClientConfig(emulator()),
  })
  const publisher = createPublisher({
    destinations: { queue: { adapter: recorded(adapter, log), concurrency: c.concurrency, ordering } },
    retry: { maxAttempts: 10, baseDelayMs: 1, maxDelayMs: 2, throttledBaseDelayMs: 1, budget: false },
  })
  const events = c.groups.map((group, i) => ({
    id: `ev${i}`,
    type: "t",
    source: "s",
    subject: group,
    data: i,
  }))
  try {
    return { result: await publisher.publish(events), events, log, refused }
  } finally {
    await publisher.close()
  }
}

describe("SQS FIFO ordering through the emulator", () => {
  for (const ordering of ["strict", "perKey"] as const)
    it(`${ordering}: one outcome per event, each delivered event stored once, per-group order kept${ordering === "perKey" ? " but for the documented overtaking" : ""}`, async () => {
      await fc.assert(
        fc.asyncProperty(caseArb, async (c) => {
          const { result, events, log, refused } = await run(ordering, c)
          expect(result.outcomes).toHaveLength(events.length)
          expect(new Set(result.outcomes.map((o) => o.eventId)).size).toBe(events.length)
          for (const o of result.outcomes)
            expect(o._tag, o.eventId).toBe(refused.has(o.eventId) ? "Failed" : "Delivered")
          const stored = emulator().store.entriesFor("sqs", "ordered.fifo")
          expect(stored.map((m) => m.id).sort()).toEqual(
            events
              .filter((e) => !refused.has(e.id))
              .map((e) => e.id)
              .sort(),
          )
          const position = new Map(events.map((e, i) => [e.id, i]))
          for (const group of ["a", "b", "c"]) {
            const order = stored.filter((m) => m.messageGroupId === group).map((m) => position.get(m.id)!)
            for (let i = 0; i < order.length; i++)
              for (let j = i + 1; j < order.length; j++) {
                const [later, earlier] = [order[i]!, order[j]!]
                if (later < earlier) continue
                // `later` (in input order) was stored before `earlier`.
                expect(ordering, `ev${earlier} stored after ev${later} in group ${group}`).toBe("perKey")
                const overtaken = log.some(
                  (r) =>
                    r.delivered.has(`ev${later}`) &&
                    r.ids.includes(`ev${earlier}`) &&
                    !r.delivered.has(`ev${earlier}`),
                )
                expect(overtaken, `ev${later} overtook ev${earlier} outside the documented case`).toBe(true)
              }
          }
        }),
        { numRuns: 25 },
      )
    }, 120_000)
})
