import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { checkData, fromCloudEvent, toCloudEvent, validateEvent } from "../src/index.ts"

const nested = (depth: number): unknown => {
  let value: unknown = 1
  for (let i = 0; i < depth; i++) value = { a: value }
  return value
}

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

/** Values JSON cannot carry, or that break naive code; each must be rejected, never crash. */
const hostileData = fc.oneof(
  fc.constant(Number.NaN),
  fc.constant(Number.POSITIVE_INFINITY),
  fc.constant(Number.NEGATIVE_INFINITY),
  fc.bigInt().map((n) => ({ big: n })),
  fc.constant({ missing: undefined }),
  fc.constant(() => 1),
  fc.constant(Symbol("s")),
  fc.constant(new Date(0)),
  fc.constant(new Map([["a", 1]])),
  fc.constant(new Point(1, 2)),
  fc.constant(nested(20_000)),
  fc.constant(
    (() => {
      const cyclic: Record<string, unknown> = { a: 1 }
      cyclic.self = { back: cyclic }
      return cyclic
    })(),
  ),
)

describe("hostile input", () => {
  it("rejects every non-JSON value with the path of the bad field, without throwing", () => {
    fc.assert(
      fc.property(hostileData, fc.string(), (data, key) => {
        const result = validateEvent({ type: "t", source: "s", data: { [key]: data } })
        expect(result.ok).toBe(false)
        if (!result.ok) {
          expect(result.violations).toHaveLength(1)
          expect(result.violations[0]!.field.startsWith(`data.${key}`)).toBe(true)
        }
      }),
    )
  })

  it("accepts unicode edge cases, lone surrogates, huge strings and hostile keys as data, losslessly", () => {
    const text = fc.oneof(
      fc.string({ unit: "binary" }),
      fc.constantFrom("\uD800", "\uDFFF", "a\uD83D", "\u0000", "\u2028\u2029", "𝄞", "e\u0301"),
    )
    const key = fc.oneof(text, fc.constantFrom("__proto__", "constructor", "prototype", "toString"))
    fc.assert(
      fc.property(fc.dictionary(key, text, { maxKeys: 5 }), (record) => {
        // JSON.parse creates own "__proto__" keys, as data from the wire would have.
        const data = JSON.parse(JSON.stringify(record))
        const result = validateEvent({ id: "e1", type: "t", source: "s", data })
        expect(result.ok).toBe(true)
        if (result.ok) {
          const back = fromCloudEvent(JSON.stringify(toCloudEvent(result.event)))
          expect(back.data).toEqual(data)
          expect(({} as Record<string, unknown>).polluted).toBeUndefined()
        }
      }),
    )
  })

  it("handles a 10 MB string and 1,000-level nesting", () => {
    expect(validateEvent({ type: "t", source: "s", data: { s: "x".repeat(10_000_000) } }).ok).toBe(true)
    expect(checkData(nested(1_000))).toBeUndefined()
  })

  it("does not let __proto__ or constructor keys pollute prototypes", () => {
    const data = JSON.parse(
      '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}',
    )
    const result = validateEvent({
      type: "t",
      source: "s",
      data,
      extensions: JSON.parse('{"__proto__": "x"}'),
    })
    expect(result.ok).toBe(false) // the extension name breaks the CloudEvents naming rule
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    const ok = validateEvent({ type: "t", source: "s", data })
    expect(ok.ok).toBe(true)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it("names the event, the field and the rule for a non-object event", () => {
    for (const input of [null, 42, "event", undefined]) {
      const result = validateEvent(input)
      expect(result.ok).toBe(false)
      if (!result.ok) expect(result.violations[0]).toMatchObject({ field: "(event)", rule: "type" })
    }
  })
})
