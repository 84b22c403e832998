import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  classifyBySenderFault,
  cloudEventMessageAttributes,
  createEvent,
  deliveryError,
  type ErrorTable,
  fromCloudEvent,
  type MessageAttributeRules,
  maxDataDepth,
  messageAttributesBytes,
  messageAttributeViolations,
  messageTextOf,
  resultsByEntryKey,
} from "../src/index.ts"

const rules: MessageAttributeRules = {
  maxAttributes: 10,
  dataTypes: ["String", "Number", "Binary"],
  customLabels: true,
  allowedCharacters: /^[^#]*$/u,
  allowedCharactersText: "no #",
}

const rulesOf = (attributes: unknown, r: MessageAttributeRules = rules) =>
  messageAttributeViolations("attrs", attributes, r).map((v) => [v.field, v.rule])

describe("messageAttributeViolations", () => {
  it("accepts String, Number and Binary attributes, with a custom label where the service allows one", () => {
    expect(
      rulesOf({
        a: { DataType: "String", StringValue: "x" },
        "b.c-d_e": { DataType: "Number.float", StringValue: "-1.5e3" },
        f: { DataType: "Binary", BinaryValue: new Uint8Array([1]) },
      }),
    ).toEqual([])
    expect(
      rulesOf({ a: { DataType: "Number.float", StringValue: "1" } }, { ...rules, customLabels: false }),
    ).toEqual([["attrs.a.DataType", "dataType"]])
  })

  it("names each broken rule: name, reserved prefix, periods, type, value, characters, count", () => {
    expect(rulesOf({ "a b": { DataType: "String", StringValue: "x" } })).toEqual([
      ["attrs.a b", "namePattern"],
    ])
    expect(rulesOf({ "Amazon.x": { DataType: "String", StringValue: "x" } })).toEqual([
      ["attrs.Amazon.x", "reservedPrefix"],
    ])
    expect(rulesOf({ ".a": { DataType: "String", StringValue: "x" } })).toEqual([["attrs..a", "namePeriods"]])
    expect(rulesOf({ ["n".repeat(257)]: { DataType: "String", StringValue: "x" } })[0]?.[1]).toBe(
      "nameLength",
    )
    expect(rulesOf({ a: { DataType: "Text", StringValue: "x" } })).toEqual([["attrs.a.DataType", "dataType"]])
    expect(rulesOf({ a: { DataType: "String." } })).toEqual([["attrs.a.DataType", "dataType"]])
    expect(rulesOf({ a: { DataType: "Binary", BinaryValue: new Uint8Array() } })).toEqual([
      ["attrs.a", "binaryValue"],
    ])
    expect(rulesOf({ a: { DataType: "String", StringValue: "" } })).toEqual([["attrs.a", "stringValue"]])
    expect(rulesOf({ a: { DataType: "String", StringValue: "#" } })).toEqual([
      ["attrs.a.StringValue", "allowedCharacters"],
    ])
    expect(rulesOf({ a: { DataType: "Number", StringValue: "1,5" } })).toEqual([
      ["attrs.a.StringValue", "number"],
    ])
    expect(rulesOf({ a: null })).toEqual([["attrs.a", "type"]])
    expect(rulesOf("x")).toEqual([["attrs", "type"]])
    const eleven = Object.fromEntries(
      Array.from({ length: 11 }, (_, i) => [`a${i}`, { DataType: "String", StringValue: "v" }]),
    )
    expect(rulesOf(eleven)).toEqual([["attrs", "maxAttributes"]])
  })

  it("String.Array values must be JSON arrays", () => {
    const sns = { ...rules, dataTypes: ["String", "String.Array", "Number", "Binary"], customLabels: false }
    expect(rulesOf({ a: { DataType: "String.Array", StringValue: '["x",1]' } }, sns)).toEqual([])
    expect(rulesOf({ a: { DataType: "String.Array", StringValue: "[x" } }, sns)).toEqual([
      ["attrs.a.StringValue", "stringArray"],
    ])
  })

  it("counts each attribute's name, data type and value bytes", () => {
    expect(
      messageAttributesBytes({
        é: { DataType: "String", StringValue: "ü" },
        b: { DataType: "Binary", BinaryValue: new Uint8Array(5) },
      }),
    ).toBe(2 + 6 + 2 + (1 + 6 + 5))
    expect(messageAttributesBytes(undefined)).toBe(0)
  })
})

describe("messageTextOf and cloudEventMessageAttributes", () => {
  const event = createEvent({ id: "e-1", type: "t", source: "s", subject: "sub", data: { n: 1 } })

  it("the CloudEvents JSON reads back to the same event; data alone is its JSON text", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (data) => {
        const e = createEvent({ type: "t", source: "s", data: data as never })
        const text = messageTextOf(e, "cloudEvent", "body")
        expect(typeof text).toBe("string")
        expect(fromCloudEvent(text as string)).toEqual(e)
      }),
      { numRuns: 100 },
    )
    expect(messageTextOf(event, "data", "body")).toBe('{"n":1}')
  })

  it("refuses binary data as text, deep data, a throwing or non-string function", () => {
    const binary = createEvent({ type: "t", source: "s", data: new Uint8Array([1]) })
    const rule = (text: unknown) => (typeof text === "string" ? undefined : (text as { rule: string }).rule)
    expect(rule(messageTextOf(binary, "data", "body"))).toBe("binaryData")
    expect(rule(messageTextOf(binary, "cloudEvent", "body"))).toBeUndefined()
    let deep: unknown = 1
    for (let i = 0; i < maxDataDepth + 5; i++) deep = [deep]
    const deepEvent = { ...event, data: deep as never }
    expect(rule(messageTextOf(deepEvent, "cloudEvent", "body"))).toBe("maxDepth")
    expect(
      rule(
        messageTextOf(
          event,
          () => {
            throw new Error("no")
          },
          "body",
        ),
      ),
    ).toBe("hook")
    expect(rule(messageTextOf(event, () => 1 as unknown as string, "body"))).toBe("type")
  })

  it("puts the context attributes in ce_* String attributes", () => {
    expect(cloudEventMessageAttributes(event)).toEqual({
      ce_specversion: { DataType: "String", StringValue: "1.0" },
      ce_id: { DataType: "String", StringValue: "e-1" },
      ce_source: { DataType: "String", StringValue: "s" },
      ce_type: { DataType: "String", StringValue: "t" },
      ce_time: { DataType: "String", StringValue: event.time.toISOString() },
      ce_subject: { DataType: "String", StringValue: "sub" },
    })
  })
})

