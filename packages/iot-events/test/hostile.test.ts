/**
 * Hostile input (issue 7): whatever a caller passes, the adapter rejects it clearly (field and
 * rule) or encodes it so that the wire form decodes back to the event; it never throws, pollutes a
 * prototype or hangs. Inputs come from @eventport/testkit's hostile arbitraries.
 */
import { type Emulator, startEmulator } from "@eventport/aws-emulator"
import { createEvent, createPublisher, type Event, type EventInput, validateEvent } from "@eventport/core"
import { arbEvent, arbHostileEventInput, arbHostileString } from "@eventport/testkit"
import fc from "fast-check"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { iotEvents } from "../src/index.ts"

let emulator: Emulator
beforeAll(async () => {
  emulator = await startEmulator()
})
afterAll(() => emulator.stop())

const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort()
const expectNoPollution = () => {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys)
}

/** Valid events with hostile keys and strings in an object `data` (JSON.parse makes own `__proto__` keys). */
const arbExtremeEvent: fc.Arbitrary<Event> = fc
  .tuple(
    arbEvent,
    fc.dictionary(
      fc.oneof(arbHostileString, fc.constantFrom("__proto__", "constructor", "prototype")),
      fc.oneof(arbHostileString, fc.jsonValue({ maxDepth: 2 })),
      { maxKeys: 4 },
    ),
  )
  .map(([event, data]) => createEvent({ ...event, data: JSON.parse(JSON.stringify(data)) }))

/** Events as the publisher would encode them: hostile inputs that pass the event model, and extreme ones. */
const arbEncodable: fc.Arbitrary<Event> = fc.oneof(
  arbExtremeEvent,
  arbHostileEventInput
    .map((input) => validateEvent(input))
    .filter((v) => v.ok)
    .map((v) => (v as { event: Event }).event),
)

/** The data as JSON carries it (JSON has no -0: it becomes 0), bytes as they are. */
const asJson = (data: Event["data"]): unknown =>
  data instanceof Uint8Array ? new Uint8Array(data) : JSON.parse(JSON.stringify(data))

const nested = (depth: number): Record<string, unknown> => {
  let value: Record<string, unknown> = { leaf: 1 }
  for (let i = 1; i < depth; i++) value = { n: value }
  return value
}

/** The payload as the service holds it: bytes for binary data, else the data's JSON text. */
const decodePayload = (payload: Uint8Array, event: Event): unknown =>
  event.data instanceof Uint8Array
    ? new Uint8Array(payload)
    : JSON.parse(Buffer.from(payload).toString("utf8"))

describe("iotEvents with hostile input", () => {
  const adapter = iotEvents({ inputName: "hostile_input", clientConfig: { region: "us-east-1" } })

  it("encode never throws: a rejection with field and rule, or an entry whose payload decodes to the data", () => {
    fc.assert(
      fc.property(arbEncodable, (event) => {
        const result = adapter.encode(event)
        if (result._tag === "Rejected") {
          expect(result.violations.length).toBeGreaterThan(0)
          for (const v of result.violations) expect(v.field && v.rule).toBeTruthy()
        } else {
          expect(result.entry.inputName).toBe("hostile_input")
          expect(decodePayload(result.entry.payload!, event)).toEqual(asJson(event.data))
        }
        expectNoPollution()
      }),
      { numRuns: 150 },
    )
  })

  it("encodes data nested past 1,000 levels losslessly (IoT Events sets no depth rule)", () => {
    const event = createEvent({ type: "t", source: "s", data: nested(1500) as never })
    const result = adapter.encode(event)
    expect(result._tag).toBe("Encoded")
    if (result._tag === "Encoded")
      expect(decodePayload(result.entry.payload!, event)).toEqual(asJson(event.data))
  })

  it("the publish path: every input gets one outcome; delivered entries are stored as the data", async () => {
    const publisher = createPublisher({
      destinations: {
        target: iotEvents({
          inputName: "hostile_input",
          clientConfig: {
            endpoint: emulator.endpoint,
            region: "us-east-1",
            credentials: emulator.credentials,
          },
        }),
      },
      retry: { maxAttempts: 1 },
    })
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.oneof(arbHostileEventInput, arbExtremeEvent), { maxLength: 6 }),
          async (inputs) => {
            emulator.reset()
            const result = await publisher.publish(inputs as ReadonlyArray<EventInput>)
            expect(result.outcomes).toHaveLength(inputs.length)
            for (const o of result.outcomes) {
              if (o._tag === "Rejected") for (const v of o.violations) expect(v.field && v.rule).toBeTruthy()
              expect(o._tag).not.toBe("Failed")
              if (o._tag === "Delivered") {
                const id = o.sentId ?? o.eventId
                const stored = emulator.store.iotevents.entries.find((e) => e.messageId === id)
                expect(decodePayload(stored!.payload, o.event)).toEqual(asJson(o.event.data))
              }
            }
            expectNoPollution()
          },
        ),
        { numRuns: 25 },
      )
    } finally {
      await publisher.close()
    }
  })
})
