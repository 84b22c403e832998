import { arbHostileEvent } from "@eventport/testkit"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { firehose } from "../src/index.ts"

describe("firehose with hostile input", () => {
  const adapter = firehose({ deliveryStreamName: "hostile", clientConfig: { region: "us-east-1" } })

  it("every hostile event is one line: the only newline is the delimiter at the end", () => {
    fc.assert(
      fc.property(arbHostileEvent, (event) => {
        const result = adapter.encode(event)
        if (result._tag !== "Encoded") return
        const text = Buffer.from(result.entry.Data).toString("utf8")
        expect(text.indexOf("\n")).toBe(text.length - 1)
      }),
      { numRuns: 100 },
    )
  })
})
