/**
 * Hostile input, what is particular to SQS: data nested past core's depth limit is rejected (the
 * CloudEvents body is JSON text), odd characters reach the body only as JSON escapes, and ids that
 * would break the SDK's checksum step are derived. The generic properties (encode never throws or
 * pollutes, the body decodes to the data, one outcome per input) are the testkit's hostile-input
 * checks, run by conformance.test.ts.
 */
import { createEvent, maxDataDepth } from "@eventport/core"
import { arbHostileEvent, deeplyNestedData } from "@eventport/testkit"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { limits, sqs } from "../src/index.ts"

describe("sqs with hostile input", () => {
  const adapter = sqs({
    queueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/hostile",
    clientConfig: { region: "us-east-1" },
  })

  it("rejects data nested deeper than core's limit instead of overflowing the stack", () => {
    const event = {
      ...createEvent({ type: "t", source: "s", data: null }),
      data: deeplyNestedData(maxDataDepth + 500),
    }
    const result = adapter.encode(event)
    expect(result._tag === "Rejected" && result.violations[0]?.rule).toBe("maxDepth")
  })

  it("every hostile event it encodes has a body SQS accepts and an Id that fits", () => {
    fc.assert(
      fc.property(arbHostileEvent, (event) => {
        const result = adapter.encode(event)
        if (result._tag !== "Encoded") return
        expect(limits.allowedCharacters.test(result.entry.MessageBody!)).toBe(true)
        expect(result.entry.Id).toMatch(/^[A-Za-z0-9_-]{1,80}$/)
        expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain(result.entry.Id)
      }),
      { numRuns: 200 },
    )
  })
})
