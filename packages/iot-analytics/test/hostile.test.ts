/**
 * Hostile input (issue 7), what is particular to IoT Analytics: field names are checked at every
 * level of the data, and every message goes to the configured channel. The depth rule is the shared
 * emulator suite's, and the generic properties (encode never throws or pollutes, the payload decodes
 * to the data, one outcome per input, delivered payloads stored as the data) are the testkit's
 * hostile-input checks, both run by conformance.test.ts.
 */
import { createEvent, maxDataDepth } from "@eventport/core"
import { arbHostileEvent, deeplyNestedData } from "@eventport/testkit"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { iotAnalytics } from "../src/index.ts"

describe("iotAnalytics with hostile input", () => {
  const adapter = iotAnalytics({ channelName: "hostile_channel", clientConfig: { region: "us-east-1" } })

  it("encodes data nested maxDataDepth levels, checking field names at every level", () => {
    const event = createEvent({ type: "t", source: "s", data: deeplyNestedData(maxDataDepth) })
    expect(adapter.encode(event)._tag).toBe("Encoded")
    const bad = adapter.encode(
      createEvent({ type: "t", source: "s", data: { a: deeplyNestedData(900), "b-1": 1 } }),
    )
    expect(bad._tag).toBe("Rejected")
    if (bad._tag === "Rejected")
      expect(bad.violations[0]).toMatchObject({ field: "data.b-1", rule: "fieldName" })
  })

  it("sends every hostile event it encodes to the configured channel (the batch key)", () => {
    fc.assert(
      fc.property(arbHostileEvent, (event) => {
        const result = adapter.encode(event)
        if (result._tag === "Encoded") {
          expect(result.entry.channelName).toBe("hostile_channel")
          expect(result.batchKey).toBe("hostile_channel")
        }
      }),
      { numRuns: 100 },
    )
  })
})
