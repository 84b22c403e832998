/**
 * Hostile input (issue 7), what is particular to memory: it never rejects a valid event, however
 * extreme — the entry is the event itself, sized by its CloudEvents JSON. The generic properties
 * (encode never throws or pollutes, one outcome per input, delivered data stored as is) are the
 * testkit's hostile-input checks, run by conformance.test.ts.
 */
import { createEvent, maxDataDepth } from "@eventport/core"
import { arbHostileEvent, deeplyNestedData } from "@eventport/testkit"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { cloudEventJsonBytes, memory } from "../src/index.ts"

describe("memory with hostile input", () => {
  const adapter = memory()

  it("encodes every valid event, the entry being the event itself, sized by its CloudEvents JSON", () => {
    fc.assert(
      fc.property(arbHostileEvent, (event) => {
        const result = adapter.encode(event)
        expect(result).toMatchObject({ _tag: "Encoded", bytes: cloudEventJsonBytes(event) })
        if (result._tag === "Encoded") expect(result.entry).toBe(event)
      }),
      { numRuns: 100 },
    )
  })

  it("takes data nested past 1,000 levels", () => {
    // Built past validation, which refuses data deeper than maxDataDepth: what encode gets from a hand-made Event.
    const event = { ...createEvent({ type: "t", source: "s", data: null }), data: deeplyNestedData(1_500) }
    expect(adapter.encode(event)._tag).toBe("Encoded")
  })

  it("data too deep to measure as JSON is Rejected by rule maxDepth, naming the depth and the limit", () => {
    // Deeper than core lets an event be (so built by hand): JSON.stringify overflows the stack here.
    const event = {
      ...createEvent({ type: "t", source: "s", data: null }),
      data: deeplyNestedData(200_000, "array"),
    }
    expect(adapter.encode(event)).toMatchObject({
      _tag: "Rejected",
      violations: [
        { rule: "maxDepth", message: `nests 200000 levels deep; Eventport takes at most ${maxDataDepth}` },
      ],
    })
  })
})
