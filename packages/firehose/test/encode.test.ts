/** `encode` alone: the record's Data, its size by each request rule, and the per-record limit. */
import { createEvent, toCloudEvent } from "@eventport/core"
import { arbEvent } from "@eventport/testkit"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { checkDeliveryStreamName, type EncodeOptions, encode, entryBytes, limits } from "../src/index.ts"

const options = (overrides: Partial<EncodeOptions> = {}): EncodeOptions => ({
  data: "cloudEvent",
  delimiter: Buffer.from("\n"),
  requestSize: "base64",
  ...overrides,
})

describe("firehose encode", () => {
  it("Data is the event's CloudEvents JSON and the delimiter; bytes its base64 length, or raw length", () => {
    fc.assert(
      fc.property(arbEvent, (event) => {
        const base64 = encode(event, options())
        const raw = encode(event, options({ requestSize: "raw" }))
        if (base64._tag !== "Encoded" || raw._tag !== "Encoded") return
        expect(Buffer.from(base64.entry.Data).toString("utf8")).toBe(
          `${JSON.stringify(toCloudEvent(event))}\n`,
        )
        expect(base64.bytes).toBe(Buffer.from(base64.entry.Data).toString("base64").length)
        expect(raw.bytes).toBe(raw.entry.Data.length)
        expect(entryBytes(base64.entry)).toBe(base64.bytes)
      }),
      { numRuns: 200 },
    )
  })

  it("maxEntryBytes: at most 1,024,000 bytes before base64, the delimiter counted", () => {
    const sized = (n: number) => createEvent({ type: "t", source: "s", data: "x".repeat(n) })
    // JSON text of n characters is n + 2 bytes; plus the newline.
    const fits = encode(sized(limits.maxEntryBytes - 3), options({ data: "data" }))
    expect(fits._tag).toBe("Encoded")
    const over = encode(sized(limits.maxEntryBytes - 2), options({ data: "data" }))
    expect(over._tag === "Rejected" && over.violations[0]).toMatchObject({
      field: "data",
      rule: "maxEntryBytes",
    })
    const noDelimiter = encode(
      sized(limits.maxEntryBytes - 2),
      options({ data: "data", delimiter: new Uint8Array() }),
    )
    expect(noDelimiter._tag).toBe("Encoded")
  })

  it("deliveryStreamName: 1–64 characters of [a-zA-Z0-9_.-]", () => {
    expect(checkDeliveryStreamName("a.b_c-1")).toBeUndefined()
    expect(checkDeliveryStreamName("")).toMatchObject({ rule: "minLength" })
    expect(checkDeliveryStreamName("a".repeat(65))).toMatchObject({ rule: "maxLength" })
    expect(checkDeliveryStreamName("a/b")).toMatchObject({ rule: "pattern" })
  })
})
