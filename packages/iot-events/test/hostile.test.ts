/**
 * Hostile input (issue 7), what is particular to IoT Events: no depth rule (deep data is sent, not
 * rejected) and the configured inputName on every message, however odd the event. The generic
 * properties (encode never throws or pollutes, the payload decodes to the data, one outcome per input,
 * delivered payloads stored as the data) are the testkit's hostile-input checks, run by
 * conformance.test.ts.
 */
import { createEvent } from "@eventport/core"
import { arbHostileEvent, deeplyNestedData } from "@eventport/testkit"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { iotEvents } from "../src/index.ts"

describe("iotEvents with hostile input", () => {
  const adapter = iotEvents({ inputName: "hostile_input", clientConfig: { region: "us-east-1" } })

  it("encodes data nested past 1,000 levels (IoT Events sets no depth rule)", () => {
    // Built past validation, which refuses data deeper than maxDataDepth: what encode gets from a hand-made Event.
    const event = { ...createEvent({ type: "t", source: "s", data: null }), data: deeplyNestedData(1_500) }
    expect(adapter.encode(event)._tag).toBe("Encoded")
  })

  it("sends every hostile event it encodes to the configured input", () => {
    fc.assert(
      fc.property(arbHostileEvent, (event) => {
        const result = adapter.encode(event)
        if (result._tag === "Encoded") expect(result.entry.inputName).toBe("hostile_input")
      }),
      { numRuns: 100 },
    )
  })
})
