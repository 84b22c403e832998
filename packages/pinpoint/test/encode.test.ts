import { createEvent, type EncodeResult, type Event, type EventInput } from "@eventport/core"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  type EncodeOptions,
  encode,
  entryBytes,
  groupByEndpoint,
  limits,
  type PinpointEntry,
  pinpoint,
} from "../src/index.ts"

const event = (overrides: Partial<EventInput> = {}): Event =>
  createEvent({
    id: "evt-1",
    type: "song.played",
    source: "app",
    subject: "endpoint-1",
    time: "2026-03-01T12:00:00.000Z",
    data: { genre: "jazz", seconds: 42, liked: true, tags: ["a"], nested: { x: 1 } },
    ...overrides,
  })

const settings: EncodeOptions = { applicationId: "app-123" }

const ok = (result: EncodeResult<PinpointEntry>) => {
  if (result._tag !== "Encoded") throw new Error(`expected Encoded, got ${JSON.stringify(result)}`)
  return result
}
const violations = (result: EncodeResult<PinpointEntry>) => {
  if (result._tag !== "Rejected") throw new Error("expected Rejected")
  return result.violations
}

describe("encode", () => {
  it("maps type, ISO time, string fields to Attributes and number fields to Metrics", () => {
    const result = ok(encode(event(), settings))
    expect(result.batchKey).toBe("app-123")
    expect(result.entry).toEqual({
      applicationId: "app-123",
      endpointId: "endpoint-1",
      endpoint: {},
      eventId: "evt-1",
      event: {
        EventType: "song.played",
        Timestamp: "2026-03-01T12:00:00.000Z",
        Attributes: { genre: "jazz" },
        Metrics: { seconds: 42 },
      },
    })
    expect(typeof result.entry.event.Timestamp).toBe("string")
    expect(result.bytes).toBe(entryBytes(result.entry))
  })

  it("sends no Attributes or Metrics for non-object data", () => {
    for (const data of [null, "text", [1, 2], new Uint8Array([1])]) {
      const wire = ok(encode(event({ data }), settings)).entry.event
      expect(wire.Attributes).toBeUndefined()
      expect(wire.Metrics).toBeUndefined()
    }
  })

  it("rejects an event with no subject and no endpointId option, naming the field", () => {
    const { subject: _, ...noSubject } = { ...event() }
    expect(violations(encode(noSubject as Event, settings))).toEqual([
      expect.objectContaining({ field: "subject", rule: "required" }),
    ])
    const withOption = ok(encode(noSubject as Event, { ...settings, endpointId: (e) => `user-${e.source}` }))
    expect(withOption.entry.endpointId).toBe("user-app")
    expect(violations(encode(event(), { ...settings, endpointId: () => undefined }))).toEqual([
      expect.objectContaining({ field: "endpointId", rule: "required" }),
    ])
  })

  it("resolves applicationId per event and rejects an empty one", () => {
    expect(ok(encode(event(), { applicationId: (e) => `app-${e.source}` })).batchKey).toBe("app-app")
    expect(violations(encode(event(), { applicationId: () => "" }))).toEqual([
      expect.objectContaining({ field: "applicationId", rule: "minLength" }),
    ])
  })

  it("enforces 40 attribute+metric keys per event", () => {
    const data = Object.fromEntries(Array.from({ length: 41 }, (_, i) => [`k${i}`, i % 2 === 0 ? "s" : i]))
    expect(violations(encode(event({ data }), settings))).toEqual([
      expect.objectContaining({ field: "data", rule: "maxKeys" }),
    ])
    const forty = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, i]))
    ok(encode(event({ data: { ...forty, ignored: true } }), settings))
  })

  it("enforces attribute key 50 and value 200 characters", () => {
    ok(encode(event({ data: { ["k".repeat(50)]: "v".repeat(200) } }), settings))
    expect(violations(encode(event({ data: { ["k".repeat(51)]: "v" } }), settings))).toEqual([
      expect.objectContaining({ field: `data.${"k".repeat(51)}`, rule: "attributeKeyLength" }),
    ])
    expect(violations(encode(event({ data: { note: "v".repeat(201) } }), settings))).toEqual([
      expect.objectContaining({ field: "data.note", rule: "attributeValueLength" }),
    ])
  })

  it("uses attributes and metrics options, checking their values", () => {
    const custom: EncodeOptions = {
      ...settings,
      attributes: () => ({ plan: "pro" }),
      metrics: (e) => ({ size: JSON.stringify(e.data).length }),
    }
    const wire = ok(encode(event(), custom)).entry.event
    expect(wire.Attributes).toEqual({ plan: "pro" })
    expect(wire.Metrics).toEqual({ size: expect.any(Number) })
    const bad: EncodeOptions = {
      ...settings,
      attributes: () => ({ n: 1 as unknown as string }),
      metrics: () => ({ m: Number.NaN }),
    }
    expect(violations(encode(event(), bad))).toEqual([
      expect.objectContaining({ field: "attributes.n", rule: "type" }),
      expect.objectContaining({ field: "metrics.m", rule: "type" }),
    ])
  })

  describe("session", () => {
    it("rejects a Pinpoint Session without StartTimestamp", () => {
      const s: EncodeOptions = { ...settings, session: { Id: "s1" } as never }
      expect(violations(encode(event(), s))).toEqual([
        expect.objectContaining({ field: "session.StartTimestamp", rule: "required" }),
      ])
    })
    it("rejects a session without Id, with a bad timestamp or duration", () => {
      const s: EncodeOptions = {
        ...settings,
        session: { StartTimestamp: "yesterday", Duration: -1 } as never,
      }
      expect(violations(encode(event(), s)).map((v) => `${v.field}:${v.rule}`)).toEqual([
        "session.Id:required",
        "session.StartTimestamp:timestamp",
        "session.Duration:type",
      ])
    })
    it("sends a valid session with ISO timestamps (Dates converted)", () => {
      const s: EncodeOptions = {
        ...settings,
        session: (e) => ({
          Id: "s1",
          StartTimestamp: e.time,
          StopTimestamp: "2026-03-01T12:05:00Z",
          Duration: 300000,
        }),
      }
      expect(ok(encode(event(), s)).entry.event.Session).toEqual({
        Id: "s1",
        StartTimestamp: "2026-03-01T12:00:00.000Z",
        StopTimestamp: "2026-03-01T12:05:00Z",
        Duration: 300000,
      })
    })
  })

  it("rejects an event over 1,000 KB as JSON", () => {
    const big = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, "x".repeat(200)]))
    ok(encode(event({ data: big }), settings))
    const huge: EncodeOptions = { ...settings, eventType: () => "t".repeat(limits.maxEventBytes) }
    expect(violations(encode(event(), huge))).toEqual([
      expect.objectContaining({ field: "(event)", rule: "maxEventBytes" }),
    ])
  })

  it("turns a throwing option into a violation", () => {
    const s: EncodeOptions = {
      ...settings,
      endpoint: () => {
        throw new Error("no endpoint")
      },
    }
    expect(violations(encode(event(), s))).toEqual([
      expect.objectContaining({ field: "endpoint", rule: "hook" }),
    ])
  })

  it("property: never throws; entry bytes bound the body share of the event", () => {
    // Any id but __proto__, which encode rejects (the SDK cannot read a result keyed by it).
    const resultKey = fc.string({ minLength: 1 }).filter((key) => key !== "__proto__")
    const flat = fc.dictionary(
      fc.string({ minLength: 1, maxLength: 50 }),
      fc.oneof(
        fc.string({ maxLength: 200 }),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.boolean(),
      ),
      { maxKeys: 40 },
    )
    fc.assert(
      fc.property(flat, resultKey, resultKey, (data, id, subject) => {
        const result = ok(encode(event({ id, subject, data }), settings))
        const body = JSON.stringify({ BatchItem: groupByEndpoint([result.entry]) })
        expect(Buffer.byteLength(body) - limits.requestOverheadBytes).toBeLessThanOrEqual(result.bytes)
      }),
    )
    fc.assert(
      fc.property(fc.jsonValue(), fc.option(fc.string(), { nil: undefined }), (data, subject) => {
        const input = { type: "t", source: "s", data, ...(subject === undefined ? {} : { subject }) }
        const result = encode(createEvent(input as EventInput), settings)
        expect(["Encoded", "Rejected"]).toContain(result._tag)
      }),
    )
  })
})

