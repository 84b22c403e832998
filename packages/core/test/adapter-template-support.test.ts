/**
 * The AdapterSupport helpers the adapter template relies on: constant options checked once, the
 * iterative JSON walk (depth and number rules), duplicate keys held back, results by messageId.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  checkConstantOption,
  checkConstantOptions,
  checkHookData,
  checkJsonTree,
  checkOneOf,
  checkRequiredString,
  createEvent,
  deliveryError,
  entryOk,
  isJsonObject,
  type JsonValue,
  jsonDepth,
  jsonPayload,
  maxDataDepth,
  resolveOption,
  resultsByMessageId,
  sendWithDistinctKeys,
  type Violation,
  violation,
} from "../src/index.ts"

const nested = (depth: number): JsonValue => {
  let value: JsonValue = 1
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? [value] : { a: value }
  return value
}

describe("constant options", () => {
  const checkName = (name: unknown): Violation | undefined => checkRequiredString("name", name)

  it("checkConstantOptions throws the first violation as the factory's TypeError", () => {
    expect(() =>
      checkConstantOptions("demo", [undefined, violation("x", "pattern", "must match y")]),
    ).toThrow(new TypeError("demo: option x must match y (pattern)"))
    expect(() => checkConstantOptions("demo", [undefined, undefined])).not.toThrow()
  })

  it("checkConstantOption checks a constant and leaves absent options and functions alone", () => {
    expect(checkConstantOption("", checkName)).toMatchObject({ field: "name", rule: "minLength" })
    expect(checkConstantOption(undefined, checkName)).toBeUndefined()
    expect(checkConstantOption(() => "", checkName)).toBeUndefined()
  })

  it("resolveOption checks a function's result per event, never a constant's", () => {
    const event = createEvent({ type: "t", source: "s", data: {} })
    let checks = 0
    const counting = (name: string) => {
      checks++
      return checkName(name)
    }
    expect(resolveOption("name", "", event, counting)).toEqual({ ok: true, value: "" })
    expect(checks).toBe(0)
    expect(resolveOption("name", () => "", event, counting)).toMatchObject({
      ok: false,
      violation: { field: "name", rule: "minLength" },
    })
    const throwing = () => {
      throw new Error("boom")
    }
    expect(resolveOption("name", throwing, event, counting)).toMatchObject({
      ok: false,
      violation: { field: "name", rule: "hook" },
    })
  })

  it("checkOneOf and checkRequiredString name the field and the rule", () => {
    expect(checkOneOf("mode", "x", ["a", "b"])).toMatchObject({ field: "mode", rule: "enum" })
    expect(checkOneOf("mode", undefined, ["a"])).toBeUndefined()
    expect(checkRequiredString("id", undefined)).toMatchObject({ rule: "required" })
    expect(checkRequiredString("id", 7)).toMatchObject({ rule: "type" })
    expect(checkRequiredString("id", "x")).toBeUndefined()
  })
})

describe("JSON data", () => {
  it("isJsonObject: objects only, not arrays, null or bytes", () => {
    expect([{}, { a: 1 }].every(isJsonObject)).toBe(true)
    expect([[], null, new Uint8Array(1), "x", 1].some(isJsonObject)).toBe(false)
  })

  it("checkHookData names the hook, not data", () => {
    expect(checkHookData("payload", { a: [1, Number.NaN] })).toMatchObject({ field: "payload.a[1]" })
    expect(checkHookData("payload", { a: 1 })).toBeUndefined()
  })

  it("checkJsonTree: maxDataDepth levels pass, one more is rule maxDepth naming the depth and the limit", () => {
    expect(checkJsonTree(nested(maxDataDepth), "data")).toBeUndefined()
    const deeper = checkJsonTree(nested(maxDataDepth + 5), "data")
    expect(deeper).toMatchObject({
      rule: "maxDepth",
      message: `nests ${maxDataDepth + 5} levels deep; Eventport takes at most ${maxDataDepth}`,
    })
    // The path keeps both ends of a long way down.
    expect(deeper?.field).toMatch(/^data(\[0\]|\.a){4}…\(\d+ levels\)…(\[0\]|\.a){4}$/)
    expect(checkJsonTree({ a: [[1]] }, "detail", { maxDepth: 2, depthLimitBy: "X" })).toMatchObject({
      field: "detail.a[0]",
      message: "nests 3 levels deep; X takes at most 2",
    })
  })

  it("checkJsonTree never overflows the stack, however deep", () => {
    expect(checkJsonTree(nested(200_000), "data")).toMatchObject({ rule: "maxDepth" })
    expect(jsonPayload("payload", nested(200_000))).toMatchObject({
      field: expect.stringMatching(/^payload/),
    })
  })

  it("checkJsonTree applies a number rule to every number, wherever it is", () => {
    const odd = (n: number) => (n % 2 === 1 ? { rule: "even", message: "must be even" } : undefined)
    expect(checkJsonTree({ a: [2, { b: 3 }] }, "data", { number: odd })).toEqual(
      violation("data.a[1].b", "even", "must be even"),
    )
    expect(checkJsonTree({ a: [2, { b: 4 }] }, "data", { number: odd })).toBeUndefined()
  })

  it("checkJsonTree finds a broken number past what its quick check visits (wide data, inherited keys)", () => {
    const odd = (n: number) => (n % 2 === 1 ? { rule: "even", message: "must be even" } : undefined)
    const wide = Array.from({ length: 1_000 }, () => ({ n: 2 }))
    wide[999] = { n: 3 }
    expect(checkJsonTree({ wide }, "data", { number: odd })).toEqual(
      violation("data.wide[999].n", "even", "must be even"),
    )
    const inherited = Object.assign(Object.create({ inheritedKey: 1 }), { own: { n: 3 } })
    expect(checkJsonTree(inherited, "data", { number: odd })).toEqual(
      violation("data.own.n", "even", "must be even"),
    )
  })

  it("property: checkJsonTree rejects exactly the data deeper than the limit, and jsonPayload is its JSON text", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 1, max: 8 }), (value, maxDepth) => {
        const tooDeep = jsonDepth(value) > maxDepth
        expect(checkJsonTree(value, "data", { maxDepth }) !== undefined).toBe(tooDeep)
        const payload = jsonPayload("data", value)
        if (payload instanceof Uint8Array)
          expect(Buffer.from(payload).toString("utf8")).toBe(JSON.stringify(value))
      }),
    )
  })
})

describe("sendWithDistinctKeys", () => {
  it("sends the first entry of each key; later duplicates fail retryably, results in order", async () => {
    const sent: Array<ReadonlyArray<string>> = []
    const results = await sendWithDistinctKeys(
      ["a", "b", "a", "c", "b"],
      (id) => id,
      "messageId",
      async (distinct) => {
        sent.push(distinct)
        return distinct.map((id) => entryOk(id))
      },
    )
    expect(sent).toEqual([["a", "b", "c"]])
    expect(results.map((r) => (r.ok ? r.receipt : r.error.rawCode))).toEqual([
      "a",
      "b",
      "DuplicateMessageId",
      "c",
      "DuplicateMessageId",
    ])
    expect(results[2]).toMatchObject({ ok: false, error: { code: "InvalidRequest", retryable: true } })
  })
})

describe("resultsByMessageId", () => {
  it("maps listed failures back by messageId with the service's classification; the rest are accepted", () => {
    const classify = (code: string | undefined, message?: string) =>
      deliveryError(code === "Slow" ? "Throttled" : "InvalidRequest", {
        rawCode: code ?? "",
        rawMessage: message ?? "",
      })
    const results = resultsByMessageId(
      ["m1", "m2", "m3"],
      [{ messageId: "m2", errorCode: "Slow", errorMessage: "later" }],
      classify,
    )
    expect(results[0]).toEqual({ ok: true })
    expect(results[1]).toMatchObject({
      ok: false,
      error: { code: "Throttled", rawCode: "Slow", rawMessage: "later" },
    })
    expect(results[2]).toEqual({ ok: true })
    expect(resultsByMessageId(["m1"], undefined, classify)).toEqual([{ ok: true }])
  })
})
