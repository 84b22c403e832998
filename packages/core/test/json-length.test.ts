import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { jsonUtf8Length } from "../src/index.ts"
import { jsonLength } from "../src/internal/JsonLength.ts"

/** What the measure must equal: the text JSON.stringify builds. */
const utf16 = (value: unknown) => JSON.stringify(value)?.length
const utf8 = (value: unknown) => {
  const text = JSON.stringify(value)
  return text === undefined ? undefined : Buffer.byteLength(text, "utf8")
}

/** Any UTF-16 code units, lone surrogates included (fast-check's own string units are slow to sample). */
const utf16String = fc
  .array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 32 })
  .map((units) => String.fromCharCode(...units))

const expectSameAsStringify = (value: unknown) => {
  expect(jsonLength(value, false)).toBe(utf16(value))
  expect(jsonUtf8Length(value)).toBe(utf8(value))
}

describe("jsonLength", () => {
  it("equals the length of JSON.stringify's text for any JSON value, in UTF-16 units and UTF-8 bytes", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => expectSameAsStringify(value)),
      { numRuns: 500 },
    )
  })

  it("equals it for any string, lone surrogates and control characters included", () => {
    fc.assert(
      fc.property(utf16String, utf16String, (a, b) => {
        expectSameAsStringify(a)
        expectSameAsStringify({ [a]: b, list: [b, a] })
      }),
      { numRuns: 300 },
    )
    // Long strings take the one-scan path when plain, the loop otherwise.
    expectSameAsStringify("plain ascii ".repeat(20))
    expectSameAsStringify(`${"plain ascii ".repeat(20)}"quoted"`)
    expectSameAsStringify(`${"plain ascii ".repeat(20)}é`)
    expectSameAsStringify(`${"plain ascii ".repeat(20)}\n`)
    expectSameAsStringify('\ud800 \udc00 \ud83d\ude00 \u2028 \u0000 \u001f \b\t\n\f\r "\\ é € 😀')
  })

  it("equals it for numbers however they print", () => {
    fc.assert(fc.property(fc.double(), fc.integer(), (d, i) => expectSameAsStringify([d, i, -i])))
    for (const n of [
      0,
      -0,
      9,
      10,
      99,
      100,
      -1,
      1e20,
      1e21,
      -1e21,
      999999999999999900000,
      1.5,
      1e-7,
      NaN,
      Infinity,
      -Infinity,
    ])
      expectSameAsStringify(n)
  })

  it("leaves out what JSON leaves out and writes null where JSON does", () => {
    const f = () => 1
    expectSameAsStringify(undefined)
    expectSameAsStringify(f)
    expectSameAsStringify({ a: undefined, b: f, c: Symbol("s"), d: 1 })
    expectSameAsStringify({ a: undefined })
    expectSameAsStringify([undefined, f, Symbol("s"), 1])
    // biome-ignore lint/suspicious/noSparseArray: a hole is written as null
    expectSameAsStringify([1, , 3])
    expectSameAsStringify({})
    expectSameAsStringify([])
  })

  it("measures what only JSON.stringify knows how to write on its text", () => {
    const date = new Date(0)
    expectSameAsStringify(date)
    expectSameAsStringify({ at: date, custom: { toJSON: () => "x" }, boxed: new String("ab") })
    expectSameAsStringify(new Map([[1, 2]]))
    expectSameAsStringify(Object.assign(Object.create(null), { a: [1, { b: null }] }))
    let deep: unknown = "leaf"
    for (let i = 0; i < 200; i++) deep = i % 2 === 0 ? [deep] : { d: deep }
    expectSameAsStringify(deep)
  })

  it("throws what JSON.stringify throws", () => {
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    expect(() => jsonUtf8Length(cyclic)).toThrow(TypeError)
    expect(() => jsonLength({ n: 1n }, false)).toThrow(TypeError)
    const hostile = {
      get secret(): string {
        throw new Error("getter")
      },
    }
    expect(() => jsonUtf8Length(hostile)).toThrow("getter")
  })
})
