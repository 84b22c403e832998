import type { PutEventsRequestEntry } from "@aws-sdk/client-eventbridge"
import { createEvent, type EncodeResult, type Event, type EventInput, type JsonValue } from "@eventport/core"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { type EncodeOptions, encode } from "../src/encode.ts"
import { eventBridge, limits, putEventsEntrySize } from "../src/index.ts"

const event = (fields: Partial<EventInput> = {}): Event =>
  createEvent({ id: "evt-1", type: "order.created", source: "shop", data: { orderId: 42 }, ...fields })

const entryOf = (result: EncodeResult<PutEventsRequestEntry>) => {
  if (result._tag !== "Encoded") throw new Error(`expected Encoded, got ${JSON.stringify(result.violations)}`)
  return result
}

const violationsOf = (result: EncodeResult<PutEventsRequestEntry>) => {
  if (result._tag !== "Rejected") throw new Error("expected Rejected")
  return result.violations.map(({ field, rule }) => ({ field, rule }))
}

const nested = (levels: number): JsonValue => {
  let value: JsonValue = {}
  for (let i = 1; i < levels; i++) value = { a: value }
  return value
}

describe("encode: mapping", () => {
  it("maps source, type, data and time onto Source, DetailType, Detail and Time", () => {
    const time = new Date("2026-11-01T10:00:00.000Z")
    const { entry } = entryOf(encode(event({ time }), {}))
    expect(entry).toEqual({
      Time: time,
      Source: "shop",
      DetailType: "order.created",
      Detail: '{"orderId":42}',
    })
  })

  it("takes the bus, resources and trace header from options, constant or per event", () => {
    const options: EncodeOptions = {
      eventBusName: (e) => (e.type === "order.created" ? "orders" : undefined),
      resources: ["arn:aws:s3:::bucket"],
      traceHeader: (e) => `Root=1-${e.id}`,
    }
    const { entry } = entryOf(encode(event(), options))
    expect(entry.EventBusName).toBe("orders")
    expect(entry.Resources).toEqual(["arn:aws:s3:::bucket"])
    expect(entry.TraceHeader).toBe("Root=1-evt-1")
    expect(entryOf(encode(event({ type: "other" }), options)).entry.EventBusName).toBeUndefined()
  })

  it("omits an empty Resources list", () => {
    expect(entryOf(encode(event(), { resources: [] })).entry).not.toHaveProperty("Resources")
  })

  it("builds Detail with the detail hook", () => {
    const { entry } = entryOf(encode(event(), { detail: (e) => ({ id: e.id, data: e.data as JsonValue }) }))
    expect(JSON.parse(entry.Detail!)).toEqual({ id: "evt-1", data: { orderId: 42 } })
  })

  it("wraps non-object data only when asked: { data } for JSON, { data_base64 } for bytes", () => {
    expect(violationsOf(encode(event({ data: [1, 2] }), {}))).toEqual([{ field: "data", rule: "jsonObject" }])
    expect(violationsOf(encode(event({ data: "text" }), {}))).toEqual([{ field: "data", rule: "jsonObject" }])
    expect(violationsOf(encode(event({ data: null }), {}))).toEqual([{ field: "data", rule: "jsonObject" }])
    const bytes = new Uint8Array([0, 1, 254, 255])
    expect(violationsOf(encode(event({ data: bytes }), {}))).toEqual([{ field: "data", rule: "jsonObject" }])

    const wrap = { wrapNonObjectData: true }
    expect(entryOf(encode(event({ data: [1, 2] }), wrap)).entry.Detail).toBe('{"data":[1,2]}')
    expect(entryOf(encode(event({ data: null }), wrap)).entry.Detail).toBe('{"data":null}')
    expect(entryOf(encode(event({ data: bytes }), wrap)).entry.Detail).toBe('{"data_base64":"AAH+/w=="}')
    // An object is never wrapped.
    expect(entryOf(encode(event(), wrap)).entry.Detail).toBe('{"orderId":42}')
  })
})

describe("encode: entry size by AWS's rule", () => {
  it("counts Time as 14 and the UTF-8 bytes of Source, DetailType, Detail and Resources", () => {
    const result = entryOf(
      encode(event({ source: "é", type: "t", data: { k: "€" } }), {
        resources: ["ab", "c"],
        eventBusName: "not-counted",
        traceHeader: "not-counted-either",
      }),
    )
    // 14 + "é" (2) + "t" (1) + '{"k":"€"}' (11) + "ab" (2) + "c" (1)
    expect(result.bytes).toBe(31)
    expect(putEventsEntrySize(result.entry)).toBe(31)
  })
})

