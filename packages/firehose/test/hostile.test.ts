/**
 * Hostile input, what is particular to Firehose: data nested past core's depth limit, and hostile
 * events written as one CloudEvents JSON line each (a newline inside a value is escaped by JSON, so
 * the delimiter still separates records). The generic properties are the testkit's hostile-input
 * checks, run by conformance.test.ts.
 */
import { createEvent, maxDataDepth } from "@eventport/core"
import { arbHostileEvent, deeplyNestedData } from "@eventport/testkit"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { firehose } from "../src/index.ts"

describe("firehose with hostile input", () => {
  const adapter = firehose({ deliveryStreamName: "hostile", clientConfig: { region: "us-east-1" } })

  it("rejects data nested deeper than core's limit (rule maxDepth) instead of overflowing the stack", () => {
    const deep = adapter.encode({
      ...createEvent({ type: "t", source: "s", data: null }),
      data: deeplyNestedData(maxDataDepth + 1),
    })
    expect(deep._tag === "Rejected" && deep.violations[0]?.rule).toBe("maxDepth")
    expect(
      adapter.encode(createEvent({ type: "t", source: "s", data: deeplyNestedData(maxDataDepth) }))._tag,
    ).toBe("Encoded")
  })

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
