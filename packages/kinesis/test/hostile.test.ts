/**
 * Hostile input, what is particular to Kinesis: data sent alone nested past core's depth limit, keys that are
 * not well-formed Unicode, and hostile events turned into records whose Data is their CloudEvents
 * JSON. The generic properties are the testkit's hostile-input checks, run by conformance.test.ts.
 */
import { createEvent, maxDataDepth, toCloudEvent } from "@eventport/core"
import { arbHostileEvent, deeplyNestedData } from "@eventport/testkit"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { kinesis } from "../src/index.ts"

describe("kinesis with hostile input", () => {
  const adapter = kinesis({ streamName: "hostile", clientConfig: { region: "us-east-1" } })

  // The default mapping's depth rule is the shared suite's (conformance.test.ts); the data-alone one is Kinesis's.
  it('with data "data", data nested deeper than core\'s limit is Rejected by rule maxDepth too', () => {
    const dataAlone = kinesis({ streamName: "s", clientConfig: { region: "us-east-1" }, data: "data" })
    // Built past validation, which refuses data deeper than maxDataDepth itself.
    const deep = dataAlone.encode({
      ...createEvent({ type: "t", source: "s", subject: "k", data: null }),
      data: deeplyNestedData(maxDataDepth + 1),
    })
    expect(deep._tag === "Rejected" && deep.violations[0]?.rule).toBe("maxDepth")
    expect(
      dataAlone.encode(createEvent({ type: "t", source: "s", data: deeplyNestedData(maxDataDepth) }))._tag,
    ).toBe("Encoded")
  })

  it("a hostile event is sent as its CloudEvents JSON or rejected for its partition key only", () => {
    fc.assert(
      fc.property(arbHostileEvent, (event) => {
        const result = adapter.encode(event)
        if (result._tag === "Encoded")
          expect(Buffer.from(result.entry.Data).toString("utf8")).toBe(JSON.stringify(toCloudEvent(event)))
        else
          expect(result.violations.every((v) => v.field === "partitionKey" || v.rule === "maxDepth")).toBe(
            true,
          )
      }),
      { numRuns: 100 },
    )
  })
})