describe("encode: validation names the field and the rule", () => {
  it("DetailType: 1..128 characters", () => {
    expect(entryOf(encode(event({ type: "t".repeat(128) }), {})).entry.DetailType).toHaveLength(128)
    expect(violationsOf(encode(event({ type: "t".repeat(129) }), {}))).toEqual([
      { field: "type", rule: "maxLength" },
    ])
  })

  it("Detail nesting: at most 1000 levels, the object itself being level 1", () => {
    expect(encode(event({ data: nested(1000) }), {})._tag).toBe("Encoded")
    const [v] = violationsOf(encode(event({ data: nested(1001) }), {}))
    expect(v?.rule).toBe("maxDepth")
    expect(v?.field.startsWith("data.a.a")).toBe(true)
  })

  it("Detail integers: within int64, wherever they are", () => {
    expect(encode(event({ data: { n: 2 ** 63 - 1024, m: -(2 ** 63) + 1024 } }), {})._tag).toBe("Encoded")
    expect(violationsOf(encode(event({ data: { list: [1, 2 ** 63] } }), {}))).toEqual([
      { field: "data.list[1]", rule: "int64" },
    ])
    expect(violationsOf(encode(event({ data: { n: -(2 ** 64) } }), {}))).toEqual([
      { field: "data.n", rule: "int64" },
    ])
    // -(2 ** 63) is in int64 as a JS number, but JSON.stringify writes -9223372036854776000.
    const atMin = encode(event({ data: { m: -(2 ** 63) } }), {})
    expect(violationsOf(atMin)).toEqual([{ field: "data.m", rule: "int64" }])
    expect(atMin._tag === "Rejected" && atMin.violations[0]?.message).toContain("-9223372036854776000")
    // Serialized as 1e+21: a float to a JSON parser, so not an int64 question.
    expect(encode(event({ data: { n: 1e21, f: 1.5e300 } }), {})._tag).toBe("Encoded")
  })

  it("Resources: strings, each at most 2048 characters, never null", () => {
    expect(encode(event(), { resources: ["r".repeat(2048)] })._tag).toBe("Encoded")
    expect(violationsOf(encode(event(), { resources: () => ["ok", "r".repeat(2049)] }))).toEqual([
      { field: "resources[1]", rule: "maxLength" },
    ])
    const withNull = () => ["ok", null] as unknown as ReadonlyArray<string>
    expect(violationsOf(encode(event(), { resources: withNull }))).toEqual([
      { field: "resources[1]", rule: "type" },
    ])
  })

  it("EventBusName: 1..1600 characters, a name or an event-bus ARN, whole string matched", () => {
    for (const ok of ["default", "orders.v2_x-y", "arn:aws:events:eu-west-1:123456789012:event-bus/orders"])
      expect(encode(event(), { eventBusName: () => ok })._tag).toBe("Encoded")
    expect(violationsOf(encode(event(), { eventBusName: () => "" }))).toEqual([
      { field: "eventBusName", rule: "minLength" },
    ])
    expect(violationsOf(encode(event(), { eventBusName: () => "b".repeat(1601) }))).toEqual([
      { field: "eventBusName", rule: "maxLength" },
    ])
    // botocore's unanchored pattern would accept these.
    for (const bad of ["orders bus", "orders/x", "arn:aws:events:eu-west-1:123:event-bus/orders"])
      expect(violationsOf(encode(event(), { eventBusName: () => bad }))).toEqual([
        { field: "eventBusName", rule: "pattern" },
      ])
  })

  it("TraceHeader: 1..500 characters", () => {
    expect(encode(event(), { traceHeader: () => "h".repeat(500) })._tag).toBe("Encoded")
    expect(violationsOf(encode(event(), { traceHeader: () => "h".repeat(501) }))).toEqual([
      { field: "traceHeader", rule: "maxLength" },
    ])
    expect(violationsOf(encode(event(), { traceHeader: () => "" }))).toEqual([
      { field: "traceHeader", rule: "minLength" },
    ])
  })

  it("detail hook: must return a JSON object", () => {
    expect(violationsOf(encode(event(), { detail: () => [1] as never }))).toEqual([
      { field: "detail", rule: "jsonObject" },
    ])
    expect(violationsOf(encode(event(), { detail: () => ({ when: new Date() }) as never }))).toEqual([
      { field: "detail.when", rule: "json" },
    ])
  })

  it("a hook that throws rejects the event, naming the option", () => {
    const result = encode(event(), {
      eventBusName: () => {
        throw new Error("no bus for this tenant")
      },
    })
    expect(violationsOf(result)).toEqual([{ field: "eventBusName", rule: "hook" }])
    expect(result._tag === "Rejected" && result.violations[0]?.message).toContain("no bus for this tenant")
  })

  it("reports every violation of an event at once", () => {
    const result = encode(event({ type: "t".repeat(200), data: [] }), { traceHeader: () => "" })
    expect(violationsOf(result).map((v) => v.field)).toEqual(["type", "data", "traceHeader"])
  })
})