describe("groupByEndpoint", () => {
  it("makes one EventsBatch per endpoint id, the first Endpoint object winning", () => {
    const a = ok(
      encode(event({ id: "1", subject: "ep-a" }), { ...settings, endpoint: (e) => ({ Address: e.id }) }),
    ).entry
    const b = ok(encode(event({ id: "2", subject: "ep-b" }), settings)).entry
    const c = ok(
      encode(event({ id: "3", subject: "ep-a" }), { ...settings, endpoint: (e) => ({ Address: e.id }) }),
    ).entry
    const grouped = groupByEndpoint([a, b, c])
    expect(Object.keys(grouped)).toEqual(["ep-a", "ep-b"])
    expect(grouped["ep-a"]?.Endpoint).toEqual({ Address: "1" })
    expect(Object.keys(grouped["ep-a"]?.Events ?? {})).toEqual(["1", "3"])
  })

  it("keeps __proto__ ids as plain keys", () => {
    // encode refuses such ids (the SDK cannot read their results); the request body stays safe anyway.
    const e = {
      ...ok(encode(event({ id: "x", subject: "y" }), settings)).entry,
      endpointId: "__proto__",
      eventId: "__proto__",
    }
    const grouped = groupByEndpoint([e])
    expect(Object.hasOwn(grouped, "__proto__")).toBe(true)
    const batch = Object.getOwnPropertyDescriptor(grouped, "__proto__")?.value as { Events: object }
    expect(Object.hasOwn(batch.Events, "__proto__")).toBe(true)
  })
})

