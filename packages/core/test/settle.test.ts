/**
 * Settling one answer, as the pure function it is: every entry of the request lands in exactly one
 * of delivered, final failures and pending retry; doubt from earlier requests is carried.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { deliveryError, type EntryResult, entryFailed, entryOk } from "../src/index.ts"
import type { Entry } from "../src/internal/Job.ts"
import { settle } from "../src/internal/Settle.ts"

const entry = (id: string): Entry => ({
  _tag: "Entry",
  event: { id, type: "t", source: "s", time: new Date(0), data: null },
  entry: id,
  bytes: 1,
  id,
  batchKey: undefined,
  sentId: undefined,
})

const throttled = deliveryError("Throttled", { rawCode: "Slow" })
const invalid = deliveryError("InvalidRequest", { rawCode: "Bad" })
const timeout = deliveryError("Timeout", { outcomeUnknown: true })

describe("settle", () => {
  it("sorts per-entry results into delivered, final failures and pending retries", () => {
    const entries = ["a", "b", "c", "d"].map(entry)
    const s = settle(
      entries,
      [entryOk("r"), entryFailed(throttled), entryFailed(invalid), entryFailed(timeout)],
      2,
      undefined,
      "k",
    )
    expect(s.requestSucceeded).toBe(true)
    expect(s.delivered).toBe(1)
    expect(s.failures.map((f) => [f.entry.id, f.error.code, f.error.attempts])).toEqual([
      ["c", "InvalidRequest", 2],
    ])
    expect(s.retry?.entries.map((e) => e.id)).toEqual(["b", "d"])
    expect(s.retry).toMatchObject({ throttled: true, timedOut: true })
    expect(s.retry?.inDoubt.map((e) => e.id)).toEqual(["d"])
  })

  it("a whole-request error applies to every entry, with the attempts", () => {
    const entries = ["a", "b"].map(entry)
    const s = settle(entries, throttled, 3, undefined, "k")
    expect(s.requestSucceeded).toBe(false)
    expect(s.delivered).toBe(0)
    expect(s.retry?.errors.map((e) => e.attempts)).toEqual([3, 3])
  })

  it("an entry an earlier request may have applied: a possible duplicate, or a failure with outcomeUnknown", () => {
    const entries = ["a", "b"].map(entry)
    const doubt = new Set([entries[0]!, entries[1]!])
    const s = settle(entries, [entryOk(), entryFailed(invalid)], 2, doubt, "k")
    expect(s.possibleDuplicates).toBe(1)
    expect(s.failures[0]!.error.outcomeUnknown).toBe(true)
  })

  it("a short or long answer is an adapter bug for the entries it cannot match", () => {
    const entries = ["a", "b", "c"].map(entry)
    const short = settle(entries, [entryOk()], 1, undefined, "broken")
    expect(short.delivered).toBe(1)
    expect(short.failures.map((f) => f.entry.id)).toEqual(["b", "c"])
    expect(short.failures[0]!.error.rawMessage).toMatch(
      /adapter broken bug: send returned 1 results for 3 entries/,
    )
    const long = settle(entries, [entryOk(), entryOk(), entryOk(), entryOk()], 1, undefined, "broken")
    expect(long.delivered).toBe(0)
    expect(long.failures).toHaveLength(3)
  })

  it("every entry lands in exactly one place, whatever the answer", () => {
    const result = fc.oneof(
      fc.constant<EntryResult>(entryOk()),
      fc.constantFrom(throttled, invalid, timeout).map(entryFailed),
    )
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.oneof(fc.array(result, { maxLength: 25 }), fc.constantFrom(throttled, invalid)),
        (n, answer) => {
          const entries = Array.from({ length: n }, (_, i) => entry(`e${i}`))
          const s = settle(entries, answer, 1, undefined, "k")
          const placed = s.delivered + s.failures.length + (s.retry?.entries.length ?? 0)
          expect(placed).toBe(n)
          const ids = [...s.failures.map((f) => f.entry.id), ...(s.retry?.entries ?? []).map((e) => e.id)]
          expect(new Set(ids).size).toBe(ids.length)
        },
      ),
    )
  })
})
