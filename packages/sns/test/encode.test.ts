/**
 * `encode` alone and the factory's constant checks: each rule SNS would enforce, named by the test,
 * caught before any request; property tests where a rule holds for every event.
 */
import { createEvent, type Event, type EventInput } from "@eventport/core"
import { arbEvent } from "@eventport/testkit"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { batchEntryIdFor, entryBytes, limits, orderingKeyOf, type SnsOptions, sns } from "../src/index.ts"

const topicArn = "arn:aws:sns:us-east-1:123456789012:orders"
const fifoArn = "arn:aws:sns:us-east-1:123456789012:orders.fifo"

const adapterFor = (options: Partial<SnsOptions> = {}) =>
  sns({ topicArn, clientConfig: { region: "us-east-1" }, ...options })

const event = (fields: Partial<EventInput> = {}): Event =>
  createEvent({ type: "order.created", source: "shop", data: { orderId: 42 }, ...fields })

describe("sns checks every rule before sending", () => {
  const rejection = (options: Partial<SnsOptions>, fields: Partial<EventInput> = {}) => {
    const result = adapterFor(options).encode(event(fields))
    if (result._tag !== "Rejected") throw new Error("expected a rejection")
    return result.violations.map((v) => [v.field, v.rule])
  }
  const attribute = (value: object) => () => ({ a: value as never })

  const cases: ReadonlyArray<
    readonly [string, Partial<SnsOptions>, Partial<EventInput>, readonly [string, string]]
  > = [
    ["a per-event topic ARN that is not one", { topicArn: () => "orders" }, {}, ["topicArn", "pattern"]],
    ["an empty message", { message: () => "" }, {}, ["message", "minLength"]],
    ["a lone surrogate in the message", { message: () => "half \uDC00" }, {}, ["message", "wellFormed"]],
    [
      "binary data as the message",
      { message: "data" },
      { data: new Uint8Array([1]) },
      ["data", "binaryData"],
    ],
    [
      "a JSON structure without a string default",
      { messageStructure: "json" },
      {},
      ["message", "jsonDefault"],
    ],
    [
      "a structure other than json",
      { messageStructure: () => "xml" as "json" },
      {},
      ["messageStructure", "enum"],
    ],
    ["a subject with a line break", { subject: () => "a\nb" }, {}, ["subject", "pattern"]],
    ["a subject of 100 characters", { subject: () => "s".repeat(100) }, {}, ["subject", "maxLength"]],
    ["a subject starting with a space", { subject: () => " x" }, {}, ["subject", "pattern"]],
    [
      "a custom label on a data type",
      { messageAttributes: attribute({ DataType: "Number.float", StringValue: "1" }) },
      {},
      ["messageAttributes.a.DataType", "dataType"],
    ],
    [
      "a String.Array that is not a JSON array",
      { messageAttributes: attribute({ DataType: "String.Array", StringValue: "a,b" }) },
      {},
      ["messageAttributes.a.StringValue", "stringArray"],
    ],
    [
      "an attribute named Amazon.x",
      { messageAttributes: () => ({ "amazon.x": { DataType: "String", StringValue: "v" } }) },
      {},
      ["messageAttributes.amazon.x", "reservedPrefix"],
    ],
    [
      "a FIFO message without a group",
      { topicArn: fifoArn, messageGroupId: () => undefined },
      {},
      ["messageGroupId", "required"],
    ],
    [
      "a group id with a space",
      { topicArn: fifoArn, messageGroupId: () => "a b" },
      {},
      ["messageGroupId", "pattern"],
    ],
    [
      "a de-duplication id for a standard topic",
      { deduplicationId: () => "d" },
      {},
      ["deduplicationId", "fifoOnly"],
    ],
    [
      "a hook that throws",
      {
        subject: () => {
          throw new Error("boom")
        },
      },
      {},
      ["subject", "hook"],
    ],
  ]
  it.each(cases)("%s", (_, options, fields, expected) => {
    expect(rejection(options, fields)).toContainEqual(expected)
  })

  it("counts attributes in the message size", () => {
    const result = adapterFor({
      message: () => "héllo",
      messageAttributes: { n: { DataType: "String", StringValue: "vv" } },
    }).encode(event())
    expect(result._tag === "Encoded" && result.bytes).toBe(6 + 1 + 6 + 2)
  })

  it("throws at construction for constant options that can never work", () => {
    const config = { clientConfig: { region: "us-east-1" } }
    expect(() => sns({ topicArn: "orders", ...config })).toThrow(/sns: option topicArn/)
    expect(() => sns({ topicArn: fifoArn, ...config })).toThrow(/messageGroupId is required/)
    expect(() => sns({ topicArn, deduplicationId: "d", ...config })).toThrow(/FIFO topics only/)
    expect(() => sns({ topicArn, subject: "a\nb", ...config })).toThrow(/subject/)
    expect(() => sns({ topicArn, messageStructure: "xml" as "json", ...config })).toThrow(/messageStructure/)
    expect(() => sns({ topicArn, message: "xml" as never, ...config })).toThrow(/message/)
  })
})

describe("sns encode, for every event", () => {
  const adapter = adapterFor({ cloudEventAttributes: true })

  it("sends an Id of 1–80 [A-Za-z0-9_-], stable for the event id, reported as sentId when it differs", () => {
    fc.assert(
      fc.property(arbEvent, (e) => {
        const result = adapter.encode(e)
        if (result._tag !== "Encoded") return
        expect(result.entry.Id).toMatch(/^[A-Za-z0-9_-]{1,80}$/)
        expect(result.entry.Id).toBe(batchEntryIdFor(e.id))
        expect(result.sentId).toBe(result.entry.Id === e.id ? undefined : result.entry.Id)
      }),
      { numRuns: 200 },
    )
  })

  it("measures each entry by SNS's rule: message plus attributes, what the engine packs by", () => {
    fc.assert(
      fc.property(arbEvent, (e) => {
        const result = adapter.encode(e)
        if (result._tag === "Encoded") expect(result.bytes).toBe(entryBytes(result.entry))
      }),
      { numRuns: 200 },
    )
  })

  it("a FIFO topic's messages carry the topic and message group as ordering key; a standard topic's none", () => {
    const fifo = adapterFor({ topicArn: fifoArn, messageGroupId: (e) => e.subject }).encode(
      event({ subject: "cart-1" }),
    )
    expect(fifo._tag === "Encoded" && fifo.orderingKey).toBe(orderingKeyOf(fifoArn, "cart-1"))
    const standard = adapterFor({ messageGroupId: "g" }).encode(event())
    expect(standard._tag === "Encoded" && standard.orderingKey).toBeUndefined()
  })

  it("the documented figures", () => {
    expect(limits.maxEntriesPerRequest).toBe(10)
    expect(adapterFor().limits).toEqual({ maxEntries: 10, maxRequestBytes: 262_144, maxEntryBytes: 262_144 })
  })
})
