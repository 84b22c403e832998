/**
 * Hostile input (issue 7), what is particular to IoT Analytics: field names are checked at every
 * level of the data, data deeper than core's maxDataDepth is rejected by rule (never a stack
 * overflow), and every message goes to the configured channel. The generic
 * properties (encode never throws or pollutes, the payload decodes to the data, one outcome per input,
 * delivered payloads stored as the data) are the testkit's hostile-input checks, run by
 * conformance.test.ts.
 */
import { createEvent, createPublisher, maxDataDepth } from "@eventport/core"
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

  it("rejects data one level deeper than maxDataDepth by rule maxDepth, naming depth and limit", () => {
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
      await using publisher = createPublisher({ destinations: { channel: adapter } })
      const result = await publisher.publish([
        { type: "t", source: "s", data: deeplyNestedData(depth, "array") },
      ])
      // Core may reject it first (its own maxDataDepth rule): either way by rule, never a crash.
      expect(result.outcomes).toMatchObject([
        { _tag: "Rejected", violations: [{ field: expect.stringMatching(/^data/), rule: "maxDepth" }] },
      ])
    },
  )

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