describe("eventBridge(): constant options are checked at construction", () => {
  it.each([
    [{ endpointId: "no-dot" }, /endpointId.*must match/],
    [{ endpointId: `${"a".repeat(50)}.b` }, /endpointId.*at most 50/],
    [{ eventBusName: "bad name" }, /eventBusName.*must match/],
    [{ traceHeader: "" }, /traceHeader.*at least 1/],
    [{ resources: ["r".repeat(2049)] }, /resources\[0\].*at most 2048/],
    [{ maxRequestBytes: 0 }, /maxRequestBytes must be a positive number/],
    [{ client: {} as never, clientConfig: {} }, /either client or clientConfig/],
  ])("%o", (options, message) => {
    expect(() => eventBridge(options)).toThrow(message)
  })

  it("accepts a valid global endpoint id and declares the PutEvents limits", () => {
    const adapter = eventBridge({ endpointId: "abcde.veo", clientConfig: { region: "us-east-1" } })
    expect(adapter.limits).toEqual({ maxEntries: 10, maxRequestBytes: 256 * 1024, maxEntryBytes: 256 * 1024 })
    expect(
      eventBridge({ maxRequestBytes: 1024 * 1024, clientConfig: { region: "us-east-1" } }).limits,
    ).toMatchObject({
      maxRequestBytes: 1024 * 1024,
      maxEntryBytes: 1024 * 1024,
    })
    expect(limits.maxEntriesPerRequest).toBe(10)
  })
})

describe("encode: properties", () => {
  const jsonObject = fc.dictionary(fc.string(), fc.jsonValue() as fc.Arbitrary<JsonValue>)
  const anyEvent = fc.record({
    id: fc.string({ minLength: 1 }),
    type: fc.string({ minLength: 1, maxLength: 200 }),
    source: fc.string({ minLength: 1 }),
    time: fc.date({ noInvalidDate: true }),
    data: fc.oneof(fc.jsonValue() as fc.Arbitrary<JsonValue>, jsonObject, fc.uint8Array()),
  })

  it("never throws; encodes exactly what it does not reject; size is AWS's rule of the entry", () => {
    fc.assert(
      fc.property(anyEvent, fc.boolean(), (input, wrapNonObjectData) => {
        const e = createEvent(input)
        const result = encode(e, { wrapNonObjectData })
        if (result._tag === "Rejected") {
          expect(result.violations.length).toBeGreaterThan(0)
          return
        }
        expect(result.entry.DetailType!.length).toBeLessThanOrEqual(limits.maxDetailTypeLength)
        const detail: unknown = JSON.parse(result.entry.Detail!)
        expect(typeof detail === "object" && detail !== null && !Array.isArray(detail)).toBe(true)
        expect(result.bytes).toBe(putEventsEntrySize(result.entry))
      }),
    )
  })

  it("with wrapping on, only out-of-int64 integers reject an event of a valid type; Detail round-trips its data", () => {
    fc.assert(
      fc.property(anyEvent, (input) => {
        const e = createEvent({ ...input, type: input.type.slice(0, 128) })
        const result = encode(e, { wrapNonObjectData: true })
        if (result._tag === "Rejected") {
          expect(result.violations.map((v) => v.rule)).toEqual(["int64"])
          return
        }
        const detail = JSON.parse(result.entry.Detail!)
        if (e.data instanceof Uint8Array)
          expect(Buffer.from(detail.data_base64, "base64")).toEqual(Buffer.from(e.data))
        else if (typeof e.data === "object" && e.data !== null && !Array.isArray(e.data))
          expect(detail).toEqual(JSON.parse(JSON.stringify(e.data)))
        else expect(detail).toEqual(JSON.parse(JSON.stringify({ data: e.data })))
      }),
    )
  })
})
