/**
 * Encoding rules that hold for every event: the record's Data is the event's CloudEvents JSON (or
 * its data), its size is data plus partition key, and the key follows the documented default.
 */
import { payloadBytes, toCloudEvent, utf8Length } from "@eventport/core"
import { arbEvent, arbHostileEvent } from "@eventport/testkit"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  checkExplicitHashKey,
  checkPartitionKey,
  checkStreamArn,
  checkStreamName,
  encode,
  entryBytes,
  kinesis,
} from "../src/index.ts"

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
        expect(result.bytes).toBe(entryBytes(result.entry))
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

describe("kinesis encode rules", () => {
  const options = { data: "cloudEvent" } as const
  const base = { id: "e-1", type: "t", source: "s", time: new Date(0), data: {} }

  it("partitionKey: 1–256 code points, well-formed; a default that does not fit names its source", () => {
    expect(checkPartitionKey("😀".repeat(256))).toBeUndefined()
    expect(checkPartitionKey("k".repeat(257))).toMatchObject({ field: "partitionKey", rule: "maxLength" })
    expect(checkPartitionKey("")).toMatchObject({ rule: "minLength" })
    expect(checkPartitionKey("a\uDC00")).toMatchObject({ rule: "wellFormed" })
    expect(checkPartitionKey(7)).toMatchObject({ rule: "type" })
    const bySubject = encode({ ...base, subject: "s".repeat(257) }, options)
    expect(bySubject._tag === "Rejected" && bySubject.violations[0]?.message).toContain("the event's subject")
  })

  it("explicitHashKey: the model pattern without leading zeros, at most 2^128 - 1", () => {
    expect(checkExplicitHashKey("0")).toBeUndefined()
    expect(checkExplicitHashKey((2n ** 128n - 1n).toString())).toBeUndefined()
    expect(checkExplicitHashKey((2n ** 128n).toString())).toMatchObject({ rule: "max" })
    expect(checkExplicitHashKey("007")).toMatchObject({ rule: "pattern" })
    expect(checkExplicitHashKey("-1")).toMatchObject({ rule: "pattern" })
  })

  it("streamName and streamArn: the model patterns, anchored", () => {
    expect(checkStreamName("a.b_c-1")).toBeUndefined()
    expect(checkStreamName("a b")).toMatchObject({ rule: "pattern" })
    expect(checkStreamArn("arn:aws:kinesis:us-east-1:123456789012:stream/s")).toBeUndefined()
    expect(checkStreamArn("x arn:aws:kinesis:us-east-1:123456789012:stream/s")).toMatchObject({
      rule: "pattern",
    })
  })

  it("a function option that throws rejects the one event (rule hook)", () => {
    const result = encode(
      { ...base },
      {
        ...options,
        partitionKey: () => {
          throw new Error("boom")
        },
      },
    )
    expect(result._tag === "Rejected" && result.violations[0]).toMatchObject({
      field: "partitionKey",
      rule: "hook",
    })
  })
})
