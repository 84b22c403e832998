/**
 * Hostile input (issue 7), what is particular to IoT Events: data deeper than core's maxDataDepth is
 * rejected by rule (the payload is JSON text, and JSON.stringify would overflow the stack), and the
 * configured inputName on every message, however odd the event. The generic
 * properties (encode never throws or pollutes, the payload decodes to the data, one outcome per input,
 * delivered payloads stored as the data) are the testkit's hostile-input checks, run by
 * conformance.test.ts.
 */
import { createEvent, createPublisher, maxDataDepth } from "@eventport/core"
import { arbHostileEvent, deeplyNestedData } from "@eventport/testkit"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { iotEvents } from "../src/index.ts"

describe("iotEvents with hostile input", () => {
  const adapter = iotEvents({ inputName: "hostile_input", clientConfig: { region: "us-east-1" } })

  it("encodes data nested maxDataDepth levels, rejects one level more by rule maxDepth", () => {
    const atLimit = createEvent({ type: "t", source: "s", data: deeplyNestedData(maxDataDepth) })
    expect(adapter.encode(atLimit)._tag).toBe("Encoded")
    const deeper = adapter.encode(
      createEvent({ type: "t", source: "s", data: deeplyNestedData(maxDataDepth + 1) }),
    )
    expect(deeper).toMatchObject({
      _tag: "Rejected",
      violations: [
        {
          rule: "maxDepth",
          message: `nests ${maxDataDepth + 1} levels deep; Eventport takes at most ${maxDataDepth}`,
        },
      ],
    })
  })

  it.each([4_200, 10_000])(
    "data %i levels deep is Rejected by rule maxDepth, never a stack overflow",
    async (depth) => {
      await using publisher = createPublisher({ destinations: { input: adapter } })
      const result = await publisher.publish([
        { type: "t", source: "s", data: deeplyNestedData(depth, "array") },
      ])
      expect(result.outcomes).toMatchObject([
        {
          _tag: "Rejected",
          // Core may reject it first (its own maxDataDepth rule): either way by rule, never a crash.
          violations: [{ field: expect.stringMatching(/^data/), rule: "maxDepth" }],
        },
      ])
    },
  )

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
