/**
 * Hostile input, what is particular to SNS: data nested past core's depth limit is rejected (the
 * CloudEvents message is JSON text), and every message sent is well-formed Unicode, which the SDK's
 * form encoding needs. The generic properties are the testkit's hostile-input checks, run by
 * conformance.test.ts.
 */
import { createEvent, maxDataDepth } from "@eventport/core"
import { arbHostileEvent, deeplyNestedData } from "@eventport/testkit"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { sns } from "../src/index.ts"

describe("sns with hostile input", () => {
  const adapter = sns({
    topicArn: "arn:aws:sns:us-east-1:123456789012:hostile",
    clientConfig: { region: "us-east-1" },
  })

  it("rejects data nested deeper than core's limit instead of overflowing the stack", () => {
    const result = adapter.encode({
      ...createEvent({ type: "t", source: "s", data: null }),
      data: deeplyNestedData(maxDataDepth + 500),
    })
    expect(result._tag === "Rejected" && result.violations[0]?.rule).toBe("maxDepth")
  })

  it("every hostile event it encodes is a message the SDK can form-encode", () => {
    fc.assert(
      fc.property(arbHostileEvent, (event) => {
        const result = adapter.encode(event)
        if (result._tag !== "Encoded") return
        expect(() => encodeURIComponent(result.entry.Message!)).not.toThrow()
        expect(result.entry.Id).toMatch(/^[A-Za-z0-9_-]{1,80}$/)
      }),
      { numRuns: 200 },
    )
  })
})
