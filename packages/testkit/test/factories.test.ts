import { checkData, InvalidEventError, toCloudEvent, validateEvent } from "@eventport/core"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  arbEvent,
  arbEventData,
  arbEventInput,
  arbHostileEventInput,
  arbHostileString,
  arbHostileValue,
  makeEvent,
  makeEvents,
} from "../src/index.ts"

describe("makeEvent / makeEvents", () => {
  it("makes valid events with unique ids and overridable fields", () => {
    const a = makeEvent()
    const b = makeEvent({ type: "order.created", data: { total: 1 } })
    expect(a.id).not.toBe(b.id)
    expect(b).toMatchObject({ type: "order.created", source: "/eventport/testkit", data: { total: 1 } })
    expect(b.time).toBeInstanceOf(Date)
  })

  it("makes n events, overrides given per index", () => {
    const events = makeEvents(3, (i) => ({ id: `o-${i}`, subject: `s${i}` }))
    expect(events.map((e) => [e.id, e.subject])).toEqual([
      ["o-0", "s0"],
      ["o-1", "s1"],
      ["o-2", "s2"],
    ])
    expect(makeEvents(0)).toEqual([])
    expect(() => makeEvents(-1)).toThrow(RangeError)
  })

  it("names the field when an override is invalid", () => {
    expect(() => makeEvent({ type: "" })).toThrow(InvalidEventError)
    expect(() => makeEvent({ type: "" })).toThrow(/type: must not be empty/)
  })
})

describe("arbitraries", () => {
  it("arbEventInput only yields inputs validateEvent accepts", () => {
    fc.assert(
      fc.property(arbEventInput, (input) => {
        expect(validateEvent(input).ok).toBe(true)
      }),
    )
  })

  it("arbEventData holds -0 in a visible share of draws, which JSON carries as 0", () => {
    const hasNegativeZero = (value: unknown): boolean =>
      Object.is(value, -0) ||
      (typeof value === "object" &&
        value !== null &&
        !(value instanceof Uint8Array) &&
        Object.values(value).some(hasNegativeZero))
    const draws = fc.sample(arbEventData, { numRuns: 1_000, seed: 42 })
    const withNegativeZero = draws.filter(hasNegativeZero)
    expect(withNegativeZero.length).toBeGreaterThan(100)
    for (const data of withNegativeZero) expect(hasNegativeZero(JSON.parse(JSON.stringify(data)))).toBe(false)
  })

  it("arbEvent yields normalized events that survive the CloudEvents mapping", () => {
    fc.assert(
      fc.property(arbEvent, (event) => {
        expect(validateEvent(event)).toEqual({ ok: true, event })
        expect(() => JSON.stringify(toCloudEvent(event))).not.toThrow()
      }),
    )
  })

  it("arbHostileValue covers every kind of non-JSON value, and validation reports each without throwing", () => {
    const kinds = new Set<string>()
    fc.assert(
      fc.property(arbHostileValue, (value) => {
        const kind =
          value === null
            ? "null"
            : typeof value === "object"
              ? (value.constructor?.name ?? "null-proto")
              : typeof value
        kinds.add(kind)
        expect(() => checkData(value)).not.toThrow()
      }),
      { numRuns: 400 },
    )
    for (const kind of [
      "string",
      "number",
      "bigint",
      "symbol",
      "function",
      "undefined",
      "Array",
      "Object",
      "Map",
      "Date",
      "CustomThing",
    ])
      expect(kinds).toContain(kind)
  })

  it("arbHostileString includes lone surrogates", () => {
    const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
    const samples = fc.sample(arbHostileString, 300)
    expect(samples.some((s) => loneSurrogate.test(s))).toBe(true)
  })

  it("arbHostileEventInput never makes validateEvent throw, and most inputs are invalid", () => {
    let invalid = 0
    let runs = 0
    fc.assert(
      fc.property(arbHostileEventInput, (input) => {
        runs++
        const result = validateEvent(input)
        if (!result.ok) {
          invalid++
          for (const v of result.violations) expect(v.message).toEqual(expect.any(String))
        }
      }),
      { numRuns: 300 },
    )
    expect(invalid).toBeGreaterThan(runs / 2)
  })

  it("builds fresh hostile objects per draw, so mutation in one test cannot leak into another", () => {
    const [a, b] = fc.sample(
      arbHostileValue.filter(
        (v) => typeof v === "object" && v !== null && (v as { name?: unknown }).name === "cycle",
      ),
      2,
    )
    expect(a).not.toBe(b)
  })
})
