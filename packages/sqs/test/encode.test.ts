/**
 * `encode` alone and the factory's constant checks: each rule SQS would enforce, named by the test,
 * caught before any request; property tests where a rule holds for every event.
 */
import { createEvent, type Event, type EventInput } from "@eventport/core"
import { arbEvent } from "@eventport/testkit"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { batchEntryIdFor, entryBytes, limits, orderingKeyOf, type SqsOptions, sqs } from "../src/index.ts"

const queueUrl = "https://sqs.us-east-1.amazonaws.com/123456789012/orders"
const fifoUrl = "https://sqs.us-east-1.amazonaws.com/123456789012/orders.fifo"

const adapterFor = (options: Partial<SqsOptions> = {}) =>
  sqs({ queueUrl, clientConfig: { region: "us-east-1" }, ...options })

const event = (fields: Partial<EventInput> = {}): Event =>
  createEvent({ type: "order.created", source: "shop", data: { orderId: 42 }, ...fields })

describe("sqs checks every rule before sending", () => {
  const rejection = (options: Partial<SqsOptions>, fields: Partial<EventInput> = {}) => {
    const result = adapterFor(options).encode(event(fields))
    if (result._tag !== "Rejected") throw new Error("expected a rejection")
    return result.violations.map((v) => [v.field, v.rule])
  }

  const cases: ReadonlyArray<
    readonly [string, Partial<SqsOptions>, Partial<EventInput>, readonly [string, string]]
  > = [
    ["a per-event queue URL that is not one", { queueUrl: () => "not a url" }, {}, ["queueUrl", "queueUrl"]],
    [
      "a queue name with a bad character",
      { queueUrl: () => "https://sqs.example/1/bad!name" },
      {},
      ["queueUrl", "queueUrl"],
    ],
    ["an empty body", { body: () => "" }, {}, ["body", "minLength"]],
    ["a body with a character SQS refuses", { body: () => "nul \u0000" }, {}, ["body", "allowedCharacters"]],
    ["a lone surrogate in the body", { body: () => "half \uD800" }, {}, ["body", "allowedCharacters"]],
    ["a body hook returning no string", { body: () => 42 as unknown as string }, {}, ["body", "type"]],
    [
      "binary data as the body",
      { body: "data" as const },
      { data: new Uint8Array([1]) },
      ["data", "binaryData"],
    ],
    [
      "a reserved attribute name",
      { messageAttributes: () => ({ "AWS.x": { DataType: "String", StringValue: "v" } }) },
      {},
      ["messageAttributes.AWS.x", "reservedPrefix"],
    ],
    [
      "an attribute name with two periods",
      { messageAttributes: () => ({ "a..b": { DataType: "String", StringValue: "v" } }) },
      {},
      ["messageAttributes.a..b", "namePeriods"],
    ],
    [
      "an unknown data type",
      { messageAttributes: () => ({ a: { DataType: "Text", StringValue: "v" } }) },
      {},
      ["messageAttributes.a.DataType", "dataType"],
    ],
    [
      "a Number that is not one",
      { messageAttributes: () => ({ a: { DataType: "Number", StringValue: "ten" } }) },
      {},
      ["messageAttributes.a.StringValue", "number"],
    ],
    [
      "an empty String value",
      { messageAttributes: () => ({ a: { DataType: "String", StringValue: "" } }) },
      {},
      ["messageAttributes.a", "stringValue"],
    ],
    [
      "a Binary attribute without bytes",
      { messageAttributes: () => ({ a: { DataType: "Binary", StringValue: "x" } }) },
      {},
      ["messageAttributes.a", "binaryValue"],
    ],
    [
      "an attribute value with a refused character",
      { messageAttributes: () => ({ a: { DataType: "String", StringValue: "\u0001" } }) },
      {},
      ["messageAttributes.a.StringValue", "allowedCharacters"],
    ],
    [
      "more than 10 attributes, CloudEvents ones included",
      {
        cloudEventAttributes: true,
        messageAttributes: () =>
          Object.fromEntries(
            Array.from({ length: 6 }, (_, i) => [`a${i}`, { DataType: "String", StringValue: "v" }]),
          ),
      },
      {},
      ["messageAttributes", "maxAttributes"],
    ],
    ["a delay over 900 seconds", { delaySeconds: () => 901 }, {}, ["delaySeconds", "range"]],
    ["a fractional delay", { delaySeconds: () => 1.5 }, {}, ["delaySeconds", "range"]],
    [
      "a delay on a FIFO queue",
      { queueUrl: fifoUrl, messageGroupId: "g", delaySeconds: () => 5 },
      {},
      ["delaySeconds", "fifoDelay"],
    ],
    [
      "a FIFO message without a group",
      { queueUrl: fifoUrl, messageGroupId: () => undefined },
      {},
      ["messageGroupId", "required"],
    ],
    [
      "a group id with a space",
      { queueUrl: fifoUrl, messageGroupId: () => "a b" },
      {},
      ["messageGroupId", "pattern"],
    ],
    [
      "a group id over 128 characters",
      { queueUrl: fifoUrl, messageGroupId: () => "g".repeat(129) },
      {},
      ["messageGroupId", "maxLength"],
    ],
    [
      "a de-duplication id with a non-ASCII character",
      { queueUrl: fifoUrl, messageGroupId: "g", deduplicationId: () => "é" },
      {},
      ["deduplicationId", "pattern"],
    ],
    [
      "a de-duplication id for a standard queue",
      { deduplicationId: () => "d" },
      {},
      ["deduplicationId", "fifoOnly"],
    ],
    [
      "a hook that throws",
      {
        messageGroupId: () => {
          throw new Error("boom")
        },
      },
      {},
      ["messageGroupId", "hook"],
    ],
  ]
  it.each(cases)("%s", (_, options, fields, expected) => {
    expect(rejection(options, fields)).toContainEqual(expected)
  })

  it("counts attributes in the message size, by SQS's rule", () => {
    const attributes = { n: { DataType: "String", StringValue: "vv" } }
    const result = adapterFor({ body: () => "héllo", messageAttributes: attributes }).encode(event())
    expect(result._tag === "Encoded" && result.bytes).toBe(6 + 1 + 6 + 2)
  })

  it("throws at construction for constant options that can never work", () => {
    const config = { clientConfig: { region: "us-east-1" } }
    expect(() => sqs({ queueUrl: "nope", ...config })).toThrow(/sqs: option queueUrl/)
    expect(() => sqs({ queueUrl: fifoUrl, ...config })).toThrow(/messageGroupId is required/)
    expect(() => sqs({ queueUrl: fifoUrl, messageGroupId: "g", delaySeconds: 3, ...config })).toThrow(
      /delaySeconds/,
    )
    expect(() => sqs({ queueUrl, deduplicationId: "d", ...config })).toThrow(/FIFO queues only/)
    expect(() => sqs({ queueUrl, delaySeconds: 1000, ...config })).toThrow(/delaySeconds/)
    expect(() =>
      sqs({ queueUrl, messageAttributes: { "AWS.x": { DataType: "String", StringValue: "v" } }, ...config }),
    ).toThrow(/reservedPrefix/)
    expect(() => sqs({ queueUrl, maxRequestBytes: 0, ...config })).toThrow(RangeError)
    expect(() => sqs({ queueUrl, body: "xml" as never, ...config })).toThrow(/body/)
  })
})

