import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { createPublisher, deliveryError, entryFailed, entryOk, type Outcome } from "../src/index.ts"
import { scriptedAdapter } from "./ScriptedAdapter.ts"

type Fault = "ok" | "mixed" | "wholeRetryable" | "wholeFatal" | "short" | "wholeUnknown" | "entryUnknown"
const faultArb = fc.constantFrom<Fault>(
  "ok",
  "mixed",
  "wholeRetryable",
  "wholeFatal",
  "short",
  // A request that may have been applied: a timeout after send, or one entry's answer lost.
  "wholeUnknown",
  "entryUnknown",
)

const destinationArb = fc.record({
  limits: fc.record({
    maxEntries: fc.integer({ min: 1, max: 12 }),
    maxRequestBytes: fc.integer({ min: 60, max: 400 }),
    maxEntryBytes: fc.integer({ min: 20, max: 200 }),
  }),
  faults: fc.array(faultArb, { minLength: 1, maxLength: 6 }),
  routeModulo: fc.integer({ min: 1, max: 3 }),
  concurrency: fc.integer({ min: 1, max: 3 }),
})

const inputArb = fc.array(
  fc.record({
    valid: fc.oneof(
      { weight: 9, arbitrary: fc.constant(true) },
      { weight: 1, arbitrary: fc.constant(false) },
    ),
    size: fc.integer({ min: 0, max: 150 }),
    key: fc.constantFrom(undefined, "k1", "k2"),
  }),
  { maxLength: 80 },
)

describe("every (event, destination) pair gets exactly one outcome", () => {
  // Also: a Delivered is a possible duplicate exactly when some request for that pair was answered
  // with an unknown outcome, and such a pair never ends Failed without `outcomeUnknown`.
  it("holds across random inputs, limits, routing and scripted faults", async () => {
    await fc.assert(
      fc.asyncProperty(
        inputArb,
        fc.array(destinationArb, { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 4 }),
        fc.boolean(),
        async (inputs, dests, maxAttempts, budget) => {
          const events = inputs.map((inp, i) => ({
            id: `ev${i}`,
            ...(inp.valid ? { type: "t" } : {}),
            source: "s",
            data: "x".repeat(inp.size),
            ...(inp.key === undefined ? {} : { extensions: { key: inp.key } }),
          }))
          const names = dests.map((_, d) => `d${d}`)
          // Per destination, the events some request answered with an unknown outcome.
          const inDoubt = dests.map(() => new Set<string>())
          const adapters = dests.map((dest, d) =>
            scriptedAdapter({
              limits: dest.limits,
              answer: (req, n) => {
                const fault = dest.faults[n % dest.faults.length]!
                switch (fault) {
                  case "wholeUnknown":
                    for (const id of req.ids) inDoubt[d]!.add(id)
                    return deliveryError("Timeout", { outcomeUnknown: true })
                  case "entryUnknown":
                    return req.ids.map((id, i) => {
                      if ((i + n) % 2 === 1) return entryOk()
                      inDoubt[d]!.add(id)
                      return entryFailed(deliveryError("InternalFailure", { outcomeUnknown: true }))
                    })
                  case "ok":
                    return req.ids.map(() => entryOk())
                  case "wholeRetryable":
                    return deliveryError("Unavailable")
                  case "wholeFatal":
                    return deliveryError("AccessDenied")
                  case "short":
                    return req.ids.slice(1).map(() => entryOk())
                  case "mixed":
                    return req.ids.map((_id, i) =>
                      (i + req.attempt) % 3 === 0
                        ? entryFailed(deliveryError("Throttled"))
                        : (i + n) % 4 === 1
                          ? entryFailed(deliveryError("InvalidRequest"))
                          : entryOk(),
                    )
                }
              },
            }),
          )
          const routes = Object.fromEntries(
            dests.map((dest, d) => [
              names[d]!,
              (e: { id: string }) => Number(e.id.slice(2)) % dest.routeModulo === 0,
            ]),
          )
          const seen: Array<Outcome> = []
          const p = createPublisher({
            destinations: Object.fromEntries(
              adapters.map((a, d) => [names[d]!, { adapter: a.adapter, concurrency: dests[d]!.concurrency }]),
            ),
            routes,
            retry: {
              maxAttempts,
              baseDelayMs: 1,
              maxDelayMs: 2,
              throttledBaseDelayMs: 2,
              ...(budget ? {} : { budget: false }),
            },
            onOutcome: (o) => seen.push(o),
          })
          const result = await p.publish(events as never)
          await p.close()

          const expected = new Set<string>()
          let unrouted = 0
          events.forEach((e, i) => {
            const targets = inputs[i]!.valid ? names.filter((n) => routes[n]!(e)) : names
            if (targets.length === 0) unrouted++
            for (const n of targets) expected.add(`${e.id}@${n}`)
          })
          const got = result.outcomes.map((o) => `${o.eventId}@${o.destination}`)
          expect(got.length).toBe(expected.size)
          expect(new Set(got)).toEqual(expected)
          expect(seen).toHaveLength(expected.size)
          expect(result.unroutedCount).toBe(unrouted)
          for (const n of names) {
            const c = result.counts[n]!
            expect(c.delivered + c.rejected + c.failed).toBe(result.forDestination(n).length)
            expect(c.possibleDuplicates).toBe(
              result.forDestination(n).filter((o) => o._tag === "Delivered" && o.possibleDuplicate === true)
                .length,
            )
          }
          let possibleDuplicates = 0
          for (const o of result.outcomes) {
            const doubt = inDoubt[names.indexOf(o.destination)]!.has(o.eventId)
            if (o._tag === "Delivered") {
              expect(o.possibleDuplicate === true).toBe(doubt)
              if (doubt) possibleDuplicates++
            }
            if (o._tag === "Failed" && doubt) expect(o.error.outcomeUnknown).toBe(true)
          }
          expect(result.possibleDuplicates).toBe(possibleDuplicates)
          for (const o of result.outcomes) {
            if (o._tag === "Delivered") expect(o.attempts).toBeGreaterThanOrEqual(1)
            if (o._tag === "Failed") {
              expect(o.attempts).toBeLessThanOrEqual(maxAttempts)
              expect(o.error.attempts).toBe(o.attempts)
            }
          }
        },
      ),
      { numRuns: 60 },
    )
  })
})
