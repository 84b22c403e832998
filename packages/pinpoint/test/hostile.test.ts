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
import { pinpoint } from "../src/index.ts"

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

const nested = (depth: number): Record<string, unknown> => {
  let value: Record<string, unknown> = { leaf: 1 }
  for (let i = 1; i < depth; i++) value = { n: value }
  return value
}

const isRecord = (u: unknown): u is Record<string, unknown> =>
  typeof u === "object" && u !== null && !Array.isArray(u) && !(u instanceof Uint8Array)
/** The adapter's default mapping, restated: flat string fields are Attributes, finite numbers Metrics. */
const expectedAttributes = (event: Event) =>
  isRecord(event.data)
    ? Object.fromEntries(Object.entries(event.data).filter(([, v]) => typeof v === "string"))
    : {}
const expectedMetrics = (event: Event) =>
  isRecord(event.data)
    ? Object.fromEntries(
        Object.entries(event.data).filter(([, v]) => typeof v === "number" && Number.isFinite(v)),
      )
    : {}

describe("pinpoint with hostile input", () => {
  const adapter = pinpoint({
    applicationId: "hostileapp",
    endpointId: "endpoint-1",
    clientConfig: { region: "us-east-1" },
  })

  it("encode never throws: a rejection with field and rule, or an event whose Attributes and Metrics are the string and number fields of the data", () => {
    fc.assert(
      fc.property(arbEncodable, (event) => {
        const result = adapter.encode(event)
        if (result._tag === "Rejected") {
          expect(result.violations.length).toBeGreaterThan(0)
          for (const v of result.violations) expect(v.field && v.rule).toBeTruthy()
        } else {
          expect(result.entry.eventId).toBe(event.id)
          expect(result.entry.event.EventType).toBe(event.type)
          expect(result.entry.event.Attributes ?? {}).toEqual(expectedAttributes(event))
          expect(result.entry.event.Metrics ?? {}).toEqual(expectedMetrics(event))
        }
        expectNoPollution()
      }),
      { numRuns: 150 },
    )
  })

  it("takes data nested past 1,000 levels without walking it (only top-level fields are sent)", () => {
    const event = createEvent({
      type: "t",
      source: "s",
      data: { deep: nested(1500), name: "x", n: 1 } as never,
    })
    const result = adapter.encode(event)
    expect(result._tag).toBe("Encoded")
    if (result._tag === "Encoded") expect(result.entry.event.Attributes).toEqual({ name: "x" })
  })

  it("the publish path: every input gets one outcome; delivered entries are stored as the data", async () => {
    const publisher = createPublisher({
      destinations: {
        target: pinpoint({
          applicationId: "hostileapp",
          endpointId: "endpoint-1",
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
                const stored = emulator.store.pinpoint.entries.find((e) => e.eventId === o.eventId)
                expect(stored!.event.Attributes ?? {}).toEqual(expectedAttributes(o.event))
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
