/**
 * Issue 11: a buggy custom adapter fanned out beside memory. Whatever its send does (a malformed
 * result, a defect, a send that never settles), memory gets every event, the buggy destination's
 * pairs end Failed (Unknown for a bug, Timeout for silence) after at most `maxAttempts` requests of
 * `requestTimeoutMs` each, and `publish` settles without `close()`.
 */
import {
  type Batch,
  createPublisher,
  defineAdapter,
  encoded,
  PublishInputError,
  type SendResult,
} from "@eventport/core"
import { arbMixedInputs, arbPublishInputSource, mixedInputValue } from "@eventport/testkit"
import { Effect } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { memory } from "../src/index.ts"

type Entry = { readonly id: string }

/** Each way a send can misbehave, and the outcome it must end in. */
const misbehaviours: Record<
  string,
  { readonly send: (batch: Batch<Entry>) => unknown; readonly code: string }
> = {
  resultWithoutError: {
    send: async (b) => b.entries.map(() => ({ ok: false, status: 400 })),
    code: "Unknown",
  },
  resolvesUndefined: { send: async () => undefined, code: "Unknown" },
  resolvesNulls: { send: async (b) => b.entries.map(() => null), code: "Unknown" },
  resolvesObject: { send: async () => ({ ok: true }), code: "Unknown" },
  noResults: { send: async () => [], code: "Unknown" },
  effectDie: { send: () => Effect.die(new Error("bug")), code: "Unknown" },
  throwInSync: {
    send: () =>
      Effect.sync(() => {
        throw new TypeError("undefined is not a function")
      }),
    code: "Unknown",
  },
  throwInMap: {
    send: () =>
      Effect.void.pipe(
        Effect.map((): SendResult => {
          throw new RangeError("out of range")
        }),
      ),
    code: "Unknown",
  },
  promiseNeverSettles: { send: () => new Promise(() => {}), code: "Timeout" },
  effectNeverSettles: { send: () => Effect.never, code: "Timeout" },
  uninterruptibleNeverSettles: { send: () => Effect.uninterruptible(Effect.never), code: "Timeout" },
}

const buggyAdapter = (kind: string) =>
  defineAdapter<Entry>({
    kind,
    limits: { maxEntries: 5, maxRequestBytes: 100_000, maxEntryBytes: 10_000 },
    encode: (event) => encoded({ id: event.id }, 10),
    send: misbehaviours[kind]!.send as (batch: Batch<Entry>) => Promise<SendResult>,
  })

describe("a misbehaving adapter beside memory", () => {
  it("memory gets every event; the buggy pairs end Failed within the attempts; publish settles alone", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...Object.keys(misbehaviours)),
        fc.integer({ min: 1, max: 23 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 5, max: 30 }),
        fc.boolean(),
        async (kind, count, maxAttempts, requestTimeoutMs, buggyFirst) => {
          const audit = memory()
          const buggy = {
            adapter: buggyAdapter(kind),
            // Short for the silent sends; roomy for the buggy ones, whose answer comes at once (a
            // busy machine must not turn their first attempt into a timeout). Memory keeps the
            // default, so a slow moment never makes it retry and hold an event twice.
            requestTimeoutMs: misbehaviours[kind]!.code === "Timeout" ? requestTimeoutMs : 5_000,
          }
          const publisher = createPublisher({
            destinations: buggyFirst ? { buggy, audit } : { audit, buggy },
            retry: { maxAttempts, baseDelayMs: 1, maxDelayMs: 2, budget: false },
          })
          const inputs = Array.from({ length: count }, (_, i) => ({
            id: `e-${i}`,
            type: "t",
            source: "s",
            data: { i },
          }))
          const result = await publisher.publish(inputs)
          await publisher.close()
          expect(audit.received.map((e) => e.id)).toEqual(inputs.map((e) => e.id))
          const pairs = result.forDestination("buggy")
          expect(pairs.map((o) => o.eventId).sort()).toEqual(inputs.map((e) => e.id).sort())
          const { code } = misbehaviours[kind]!
          for (const o of pairs) {
            if (o._tag !== "Failed") throw new Error(`${o.eventId} ended ${o._tag} at the buggy destination`)
            expect(o.error.code).toBe(code)
            if (code === "Unknown") {
              // A bug is not retried: the same bug would answer the retry.
              expect(o.error.retryable).toBe(false)
              expect(o.attempts).toBe(1)
              expect(o.error.message).toContain(`adapter ${kind} bug`)
            } else expect(o.attempts).toBe(maxAttempts)
          }
        },
      ),
      { numRuns: 40 },
    )
  })
})

// The testkit README's hostile-members example, as written there.
it("gives every input one outcome, whatever it holds", async () => {
  await fc.assert(
    fc.asyncProperty(arbPublishInputSource(arbMixedInputs()), async (source) => {
      const publisher = createPublisher({ destinations: { audit: memory() } })
      const outcomes = await publisher.publish(source.input(mixedInputValue) as never).then(
        (result) => result.outcomes.length,
        (error) => (error instanceof PublishInputError ? "input threw" : error),
      )
      await publisher.close()
      expect(outcomes).toBe(source.throwAfter === undefined ? source.items.length : "input threw")
    }),
  )
})
