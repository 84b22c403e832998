import { describe, expect, it } from "vitest"
import { createEvent, generateEventId, InvalidEventError, validateEvent } from "../src/index.ts"

const violationsOf = (input: unknown) => {
  const r = validateEvent(input)
  return r.ok ? [] : r.violations.map((v) => [v.field, v.rule])
}

describe("validateEvent", () => {
  it("names the field and the rule of every violation", () => {
    expect(violationsOf({ source: "s", data: null })).toEqual([["type", "required"]])
    expect(violationsOf({ type: 1, source: "", data: null })).toEqual([
      ["type", "type"],
      ["source", "minLength"],
    ])
    expect(violationsOf({ type: "t", source: "s" })).toEqual([["data", "required"]])
    expect(violationsOf({ type: "t", source: "s", data: null, time: "yesterday" })).toEqual([
      ["time", "timestamp"],
    ])
    expect(violationsOf({ type: "t", source: "s", data: { a: [1, Number.NaN] } })).toEqual([
      ["data.a[1]", "json"],
    ])
    expect(violationsOf({ type: "t", source: "s", data: null, extensions: { "Bad-Name": 1 } })).toEqual([
      ["extensions.Bad-Name", "extensionName"],
    ])
    expect(violationsOf({ type: "t", source: "s", data: null, extensions: { subject: "x" } })).toEqual([
      ["extensions.subject", "reserved"],
    ])
    expect(violationsOf({ type: "t", source: "s", data: null, extensions: { n: 1.5 } })).toEqual([
      ["extensions.n", "type"],
    ])
    expect(violationsOf("not an event")).toEqual([["(event)", "type"]])
  })

  it("keeps the id of an invalid event so outcomes can name it", () => {
    const r = validateEvent({ id: "order-1", source: "s", data: null })
    expect(!r.ok && r.eventId).toBe("order-1")
  })

  it("fills id and time, and parses string times", () => {
    const r = validateEvent({ type: "t", source: "s", data: 1, time: "2026-01-02T03:04:05.678Z" })
    expect(r.ok && r.event.time.toISOString()).toBe("2026-01-02T03:04:05.678Z")
    expect(r.ok && r.event.id).toMatch(/^[0-9a-f-]{36}$/)
  })

  it("createEvent throws InvalidEventError with a message naming each field", () => {
    expect(() => createEvent({ type: "", source: "s", data: null })).toThrow(/type: must not be empty/)
    try {
      createEvent({ id: "x", type: "", source: "s", data: null })
    } catch (e) {
      expect(InvalidEventError.isInstance(e)).toBe(true)
      expect((e as InvalidEventError).eventId).toBe("x")
    }
  })
})

describe("generateEventId", () => {
  it("gives lower-case RFC 9562 version 4 UUIDs, distinct across pool refills", () => {
    const uuidV4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
    const ids = new Set<string>()
    // 256 ids per pool of random bytes: this crosses several refills.
    for (let i = 0; i < 2_000; i++) {
      const id = generateEventId()
      expect(id).toMatch(uuidV4)
      ids.add(id)
    }
    expect(ids.size).toBe(2_000)
    // Every hex digit turns up in every free position (not a constant or a stuck byte).
    const seen = Array.from({ length: 36 }, () => new Set<string>())
    for (const id of ids) for (let i = 0; i < 36; i++) seen[i]!.add(id[i]!)
    for (const i of [0, 7, 9, 15, 20, 35]) expect(seen[i]!.size).toBe(16)
  })
})
