import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { checkData, fromCloudEvent, maxDataDepth, toCloudEvent, validateEvent } from "../src/index.ts"

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

/** Members user code may hand over that throw when read, or lie about what they are. */
const throwingGetter = () =>
  Object.defineProperty({}, "value", {
    enumerable: true,
    get() {
      throw new TypeError("getter exploded")
    },
  })
const throwingProxy = () =>
  new Proxy(
    {},
    {
      get() {
        throw new Error("get trap exploded")
      },
      ownKeys() {
        throw new Error("ownKeys trap exploded")
      },
      getPrototypeOf() {
        throw new Error("getPrototypeOf trap exploded")
      },
    },
  )
const revokedProxy = () => {
  const { proxy, revoke } = Proxy.revocable({ a: 1 }, {})
  revoke()
  return proxy
}
const hostileToJson = () => ({
  toJSON() {
    throw new Error("toJSON exploded")
  },
})
const throwingMessageError = () =>
  new Proxy(new Error("x"), {
    get() {
      throw new Error("even the error is hostile")
    },
  })
const hostileMembers = [throwingGetter, throwingProxy, revokedProxy, hostileToJson] as const

const fieldNames = [
  "id",
  "type",
  "source",
  "time",
  "subject",
  "data",
  "dataContentType",
  "extensions",
] as const

describe("validateEvent never throws (issue 11, item 1)", () => {
  it("turns a throwing getter on any field into a violation naming that field", () => {
    for (const field of fieldNames) {
      const input: Record<string, unknown> = { type: "t", source: "s", data: null }
      Object.defineProperty(input, field, {
        enumerable: true,
        get() {
          throw throwingMessageError()
        },
      })
      const result = validateEvent(input)
      expect(result.ok).toBe(false)
      if (!result.ok)
        expect(result.violations).toContainEqual(expect.objectContaining({ field, rule: "access" }))
    }
  })

  it("reports a hostile member at any position in data or a field, naming the path", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...hostileMembers),
        fc.array(fc.constantFrom("a", "b", 0, 1), { maxLength: 40 }),
        fc.boolean(),
        (member, steps, wide) => {
          // A path of objects and arrays down to the hostile member; `wide` makes the data too big
          // for the fast path, so both walks meet it.
          let data: unknown = member()
          for (const step of [...steps].reverse()) data = typeof step === "number" ? [data] : { [step]: data }
          const payload = wide ? { pad: Array.from({ length: 300 }, (_, i) => ({ i })), data } : data
          const result = validateEvent({ type: "t", source: "s", data: payload })
          expect(result.ok).toBe(false)
          if (!result.ok) {
            expect(result.violations).toHaveLength(1)
            const [v] = result.violations
            expect(v!.field.startsWith(wide ? "data.data" : "data")).toBe(true)
            expect(["access", "json"]).toContain(v!.rule)
          }
        },
      ),
      { numRuns: 300 },
    )
  })

  it("names what a hostile member threw", () => {
    const result = validateEvent({ type: "t", source: "s", data: { x: throwingGetter() } })
    expect(result).toMatchObject({
      ok: false,
      violations: [
        { field: "data.x.value", rule: "access", message: "reading it threw TypeError: getter exploded" },
      ],
    })
    expect(validateEvent({ type: "t", source: "s", data: { j: hostileToJson() } })).toMatchObject({
      ok: false,
      violations: [{ field: "data.j.toJSON", rule: "json" }],
    })
  })

  it("takes a revoked or throwing proxy as the event itself, or as its time, without throwing", () => {
    for (const input of [revokedProxy(), throwingProxy()]) {
      const result = validateEvent(input)
      expect(result.ok).toBe(false)
    }
    const dateProxy = new Proxy(new Date(0), {})
    expect(validateEvent({ type: "t", source: "s", data: null, time: dateProxy })).toMatchObject({
      ok: false,
      violations: [{ field: "time", rule: "timestamp" }],
    })
    expect(validateEvent({ type: "t", source: "s", data: null, extensions: throwingProxy() })).toMatchObject({
      ok: false,
      violations: [{ field: "extensions" }],
    })
  })

  it("reads each field once, so a getter cannot show validation one value and the event another", () => {
    let reads = 0
    const input = {
      type: "t",
      source: "s",
      get data() {
        reads++
        return reads === 1 ? { ok: true } : { big: 1n }
      },
    }
    const result = validateEvent(input)
    expect(result.ok).toBe(true)
    if (result.ok) expect(result.event.data).toEqual({ ok: true })
  })
})

describe("shared references are not cycles (issue 11, item 4)", () => {
  const sharedTag = { name: "shared" }

  it("accepts 300 items sharing one object, as JSON.stringify does", () => {
    const data = { items: Array.from({ length: 300 }, (_, i) => ({ i, tag: sharedTag })) }
    expect(() => JSON.stringify(data)).not.toThrow()
    expect(validateEvent({ type: "t", source: "s", data }).ok).toBe(true)
  })

  it("accepts a shared reference past the fast path's depth, and at any position", () => {
    fc.assert(
      fc.property(fc.integer({ min: 33, max: 200 }), fc.integer({ min: 1, max: 20 }), (depth, copies) => {
        const shared = { leaf: [1, 2, 3] }
        let data: unknown = Array.from({ length: copies }, () => shared)
        for (let i = 0; i < depth; i++) data = { a: data, b: shared }
        expect(checkData(data)).toBeUndefined()
      }),
      { numRuns: 50 },
    )
  })

  it("still rejects a real cycle past the fast path, naming where it closes", () => {
    const node: Record<string, unknown> = { name: "loop" }
    node.child = { again: node }
    const data = { items: Array.from({ length: 300 }, (_, i) => ({ i })), node }
    expect(checkData(data)).toEqual({
      field: "data.node.child.again",
      rule: "json",
      message: "cyclic reference: contains data.node, which JSON cannot carry",
    })
  })
})

describe("maxDataDepth (issue 11, item 5: the core rule)", () => {
  it("is EventBridge's 1000 levels, the outermost container being level 1", () => {
    expect(maxDataDepth).toBe(1000)
    expect(validateEvent({ type: "t", source: "s", data: nested(1000) }).ok).toBe(true)
    const result = validateEvent({ type: "t", source: "s", data: nested(1001) })
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.violations).toHaveLength(1)
      const [v] = result.violations
      expect(v!.rule).toBe("maxDepth")
      expect(v!.message).toContain("1001")
      expect(v!.message).toContain("1000")
      // Both ends of the path, not all 1,001 segments.
      expect(v!.field).toMatch(/^data(\.a){4}…\(\d+ levels\)…(\.a){4}$/)
    }
  })

  it("walks without recursion: 200,000 levels with no limit neither overflow nor fail", () => {
    let data: unknown = null
    for (let i = 0; i < 200_000; i++) data = [data]
    expect(checkData(data, Number.POSITIVE_INFINITY)).toBeUndefined()
    expect(checkData(data)).toMatchObject({ rule: "maxDepth" })
  })
})
