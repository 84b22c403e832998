/**
 * Hostile input (issue 7), what is particular to IoT Events: the configured inputName on every
 * message, however odd the event. The depth rule (data deeper than core's maxDataDepth is rejected
 * by rule `maxDepth`, never a stack overflow) is the shared emulator suite's, and the generic
 * properties (encode never throws or pollutes, the payload decodes to the data, one outcome per
 * input, delivered payloads stored as the data) are the testkit's hostile-input checks, both run by
 * conformance.test.ts.
 */
import { arbHostileEvent } from "@eventport/testkit"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { iotEvents } from "../src/index.ts"

describe("iotEvents with hostile input", () => {
  const adapter = iotEvents({ inputName: "hostile_input", clientConfig: { region: "us-east-1" } })

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
