import type { Message } from "@aws-sdk/client-iot-events-data"
import { createEvent, type EncodeResult, type Event, type EventInput, type JsonValue } from "@eventport/core"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { encode } from "../src/encode.ts"
import { iotEvents, limits, messageIdFor } from "../src/index.ts"

const event = (fields: Partial<EventInput> = {}): Event =>
  createEvent({ id: "evt-1", type: "reading", source: "sensor", data: { temp: 21.5 }, ...fields })

const encodedOf = (result: EncodeResult<Message>) => {
  if (result._tag !== "Encoded") throw new Error(`expected Encoded, got ${JSON.stringify(result.violations)}`)
  return result
}

const violationsOf = (result: EncodeResult<Message>) => {
  if (result._tag !== "Rejected") throw new Error("expected Rejected")
  return result.violations.map(({ field, rule }) => ({ field, rule }))
}

const text = (bytes: Uint8Array | undefined) => Buffer.from(bytes!).toString("utf8")

describe("encode: mapping", () => {
  it("maps id, data and time onto messageId, payload (JSON bytes, not base64) and timeInMillis", () => {
    const time = new Date("2026-11-01T10:00:00.123Z")
    const result = encodedOf(encode(event({ time }), { inputName: "temperatures" }))
    expect(result.entry).toMatchObject({
      messageId: "evt-1",
      inputName: "temperatures",
      timestamp: { timeInMillis: time.getTime() },
    })
    expect(text(result.entry.payload)).toBe('{"temp":21.5}')
    expect(result.bytes).toBe(13)
    expect(result.sentId).toBeUndefined()
  })

  it("takes inputName per event", () => {
    const options = { inputName: (e: Event) => `input-${e.source}` }
    expect(encodedOf(encode(event(), options)).entry.inputName).toBe("input-sensor")
  })

  it("sends binary data as its bytes, and a payload hook's value as JSON or bytes", () => {
    const bytes = new Uint8Array([0, 1, 254, 255])
    expect(encodedOf(encode(event({ data: bytes }), { inputName: "i" })).entry.payload).toEqual(bytes)
    const fromHook = encode(event(), { inputName: "i", payload: (e) => ({ wrapped: e.data as JsonValue }) })
    expect(text(encodedOf(fromHook).entry.payload)).toBe('{"wrapped":{"temp":21.5}}')
    // A string is a JSON value: sent as JSON text, quoted. Raw text goes as bytes.
    expect(text(encodedOf(encode(event(), { inputName: "i", payload: () => "on" })).entry.payload)).toBe(
      '"on"',
    )
    const raw = new TextEncoder().encode("on")
    expect(text(encodedOf(encode(event(), { inputName: "i", payload: () => raw })).entry.payload)).toBe("on")
  })
})

describe("encode: messageId", () => {
  it("keeps an event id that fits the messageId rule", () => {
    for (const id of ["a", "A-b_9", "x".repeat(64)]) expect(messageIdFor(id)).toBe(id)
  })

  it("derives a stable, valid id otherwise, and reports it as the sent id", () => {
    const id = "550e8400-e29b-41d4-a716-446655440000:retry/1"
    const result = encodedOf(encode(event({ id }), { inputName: "i" }))
    expect(result.entry.messageId).toMatch(/^sha256-[A-Za-z0-9_-]{43}$/)
    expect(result.sentId).toBe(result.entry.messageId)
    expect(messageIdFor(id)).toBe(result.entry.messageId)
    expect(messageIdFor("x".repeat(65))).not.toBe(messageIdFor("x".repeat(66)))
  })

  it("for any event id: valid, stable, and the id itself when it already fits", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 200, unit: "binary" }), (id) => {
        const sent = messageIdFor(id)
        expect(sent).toMatch(limits.messageId.pattern)
        expect(sent.length).toBeLessThanOrEqual(limits.messageId.max)
        expect(messageIdFor(id)).toBe(sent)
        if (/^[a-zA-Z0-9_-]{1,64}$/.test(id)) expect(sent).toBe(id)
      }),
    )
  })
})

