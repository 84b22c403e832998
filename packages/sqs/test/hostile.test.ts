import { arbHostileEvent } from "@eventport/testkit"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { limits, sqs } from "../src/index.ts"

describe("sqs with hostile input", () => {
  const adapter = sqs({
    queueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/hostile",
    clientConfig: { region: "us-east-1" },
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
