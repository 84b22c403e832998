/**
 * The hostile-member arbitraries (issue 11), and the engine's promise under them: whatever user code
 * hands over, every (event, destination) pair gets exactly one outcome, every call settles, and
 * nothing is polluted.
 */
import {
  createPublisher,
  isDelivered,
  type Outcome,
  PublishInputError,
  type PublishResult,
  validateEvent,
} from "@eventport/core"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  arbHostileMember,
  arbHostileMemberInput,
  arbMixedInputs,
  arbPublishInputSource,
  arbSharedReferenceData,
  HostileMemberError,
  type MixedInput,
  mixedInputValue,
  throwingAsyncIterable,
  throwingIterable,
} from "../src/index.ts"
import { referenceHarness } from "./fixtures/ReferenceDestination.ts"

const prototypeKeys = () => [
  ...Object.getOwnPropertyNames(Object.prototype),
  ...Object.getOwnPropertyNames(Array.prototype),
]

/** `value` with every -0 replaced by 0 (a deep copy), as JSON text carries it. */
const negativeZeroAsZero = (value: unknown): unknown => {
  if (Object.is(value, -0)) return 0
  if (Array.isArray(value)) return value.map(negativeZeroAsZero)
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, negativeZeroAsZero(v)]))
  return value
}

describe("hostile members: the arbitraries", () => {
  it("each member throws when read, as promised", () => {
    fc.assert(
      fc.property(arbHostileMember, (member) => {
        expect(() => JSON.stringify({ member: member.make() })).toThrow()
      }),
      { numRuns: 100 },
    )
  })

  it("validateEvent rejects every input with a hostile member, never throwing, naming field and rule", () => {
    const before = prototypeKeys()
    fc.assert(
      fc.property(arbHostileMemberInput, (recipe) => {
        const result = validateEvent(recipe.make())
        expect(result.ok).toBe(false)
        if (!result.ok) {
          expect(result.violations.length).toBeGreaterThan(0)
          for (const v of result.violations) {
            expect(v.field.length).toBeGreaterThan(0)
            expect(v.rule.length).toBeGreaterThan(0)
          }
        }
      }),
      { numRuns: 300 },
    )
    expect(prototypeKeys()).toEqual(before)
  })

  it("shared-reference data is valid event data, carried by JSON as copies", () => {
    fc.assert(
      fc.property(arbSharedReferenceData, (data) => {
        const result = validateEvent({ type: "t", source: "s", data })
        expect(result.ok).toBe(true)
        // JSON carries -0 (which the data arbitraries draw on purpose) as 0.
        expect(JSON.parse(JSON.stringify(data))).toEqual(negativeZeroAsZero(data))
      }),
      { numRuns: 100 },
    )
  })

  it("throwing iterables yield exactly the items before throwAfter, then throw", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { maxLength: 10 }), fc.nat({ max: 12 }), async (items, at) => {
        const read: Array<number> = []
        const readAsync: Array<number> = []
        expect(() => {
          for (const item of throwingIterable(items, at)) read.push(item)
        }).toThrow(at > items.length ? undefined : HostileMemberError)
        await expect(
          (async () => {
            for await (const item of throwingAsyncIterable(items, at)) readAsync.push(item)
          })(),
        ).rejects.toThrow(HostileMemberError)
        expect(read).toEqual(items.slice(0, at))
        expect(readAsync).toEqual(items.slice(0, at))
      }),
    )
  })
})

/** A publisher over the reference destination ("all") and a routed one ("even"), recording outcomes. */
const makePublisher = () => {
  const all = referenceHarness()
  const even = referenceHarness()
  const seen: Array<Outcome> = []
  const publisher = createPublisher({
    destinations: {
      all: all.makeAdapter() as never,
      even: { adapter: even.makeAdapter() as never, route: (event) => event.id.endsWith("0") },
    },
    retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5, budget: false },
    onOutcome: (outcome) => seen.push(outcome),
  })
  return { publisher, seen, all, even }
}

/**
 * The ledger for the inputs that were read: each well-formed one has one outcome per destination it
 * routes to, Delivered, held once; each hostile one exactly one non-Delivered outcome per destination.
 */
const checkLedger = async (
  read: ReadonlyArray<MixedInput>,
  seen: ReadonlyArray<Outcome>,
  harnesses: { all: ReturnType<typeof referenceHarness>; even: ReturnType<typeof referenceHarness> },
) => {
  for (const destination of ["all", "even"] as const) {
    const outcomes = seen.filter((o) => o.destination === destination)
    const byId = new Map<string, Array<Outcome>>()
    for (const o of outcomes) byId.set(o.eventId, [...(byId.get(o.eventId) ?? []), o])
    const wellFormed = read.filter((m) => !m.hostile)
    const expected = wellFormed.filter((m) => destination === "all" || m.input.id.endsWith("0"))
    for (const m of expected) {
      const mine = byId.get(m.input.id) ?? []
      expect(mine.map((o) => o._tag)).toEqual(["Delivered"])
    }
    const hostile = read.filter((m) => m.hostile).length
    const others = outcomes.filter((o) => !o.eventId.startsWith("mixed-"))
    expect(others).toHaveLength(hostile)
    for (const o of others) {
      expect(isDelivered(o)).toBe(false)
      if (o._tag === "Rejected") expect(o.message).toContain(o.eventId)
    }
    expect(outcomes).toHaveLength(expected.length + hostile)
    const held = (await harnesses[destination].received()).map((r) => r.eventId).sort()
    expect(held).toEqual(expected.map((m) => m.input.id).sort())
  }
}

describe("the engine under hostile members (issue 11, items 1 and 2)", () => {
  it("publish: arrays, sync and async iterables (throwing part-way or not) settle with one outcome per pair", async () => {
    const before = prototypeKeys()
    await fc.assert(
      fc.asyncProperty(arbPublishInputSource(arbMixedInputs({ maxLength: 25 })), async (source) => {
        const { publisher, seen, all, even } = makePublisher()
        const input = source.input(mixedInputValue) as never
        let result: PublishResult | undefined
        let error: unknown
        try {
          result = await publisher.publish(input)
        } catch (e) {
          error = e
        }
        await publisher.close()
        const throws = source.throwAfter !== undefined
        if (throws) {
          expect(error).toBeInstanceOf(PublishInputError)
          expect(result).toBeUndefined()
        } else {
          expect(error).toBeUndefined()
          expect(result).toBeDefined()
        }
        const read = throws ? source.items.slice(0, source.throwAfter) : source.items
        await checkLedger(read, seen, { all, even })
        if (result !== undefined) expect(result.outcomes).toHaveLength(seen.length)
      }),
      { numRuns: 40 },
    )
    expect(prototypeKeys()).toEqual(before)
  })

  it("enqueue + flush: the buffered producer survives every hostile event, and close reports nothing left", async () => {
    const before = prototypeKeys()
    await fc.assert(
      fc.asyncProperty(arbMixedInputs({ maxLength: 25 }), async (inputs) => {
        const { publisher, seen, all, even } = makePublisher()
        for (const m of inputs) await publisher.enqueue(mixedInputValue(m) as never)
        const flushed = await publisher.flush()
        const closed = await publisher.close()
        await checkLedger(inputs, seen, { all, even })
        expect(flushed.outcomes).toHaveLength(seen.length)
        expect(closed.outcomes).toHaveLength(0)
      }),
      { numRuns: 60 },
    )
    expect(prototypeKeys()).toEqual(before)
  })
})