describe("pinpoint factory", () => {
  it("rejects an empty constant applicationId", () => {
    expect(() => pinpoint({ applicationId: "" })).toThrow(TypeError)
  })
  it.each([
    [{ endpointId: "" }, /pinpoint: option endpointId must be at least 1 characters/],
    [{ eventType: 7 as never }, /pinpoint: option eventType must be a string/],
    [
      { endpoint: { ChannelType: "PIGEON" } as never },
      /pinpoint: option endpoint\.ChannelType must be one of/,
    ],
    [{ session: { Id: "s1" } as never }, /pinpoint: option session\.StartTimestamp is required/],
  ])("checks constant options once, at construction: %o", (bad, message) => {
    expect(() => pinpoint({ applicationId: "app", clientConfig: { region: "us-east-1" }, ...bad })).toThrow(
      message,
    )
  })
  it("declares 100 events and 4 MB per request", () => {
    const adapter = pinpoint({ applicationId: "app", clientConfig: { region: "us-east-1" } })
    expect(adapter.limits).toMatchObject({ maxEntries: 100, maxRequestBytes: 4 * 1024 * 1024 })
  })
})

describe("endpoint and time checks", () => {
  it("rejects an Endpoint object the model would refuse, for that event only", () => {
    const bad: EncodeOptions = {
      ...settings,
      endpoint: () =>
        ({ ChannelType: "PIGEON", Address: 7, Attributes: { a: "x" }, Metrics: { m: "1" } }) as never,
    }
    expect(violations(encode(event(), bad)).map((v) => `${v.field}:${v.rule}`)).toEqual([
      "endpoint.ChannelType:enum",
      "endpoint.Address:type",
      "endpoint.Attributes:type",
      "endpoint.Metrics:type",
    ])
    ok(
      encode(event(), {
        ...settings,
        endpoint: { ChannelType: "CUSTOM", Attributes: { a: ["x"] }, Metrics: { m: 1 } },
      }),
    )
  })

  it("rejects a time outside years 0000–9999 (no ISO 8601 Timestamp for it)", () => {
    expect(violations(encode(event({ time: new Date(Date.UTC(10000, 0, 1)) }), settings))).toEqual([
      expect.objectContaining({ field: "time", rule: "timestamp" }),
    ])
  })
})
