/**
 * Encoding rules that hold for every event: the record's Data is the event's CloudEvents JSON (or
 * its data), its size is data plus partition key, and the key follows the documented default.
 */
import { payloadBytes, toCloudEvent, utf8Length } from "@eventport/core"
import { arbEvent, arbHostileEvent } from "@eventport/testkit"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { kinesis, putRecordsEntrySize } from "../src/index.ts"

const clientConfig = { region: "us-east-1" }

describe("kinesis encode", () => {
  const cloudEvents = kinesis({ streamName: "s", clientConfig })
  const dataOnly = kinesis({ streamName: "s", clientConfig, data: "data" })

  it("Data is the event's CloudEvents JSON; the key is the subject, else the id; bytes are data plus key", () => {
    fc.assert(
      fc.property(arbEvent, (event) => {
        const result = cloudEvents.encode(event)
        const key = event.subject ?? event.id
        if (result._tag === "Rejected") {
          expect(result.violations.map((v) => v.field)).toEqual(["partitionKey"])
          return
        }
        expect(result.entry.PartitionKey).toBe(key)
        expect(Buffer.from(result.entry.Data).toString("utf8")).toBe(JSON.stringify(toCloudEvent(event)))
        expect(result.bytes).toBe(result.entry.Data.length + utf8Length(key))
        expect(result.bytes).toBe(putRecordsEntrySize(result.entry))
      }),
      { numRuns: 200 },
    )
  })

  it('with data "data", Data is the data\'s JSON text or its bytes', () => {
    fc.assert(
      fc.property(arbEvent, (event) => {
        const result = dataOnly.encode(event)
        if (result._tag === "Encoded") expect(result.entry.Data).toEqual(payloadBytes(event))
      }),
      { numRuns: 200 },
    )
  })

  it("never throws on hostile events; a key it sends is 1–256 well-formed characters", () => {
    fc.assert(
      fc.property(arbHostileEvent, (event) => {
        const result = cloudEvents.encode(event)
        if (result._tag === "Encoded") {
          const key = result.entry.PartitionKey
          expect([...key].length).toBeGreaterThanOrEqual(1)
          expect([...key].length).toBeLessThanOrEqual(256)
          expect(Buffer.from(key, "utf8").toString("utf8")).toBe(key)
        }
      }),
      { numRuns: 200 },
    )
  })
})
