/**
 * Hostile input (issue 7): whatever a caller passes, the adapter rejects it clearly (field and
 * rule) or encodes it so that the wire form decodes back to the event; it never throws, pollutes a
 * prototype or hangs. Inputs come from @eventport/testkit's hostile arbitraries.
 */
import { createEvent, createPublisher, type Event, type EventInput, validateEvent } from "@eventport/core"
import { arbEvent, arbHostileEventInput, arbHostileString } from "@eventport/testkit"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { cloudEventJsonBytes, memory } from "../src/index.ts"

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

describe("memory with hostile input", () => {
  const adapter = memory()

  it("encode never throws: the entry is the event itself, sized by its CloudEvents JSON", () => {
    fc.assert(
      fc.property(arbEncodable, (event) => {
        const result = adapter.encode(event)
        expect(result._tag).toBe("Encoded")
        if (result._tag === "Encoded") {
          expect(result.entry).toBe(event)
          expect(result.bytes).toBe(cloudEventJsonBytes(event))
        }
        expectNoPollution()
      }),
      { numRuns: 150 },
    )
  })

  it("takes data nested past 1,000 levels", () => {
    const event = createEvent({ type: "t", source: "s", data: nested(1500) as never })
    expect(adapter.encode(event)._tag).toBe("Encoded")
  })

  it("the publish path: every input gets one outcome; what was delivered is what it received", async () => {
    const destination = memory({
      limits: { maxEntryBytes: 2 * 1024 * 1024, maxRequestBytes: 8 * 1024 * 1024 },
    })
    const publisher = createPublisher({ destinations: { audit: destination } })
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.oneof(arbHostileEventInput, arbExtremeEvent), { maxLength: 6 }),
          async (inputs) => {
            destination.reset()
            const result = await publisher.publish(inputs as ReadonlyArray<EventInput>)
            expect(result.outcomes).toHaveLength(inputs.length)
            for (const o of result.outcomes) {
              expect(o._tag).not.toBe("Failed")
              if (o._tag === "Rejected") for (const v of o.violations) expect(v.field && v.rule).toBeTruthy()
            }
            const delivered = result.outcomes.filter((o) => o._tag === "Delivered").map((o) => o.event)
            expect(destination.received).toEqual(expect.arrayContaining(delivered))
            expect(destination.received).toHaveLength(delivered.length)
            expectNoPollution()
          },
        ),
        { numRuns: 40 },
      )
    } finally {
      await publisher.close()
    }
  })
})
