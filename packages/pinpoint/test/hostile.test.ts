/**
 * Hostile input (issue 7), what is particular to Pinpoint: only top-level fields of the data become
 * Attributes and Metrics (deep data is never walked), and the event's id and type are the Pinpoint
 * event key and EventType, however odd. The generic properties (encode never throws or pollutes,
 * Attributes and Metrics are the data's string and number fields, in the entry and as stored, one
 * outcome per input) are the testkit's hostile-input checks, run by conformance.test.ts with that
 * mapping as the harness's carriedData.
 */
import { createEvent } from "@eventport/core"
import { arbHostileEvent, deeplyNestedData } from "@eventport/testkit"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { pinpoint } from "../src/index.ts"

describe("pinpoint with hostile input", () => {
  const adapter = pinpoint({
    applicationId: "hostileapp",
    endpointId: "endpoint-1",
    clientConfig: { region: "us-east-1" },
  })

  it("takes data nested past 1,000 levels without walking it (only top-level fields are sent)", () => {
    // Built past validation, which refuses data deeper than maxDataDepth: what encode gets from a hand-made Event.
    const event = {
      ...createEvent({ type: "t", source: "s", data: null }),
      data: { deep: deeplyNestedData(1_500), name: "x", n: 1 },
    }
    const result = adapter.encode(event)
    expect(result._tag).toBe("Encoded")
    if (result._tag === "Encoded") {
      expect(result.entry.event.Attributes).toEqual({ name: "x" })
      expect(result.entry.event.Metrics).toEqual({ n: 1 })
    }
  })

  it("rejects __proto__ as endpoint id or event id: the AWS SDK loses the PutEvents result keyed by it", () => {
    const bySubject = pinpoint({ applicationId: "hostileapp", clientConfig: { region: "us-east-1" } })
    const asSubject = bySubject.encode(
      createEvent({ type: "t", source: "s", subject: "__proto__", data: {} }),
    )
    expect(asSubject).toMatchObject({
      _tag: "Rejected",
      violations: [{ field: "subject", rule: "resultKey" }],
    })
    const asId = adapter.encode(createEvent({ id: "__proto__", type: "t", source: "s", data: {} }))
    expect(asId).toMatchObject({ _tag: "Rejected", violations: [{ field: "id", rule: "resultKey" }] })
    const constructorKey = adapter.encode(
      createEvent({ id: "constructor", type: "t", source: "s", data: {} }),
    )
    expect(constructorKey._tag).toBe("Encoded")
  })

  it("keys a hostile event by its id and records its type as EventType", () => {
    fc.assert(
      fc.property(arbHostileEvent, (event) => {
        const result = adapter.encode(event)
        if (result._tag === "Encoded") {
          expect(result.entry.eventId).toBe(event.id)
          expect(result.entry.event.EventType).toBe(event.type)
        }
      }),
      { numRuns: 100 },
    )
  })
})
