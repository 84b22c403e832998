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
import { eventBridge } from "../src/index.ts"

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

describe("eventBridge with hostile input", () => {
  const adapter = eventBridge({ eventBusName: "hostile", clientConfig: { region: "us-east-1" } })

  it("encode never throws: a rejection with field and rule, or an entry whose Detail decodes to the data", () => {
    fc.assert(
      fc.property(arbEncodable, (event) => {
        const result = adapter.encode(event)
        if (result._tag === "Rejected") {
          expect(result.violations.length).toBeGreaterThan(0)
          for (const v of result.violations) expect(v.field && v.rule).toBeTruthy()
        } else {
          expect(result.entry.Source).toBe(event.source)
          expect(result.entry.DetailType).toBe(event.type)
          expect(JSON.parse(result.entry.Detail!)).toEqual(asJson(event.data))
        }
        expectNoPollution()
      }),
      { numRuns: 150 },
    )
  })

  it("rejects Detail nested deeper than 1000 levels (rule of the service), accepts 1000", () => {
    const deep = adapter.encode(createEvent({ type: "t", source: "s", data: nested(1001) as never }))
    expect(deep._tag).toBe("Rejected")
    if (deep._tag === "Rejected")
      expect(deep.violations[0]).toMatchObject({ field: expect.stringMatching(/^data\./), rule: "maxDepth" })
    expect(adapter.encode(createEvent({ type: "t", source: "s", data: nested(1000) as never }))._tag).toBe(
      "Encoded",
    )
  })

  it("the publish path: every input gets one outcome; delivered entries are stored exactly as the data", async () => {
    const publisher = createPublisher({
      destinations: {
        bus: eventBridge({
          eventBusName: "hostile",
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
                const stored = emulator.store.eventbridge.entries.find((e) => e.eventId === o.receipt)
                expect(JSON.parse(stored!.detail)).toEqual(asJson(o.event.data))
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