describe("encode: validation names the field and the rule", () => {
  it("inputName: 1..128 characters, starting with a letter or digit", () => {
    expect(encode(event(), { inputName: () => `a${"b".repeat(127)}` })._tag).toBe("Encoded")
    expect(violationsOf(encode(event(), { inputName: () => "" }))).toEqual([
      { field: "inputName", rule: "minLength" },
    ])
    expect(violationsOf(encode(event(), { inputName: () => "a".repeat(129) }))).toEqual([
      { field: "inputName", rule: "maxLength" },
    ])
    for (const bad of ["_input", "in put", "input/1"])
      expect(violationsOf(encode(event(), { inputName: () => bad }))).toEqual([
        { field: "inputName", rule: "pattern" },
      ])
  })

  it("time: timeInMillis must be at least 1", () => {
    expect(violationsOf(encode(event({ time: new Date(0) }), { inputName: "i" }))).toEqual([
      { field: "time", rule: "min" },
    ])
    expect(encode(event({ time: new Date(1) }), { inputName: "i" })._tag).toBe("Encoded")
  })

  it("payload hook: must return bytes or a JSON value", () => {
    expect(
      violationsOf(encode(event(), { inputName: "i", payload: () => ({ at: new Date() }) as never })),
    ).toEqual([{ field: "payload.at", rule: "json" }])
  })

  it("a hook that throws rejects the event, naming the option", () => {
    const throwing = () => {
      throw new Error("no input for this device")
    }
    const result = encode(event(), { inputName: throwing, payload: throwing })
    expect(violationsOf(result)).toEqual([
      { field: "inputName", rule: "hook" },
      { field: "payload", rule: "hook" },
    ])
  })
})

describe("iotEvents(): options", () => {
  it.each([
    [{ inputName: "_bad" }, /inputName must match/],
    [{ inputName: "" }, /inputName must be at least 1/],
    [{ inputName: "i", maxRequestBytes: -1 }, /maxRequestBytes must be a positive number/],
    [{ inputName: "i", maxEntryBytes: 0 }, /maxEntryBytes must be a positive number/],
    [{ inputName: "i", client: {} as never, clientConfig: {} }, /either client or clientConfig/],
  ])("%o throws", (options, message) => {
    expect(() => iotEvents(options)).toThrow(message)
  })

  it("declares 10 messages and the documented 1 KiB per batch, configurable", () => {
    const config = { clientConfig: { region: "us-east-1" } }
    expect(iotEvents({ inputName: "i", ...config }).limits).toEqual({
      maxEntries: 10,
      maxRequestBytes: 1024,
      maxEntryBytes: 1024,
    })
    expect(
      iotEvents({ inputName: "i", maxRequestBytes: Number.POSITIVE_INFINITY, maxEntryBytes: 1024, ...config })
        .limits,
    ).toMatchObject({ maxRequestBytes: Number.POSITIVE_INFINITY, maxEntryBytes: 1024 })
  })
})

describe("encode: properties", () => {
  it("never throws; an encoded payload is the data's JSON (or bytes) and its size is the payload's", () => {
    fc.assert(
      fc.property(
        fc.record({
          id: fc.string({ minLength: 1 }),
          type: fc.string({ minLength: 1 }),
          source: fc.string({ minLength: 1 }),
          time: fc.date({ noInvalidDate: true }),
          data: fc.oneof(fc.jsonValue() as fc.Arbitrary<JsonValue>, fc.uint8Array()),
        }),
        fc.string(),
        (input, inputName) => {
          const e = createEvent(input)
          const result = encode(e, { inputName })
          if (result._tag === "Rejected") {
            expect(result.violations.length).toBeGreaterThan(0)
            return
          }
          const payload = result.entry.payload!
          expect(result.bytes).toBe(payload.byteLength)
          if (e.data instanceof Uint8Array) expect(payload).toEqual(e.data)
          else expect(JSON.parse(text(payload))).toEqual(JSON.parse(JSON.stringify(e.data)))
        },
      ),
    )
  })
})
