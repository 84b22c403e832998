/**
 * Progress against a fixed total: with the sample's own routes and a real publisher, every input
 * item ends "done" exactly once per destination (an outcome there, or not taken by its route), so
 * a bar never passes its total and ends on it.
 */
import { createPublisher, type EventInput } from "@eventport/core"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { buildDestinations } from "../src/Destinations.ts"
import { RunTracker } from "../src/RunTracker.ts"
import { decodeSampleConfig } from "../src/SampleConfig.ts"

const config = decodeSampleConfig(
  {
    routes: { app: { typePrefix: "app." } },
    destinations: {
      all: { type: "memory" },
      app: { type: "memory", route: "app" },
      telemetry: { type: "memory", route: { typePrefix: "device.telemetry." } },
    },
  },
  "test.json",
)
const names = Object.keys(config.destinations)

const eventInput: fc.Arbitrary<EventInput> = fc.record({
  type: fc.constantFrom("app.order", "device.telemetry.temp", "device.alarm", "other"),
  // An empty source is invalid for the event model: rejected at every destination, never routed.
  source: fc.constantFrom("shop", "sensor", ""),
  data: fc.record({ n: fc.integer() }),
})

describe("RunTracker.done", () => {
  it("reaches the input's size at every destination, never passing it", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(eventInput, { maxLength: 60 }), fc.nat({ max: 3 }), async (events, bad) => {
        const tracker = new RunTracker(names)
        tracker.inputTotal = events.length + bad
        for (let i = 0; i < bad; i++)
          tracker.recordInputProblem({
            where: `line ${i}`,
            field: "(line)",
            rule: "json",
            message: "not valid JSON",
          })
        let passedTotal = false
        const publisher = createPublisher({
          destinations: buildDestinations(
            config,
            names.map((name) => ({ name, spec: config.destinations[name]! })),
            {},
            "test.json",
            (name, adapter) => tracker.observe(name, adapter),
            (name) => {
              tracker.recordSkipped(name)
              if (tracker.done(name) > tracker.inputTotal!) passedTotal = true
            },
          ),
          onOutcome: (outcome) => {
            tracker.recordOutcome(outcome)
            if (tracker.done(outcome.destination) > tracker.inputTotal!) passedTotal = true
          },
        })
        for (const event of events) {
          await publisher.enqueue(event)
          tracker.enqueued++
        }
        await publisher.flush()
        await publisher.close()
        expect(passedTotal).toBe(false)
        for (const name of names) {
          expect(tracker.done(name)).toBe(events.length + bad)
          expect(tracker.withoutOutcome(name)).toBe(0)
        }
        expect(tracker.read).toBe(events.length + bad)
      }),
      { numRuns: 25 },
    )
  })
})
