/**
 * Hostile input (issue 7), what is particular to EventBridge: its 1,000-level limit on Detail
 * nesting, and Source and DetailType mapped as given however odd the event. The generic properties
 * (encode never throws or pollutes, Detail decodes to the data, one outcome per input, delivered
 * Detail stored as the data) are the testkit's hostile-input checks, run by conformance.test.ts.
 */
import { createEvent } from "@eventport/core"
import { arbHostileEvent, deeplyNestedData } from "@eventport/testkit"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { eventBridge } from "../src/index.ts"

describe("eventBridge with hostile input", () => {
  const adapter = eventBridge({ eventBusName: "hostile", clientConfig: { region: "us-east-1" } })

  it("rejects Detail nested deeper than 1000 levels (rule of the service), accepts 1000", () => {
    // Built past validation, which refuses data deeper than maxDataDepth (the same 1000 levels).
    const deep = adapter.encode({
      ...createEvent({ type: "t", source: "s", data: null }),
      data: deeplyNestedData(1001),
    })
    expect(deep._tag).toBe("Rejected")
    if (deep._tag === "Rejected")
      expect(deep.violations[0]).toMatchObject({
        // Both ends of the path, not all 1,001 segments.
        field: expect.stringMatching(/^data(\.\w+|\[\d+\]){4}…\(\d+ levels\)…(\.\w+|\[\d+\]){4}$/),
        rule: "maxDepth",
      })
    expect(adapter.encode(createEvent({ type: "t", source: "s", data: deeplyNestedData(1000) }))._tag).toBe(
      "Encoded",
    )
  })

  it("sends a hostile event's source and type as Source and DetailType, unchanged", () => {
    fc.assert(
      fc.property(arbHostileEvent, (event) => {
        const result = adapter.encode(event)
        if (result._tag === "Encoded")
          expect(result.entry).toMatchObject({ Source: event.source, DetailType: event.type })
      }),
      { numRuns: 100 },
    )
  })
})
