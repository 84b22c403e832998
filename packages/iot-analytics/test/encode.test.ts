import { createEvent, type EncodeResult, type Event, type JsonValue } from "@eventport/core"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  checkFieldNames,
  type EncodeOptions,
  encode,
  type IotAnalyticsEntry,
  iotAnalytics,
  limits,
  messageIdFor,
} from "../src/index.ts"

const event = (data: JsonValue | Uint8Array, id = "evt-1"): Event =>
  createEvent({ id, type: "reading", source: "sensor", data })

const settings: EncodeOptions = { channelName: "telemetry" }

const ok = (result: EncodeResult<IotAnalyticsEntry>) => {
  if (result._tag !== "Encoded") throw new Error(`expected Encoded, got ${JSON.stringify(result)}`)
  return result
}
const violations = (result: EncodeResult<IotAnalyticsEntry>) => {
  if (result._tag !== "Rejected") throw new Error("expected Rejected")
  return result.violations
}

describe("encode", () => {
  it("sends data as JSON, keyed by channel, messageId = event id, bytes = payload size", () => {
    const result = ok(encode(event({ temp_01: 21.5, _id: "x" }), settings))
    expect(result.batchKey).toBe("telemetry")
    expect(result.entry.messageId).toBe("evt-1")
    expect(result.sentId).toBeUndefined()
    expect(Buffer.from(result.entry.payload).toString("utf8")).toBe('{"temp_01":21.5,"_id":"x"}')
    expect(result.bytes).toBe(result.entry.payload.byteLength)
  })

  it("sends binary data as the raw payload bytes, without field-name rules", () => {
    const bytes = new Uint8Array([0, 1, 2, 255])
    const result = ok(encode(event(bytes), settings))
    expect(result.entry.payload).toEqual(bytes)
    expect(result.bytes).toBe(4)
  })

  it("rejects field temp-01 naming data.temp-01 and the rule", () => {
    expect(violations(encode(event({ "temp-01": 1 }), settings))).toEqual([
      expect.objectContaining({ field: "data.temp-01", rule: "fieldName" }),
    ])
  })

  it("checks nested objects and arrays", () => {
    const found = violations(encode(event({ a: { "01_temp": 1 }, list: [{ ok: 1 }, { __x: 2 }] }), settings))
    expect(found.map((v) => v.field)).toEqual(["data.a.01_temp", "data.list[1].__x"])
  })

  it("rejects case-insensitive duplicate field names in one object", () => {
    const found = violations(encode(event({ foo: 1, FOO: 2 }), settings))
    expect(found).toEqual([expect.objectContaining({ field: "data.FOO", rule: "duplicateFieldName" })])
    // Same name in different objects is fine.
    ok(encode(event({ foo: { foo: 1 }, bar: { FOO: 2 } }), settings))
  })

  it("limits field names to 255 characters", () => {
    ok(encode(event({ [`a${"b".repeat(254)}`]: 1 }), settings))
    expect(violations(encode(event({ [`a${"b".repeat(255)}`]: 1 }), settings))[0]?.rule).toBe(
      "fieldNameLength",
    )
  })

  describe("the two readings of the field-name rule (prose and regex of the model's doc)", () => {
    const names = ["a_b", "T_1", "__temp_01", "01_temp", "temp-01", "temp_01", "_temp_01", "_", "x"]
    const valid = (rule: "prose" | "documentedRegex") =>
      names.filter((name) => checkFieldNames({ [name]: 1 }, "data", rule).length === 0)

    it("prose (default): a_b and T_1 valid; __temp_01, 01_temp, temp-01 invalid", () => {
      expect(valid("prose")).toEqual(["a_b", "T_1", "temp_01", "_temp_01", "_", "x"])
    })
    it("documented regex: also rejects a_b and T_1", () => {
      expect(valid("documentedRegex")).toEqual(["temp_01", "_temp_01", "_", "x"])
    })
    it("the option selects the reading", () => {
      expect(
        violations(encode(event({ a_b: 1 }), { ...settings, fieldNameRule: "documentedRegex" })),
      ).toEqual([expect.objectContaining({ field: "data.a_b", rule: "fieldName" })])
      ok(encode(event({ a_b: 1 }), settings))
    })
  })

  it("reports at most 10 violations for one payload", () => {
    const data = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`${i}-bad`, i]))
    expect(violations(encode(event(data), settings))).toHaveLength(10)
  })

  it("walks deep payloads without overflowing the stack", () => {
    let deep: JsonValue = { "bad-name": 1 }
    for (let i = 0; i < 5000; i++) deep = { n: deep }
    // Built past validation, which refuses data deeper than maxDataDepth: what encode gets from a hand-made Event.
    expect(violations(encode({ ...event(null), data: deep }, settings))[0]?.rule).toBe("fieldName")
  })

  it("derives a stable ASCII messageId when the event id does not fit, and reports it as sentId", () => {
    for (const id of ["x".repeat(129), "évènement-1", "事件"]) {
      const result = ok(encode(event({ a: 1 }, id), settings))
      expect(result.entry.messageId).toMatch(/^sha256-[A-Za-z0-9_-]{43}$/)
      expect(result.sentId).toBe(result.entry.messageId)
      expect(messageIdFor(id)).toBe(result.entry.messageId)
    }
    expect(messageIdFor("x".repeat(128))).toBe("x".repeat(128))
  })

  it("checks a per-event channelName per event, naming the field and rule", () => {
    const perEvent: EncodeOptions = { channelName: (e) => (e.subject === undefined ? "__bad" : e.subject) }
    expect(violations(encode(event({ a: 1 }), perEvent))).toEqual([
      expect.objectContaining({ field: "channelName", rule: "pattern" }),
    ])
    const good = createEvent({ type: "t", source: "s", subject: "line_2", data: { a: 1 } })
    expect(ok(encode(good, perEvent)).batchKey).toBe("line_2")
    const long = createEvent({ type: "t", source: "s", subject: "c".repeat(129), data: {} })
    expect(violations(encode(long, perEvent))[0]?.rule).toBe("maxLength")
  })

  it("uses the payload hook, validating its JSON and its field names under payload.*", () => {
    const hook: EncodeOptions = {
      channelName: "telemetry",
      payload: (e) => ({ reading: e.type, "bad-key": 1 }),
    }
    expect(violations(encode(event(1), hook))).toEqual([
      expect.objectContaining({ field: "payload.bad-key", rule: "fieldName" }),
    ])
    const nan: EncodeOptions = { channelName: "telemetry", payload: () => ({ v: Number.NaN }) }
    expect(violations(encode(event(1), nan))).toEqual([
      expect.objectContaining({ field: "payload.v", rule: "json" }),
    ])
    const throws: EncodeOptions = {
      channelName: "telemetry",
      payload: () => {
        throw new Error("boom")
      },
    }
    expect(violations(encode(event(1), throws))[0]).toMatchObject({ field: "payload", rule: "hook" })
  })

  it("property: never throws, and valid field names always encode to their JSON", () => {
    const name = fc.stringMatching(/^(?:[A-Za-z][A-Za-z0-9_]{0,20}|_[A-Za-z0-9][A-Za-z0-9_]{0,20})$/)
    const value = fc.oneof(fc.integer(), fc.string(), fc.boolean(), fc.constant(null))
    const record = fc.dictionary(name, value, { maxKeys: 8 }).filter((r) => {
      const folded = Object.keys(r).map((k) => k.toLowerCase())
      return new Set(folded).size === folded.length
    })
    fc.assert(
      fc.property(record, fc.string({ minLength: 1, maxLength: 200 }), (data, id) => {
        const result = ok(encode(event(data, id), settings))
        expect(JSON.parse(Buffer.from(result.entry.payload).toString("utf8"))).toEqual(data)
        expect(result.entry.messageId.length).toBeLessThanOrEqual(limits.messageIdMaxLength)
        expect(limits.messageIdPattern.test(result.entry.messageId)).toBe(true)
      }),
    )
    fc.assert(
      fc.property(fc.jsonValue(), (data) => {
        const result = encode(event(data as JsonValue), settings)
        expect(["Encoded", "Rejected"]).toContain(result._tag)
      }),
    )
  })
})

describe("iotAnalytics factory", () => {
  it("checks a constant channelName once, with a clear error", () => {
    expect(() => iotAnalytics({ channelName: "__telemetry" })).toThrow(TypeError)
    expect(() => iotAnalytics({ channelName: "tele-metry" })).toThrow(/channelName must match/)
    expect(() => iotAnalytics({ channelName: "" })).toThrow(/at least 1/)
    expect(() => iotAnalytics({ channelName: "c".repeat(129) })).toThrow(/at most 128/)
    expect(() =>
      iotAnalytics({ channelName: "c".repeat(128), clientConfig: { region: "us-east-1" } }),
    ).not.toThrow()
  })

  it("declares 100 messages per request and the (unverified) 128 KiB message size as an option", () => {
    const adapter = iotAnalytics({ channelName: "telemetry", clientConfig: { region: "us-east-1" } })
    expect(adapter.limits).toMatchObject({ maxEntries: 100, maxEntryBytes: 128 * 1024 })
    const custom = iotAnalytics({
      channelName: "t",
      maxMessageBytes: 1000,
      clientConfig: { region: "us-east-1" },
    })
    expect(custom.limits.maxEntryBytes).toBe(1000)
  })
})