describe("sqs encode, for every event", () => {
  const adapter = adapterFor({ cloudEventAttributes: true })

  it("sends an Id of 1–80 [A-Za-z0-9_-], stable for the event id, reported as sentId when it differs", () => {
    fc.assert(
      fc.property(arbEvent, (e) => {
        const result = adapter.encode(e)
        if (result._tag !== "Encoded") return
        const id = result.entry.Id!
        expect(id).toMatch(/^[A-Za-z0-9_-]{1,80}$/)
        expect(id).toBe(batchEntryIdFor(e.id))
        expect(result.sentId).toBe(id === e.id ? undefined : id)
      }),
      { numRuns: 200 },
    )
  })

  it("measures each entry by SQS's rule: body plus attributes, what the engine packs by", () => {
    fc.assert(
      fc.property(arbEvent, (e) => {
        const result = adapter.encode(e)
        if (result._tag !== "Encoded") return
        expect(result.bytes).toBe(entryBytes(result.entry))
        expect(result.bytes).toBeGreaterThan(Buffer.byteLength(result.entry.MessageBody!, "utf8"))
      }),
      { numRuns: 200 },
    )
  })

  it("keeps the queue URL as the batch key, so queues never share a request", () => {
    fc.assert(
      fc.property(fc.constantFrom("a", "b", "c.fifo"), arbEvent, (name, e) => {
        const url = `https://sqs.eu-west-1.amazonaws.com/123456789012/${name}`
        const result = adapterFor({ queueUrl: () => url, messageGroupId: "g" }).encode(e)
        if (result._tag === "Encoded") expect(result.batchKey).toBe(url)
      }),
      { numRuns: 100 },
    )
  })

  it("a FIFO queue's messages carry the queue and message group as ordering key; a standard queue's none", () => {
    const fifo = adapterFor({ queueUrl: fifoUrl, messageGroupId: (e) => e.subject }).encode(
      event({ subject: "cart-1" }),
    )
    expect(fifo._tag === "Encoded" && fifo.orderingKey).toBe(orderingKeyOf(fifoUrl, "cart-1"))
    const standard = adapterFor({ messageGroupId: "g" }).encode(event())
    expect(standard._tag === "Encoded" && standard.orderingKey).toBeUndefined()
  })

  it("the documented figures", () => {
    expect(limits.maxEntriesPerRequest).toBe(10)
    expect(limits.documentedMaxMessageBytes).toBe(1_048_576)
    expect(adapterFor().limits).toEqual({
      maxEntries: 10,
      maxRequestBytes: 1_048_576,
      maxEntryBytes: 1_048_576,
    })
  })
})