describe("classifyBySenderFault", () => {
  const table: ErrorTable = {
    Busy: { code: "Throttled", retryable: true },
    Bad: { code: "InvalidRequest", retryable: false },
  }

  it("SenderFault decides retrying, the table the code", () => {
    expect(classifyBySenderFault(table, "Busy", true, "m")).toMatchObject({
      code: "Throttled",
      retryable: false,
      rawCode: "Busy",
      rawMessage: "m",
    })
    expect(classifyBySenderFault(table, "Bad", false, undefined)).toMatchObject({
      code: "InvalidRequest",
      retryable: true,
    })
    expect(classifyBySenderFault(table, "New", true, undefined)).toMatchObject({
      code: "InvalidRequest",
      retryable: false,
    })
    expect(classifyBySenderFault(table, "New", false, undefined)).toMatchObject({
      code: "InternalFailure",
      retryable: true,
    })
    expect(classifyBySenderFault(table, "Busy", undefined, undefined)).toMatchObject({
      code: "Throttled",
      retryable: true,
    })
    expect(classifyBySenderFault(table, "constructor", undefined, undefined)).toMatchObject({
      code: "Unknown",
      retryable: false,
    })
  })
})

describe("resultsByEntryKey", () => {
  const failure = deliveryError("InternalFailure", { retryable: true })

  it("maps successes and failures back to the keys sent, in order", () => {
    const results = resultsByEntryKey(
      ["a", "b", "c"],
      [{ key: "c", receipt: "r-c" }, { key: "a" }],
      [{ key: "b", error: failure }],
    )
    expect(results).toEqual([{ ok: true }, { ok: false, error: failure }, { ok: true, receipt: "r-c" }])
  })

  it("an entry listed in neither list or in both is unknown; a stray key puts the successes in doubt", () => {
    const unknown = (r: unknown) =>
      (r as { ok: boolean; error?: { outcomeUnknown: boolean } }).error?.outcomeUnknown
    const missing = resultsByEntryKey(["a", "b"], [{ key: "a" }], [])
    expect(unknown(missing[1])).toBe(true)
    const both = resultsByEntryKey(["a"], [{ key: "a" }], [{ key: "a", error: failure }])
    expect(unknown(both[0])).toBe(true)
    const stray = resultsByEntryKey(["a", "b"], [{ key: "a" }, { key: "zz" }], [{ key: "b", error: failure }])
    expect(unknown(stray[0])).toBe(true)
    expect(stray[1]).toEqual({ ok: false, error: failure })
  })

  it("for any split of the keys into successes and failures, each key gets its own result", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 10 }),
        fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }),
        (keys, oks) => {
          const results = resultsByEntryKey(
            keys,
            keys.filter((_, i) => oks[i]).map((key) => ({ key, receipt: `r-${key}` })),
            keys.filter((_, i) => !oks[i]).map((key) => ({ key, error: failure })),
          )
          results.forEach((result, i) => {
            expect(result).toEqual(
              oks[i] ? { ok: true, receipt: `r-${keys[i]}` } : { ok: false, error: failure },
            )
          })
        },
      ),
      { numRuns: 100 },
    )
  })
})
