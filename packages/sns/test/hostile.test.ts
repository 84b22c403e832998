import { arbHostileEvent } from "@eventport/testkit"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { sns } from "../src/index.ts"

describe("sns with hostile input", () => {
  const adapter = sns({
    topicArn: "arn:aws:sns:us-east-1:123456789012:hostile",
    clientConfig: { region: "us-east-1" },
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
