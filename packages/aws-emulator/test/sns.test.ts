import { PublishBatchCommand, type PublishBatchRequestEntry } from "@aws-sdk/client-sns"
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest"
import { type Emulator, maxSnsMessageBytes, startEmulator } from "../src/index.ts"
import { clientsFor, errorOf } from "./clients.ts"

let emulator: Emulator
let client: ReturnType<typeof clientsFor>["sns"]

const topicArn = "arn:aws:sns:us-east-1:123456789012:orders"
const fifoArn = "arn:aws:sns:us-east-1:123456789012:orders.fifo"
const contentBasedArn = "arn:aws:sns:us-east-1:123456789012:hashed.fifo"

beforeAll(async () => {
  emulator = await startEmulator({ contentBasedDeduplication: ["hashed.fifo"] })
  client = clientsFor(emulator).sns
})
afterAll(async () => {
  client.destroy()
  await emulator.stop()
})
beforeEach(() => emulator.reset())

const entry = (id: string, overrides: Partial<PublishBatchRequestEntry> = {}): PublishBatchRequestEntry => ({
  Id: id,
  Message: JSON.stringify({ order: id }),
  ...overrides,
})

const publish = (entries: PublishBatchRequestEntry[], arn = topicArn) =>
  client.send(new PublishBatchCommand({ TopicArn: arn, PublishBatchRequestEntries: entries }))

const status = (error: Record<string, unknown>) =>
  (error.$metadata as { httpStatusCode: number }).httpStatusCode

describe("SNS PublishBatch", () => {
  it("accepts messages from the form body, answers in XML, and stores subject, structure and attributes", async () => {
    const result = await publish([
      entry("a", {
        Subject: "Order created",
        MessageAttributes: {
          kind: { DataType: "String", StringValue: "a & b <c>" },
          tags: { DataType: "String.Array", StringValue: '["x","y"]' },
          raw: { DataType: "Binary", BinaryValue: new Uint8Array([1, 2, 3]) },
        },
      }),
      entry("b", { MessageStructure: "json", Message: JSON.stringify({ default: "hi", sqs: "hey" }) }),
      entry("c", { Message: "line 1\r\nline 2 — ünïcode 🎉" }),
    ])
    expect(result.Failed ?? []).toEqual([])
    expect(result.Successful?.map((s) => s.Id)).toEqual(["a", "b", "c"])
    const stored = emulator.store.entriesFor("sns", topicArn)
    expect(stored[0]?.subject).toBe("Order created")
    expect(stored[0]?.messageAttributes.kind?.stringValue).toBe("a & b <c>")
    expect(Buffer.from(stored[0]!.messageAttributes.raw!.binaryValue!)).toEqual(Buffer.from([1, 2, 3]))
    expect(stored[1]?.messageStructure).toBe("json")
    expect(stored[2]?.message).toBe("line 1\r\nline 2 — ünïcode 🎉")
    expect(stored[0]?.messageId).toBe(result.Successful?.[0]?.MessageId)
  })

  it("refuses empty and over-long batches, repeated and malformed Ids, and a malformed topic ARN, in XML errors", async () => {
    const cases: [PublishBatchRequestEntry[], string, string?][] = [
      [[], "EmptyBatchRequestException"],
      [Array.from({ length: 11 }, (_, i) => entry(`m${i}`)), "TooManyEntriesInBatchRequestException"],
      [[entry("same"), entry("same")], "BatchEntryIdsNotDistinctException"],
      [[entry("not valid!")], "InvalidBatchEntryIdException"],
      [[entry("a")], "InvalidParameterException", "arn:aws:sns:us-east-1:123:orders"],
    ]
    for (const [entries, name, arn] of cases) {
      const error = await errorOf(publish(entries, arn))
      expect(error.name).toBe(name)
      expect(status(error)).toBe(400)
    }
    expect(emulator.store.sns.count).toBe(0)
  })

  it("counts attributes in the 256 KiB per message and per batch", async () => {
    const attributes = { n: { DataType: "String", StringValue: "v" } }
    const body = "x".repeat(maxSnsMessageBytes - "nStringv".length)
    expect(
      (await publish([entry("full", { Message: body, MessageAttributes: attributes })])).Successful,
    ).toHaveLength(1)
    const over = await errorOf(
      publish([entry("over", { Message: `${body}x`, MessageAttributes: attributes })]),
    )
    expect(over.name).toBe("BatchRequestTooLongException")
  })

  it("fails entries the service refuses one by one, with SenderFault true", async () => {
    const result = await publish([
      entry("ok"),
      entry("structure", { MessageStructure: "json", Message: JSON.stringify({ sqs: "no default" }) }),
      entry("notjson", { MessageStructure: "xml" }),
      entry("subject", { Subject: "two\nlines" }),
      entry("long", { Subject: "s".repeat(100) }),
      entry("attr", { MessageAttributes: { "bad..name": { DataType: "String", StringValue: "x" } } }),
      entry("dedup", { MessageDeduplicationId: "d" }),
    ])
    expect(result.Successful?.map((s) => s.Id)).toEqual(["ok"])
    expect(result.Failed?.map((f) => [f.Id, f.Code, f.SenderFault])).toEqual([
      ["structure", "InvalidParameter", true],
      ["notjson", "InvalidParameter", true],
      ["subject", "InvalidParameter", true],
      ["long", "InvalidParameter", true],
      ["attr", "InvalidParameter", true],
      ["dedup", "InvalidParameter", true],
    ])
  })

  it("FIFO topics: group id required, sequence numbers in order, de-duplication by id or content", async () => {
    const result = await publish(
      [
        entry("nogroup", { MessageDeduplicationId: "d0" }),
        entry("a", { MessageGroupId: "g", MessageDeduplicationId: "d1" }),
        entry("b", { MessageGroupId: "g", MessageDeduplicationId: "d2" }),
        entry("again", { MessageGroupId: "g", MessageDeduplicationId: "d1" }),
      ],
      fifoArn,
    )
    expect(result.Failed?.map((f) => f.Id)).toEqual(["nogroup"])
    const [a, b, again] = result.Successful ?? []
    expect(BigInt(b!.SequenceNumber!)).toBeGreaterThan(BigInt(a!.SequenceNumber!))
    expect(again?.MessageId).toBe(a?.MessageId)
    expect(emulator.store.entriesFor("sns", fifoArn).map((m) => m.id)).toEqual(["a", "b"])
    const hashed = await publish(
      [
        entry("x", { MessageGroupId: "g", Message: "same" }),
        entry("y", { MessageGroupId: "g", Message: "same" }),
      ],
      contentBasedArn,
    )
    expect(hashed.Successful).toHaveLength(2)
    expect(emulator.store.entriesFor("sns", contentBasedArn)).toHaveLength(1)
  })

  it("injects per-entry and whole-request faults with SNS's codes", async () => {
    emulator.faults.add({ type: "entryError", service: "sns", match: { id: "b" } })
    const result = await publish([entry("a"), entry("b")])
    expect(result.Failed?.map((f) => [f.Id, f.Code, f.SenderFault])).toEqual([["b", "InternalError", false]])
    emulator.faults.set({ type: "requestSequence", service: "sns", sequence: ["throttling", "internal"] })
    const throttled = await errorOf(publish([entry("a")]))
    expect([throttled.name, status(throttled)]).toEqual(["ThrottledException", 429])
    const internal = await errorOf(publish([entry("a")]))
    expect([internal.name, status(internal)]).toEqual(["InternalErrorException", 500])
  })
})
