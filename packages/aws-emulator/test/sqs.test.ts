import { createHash } from "node:crypto"
import { SendMessageBatchCommand, type SendMessageBatchRequestEntry } from "@aws-sdk/client-sqs"
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest"
import { type Emulator, maxSqsMessageBytes, md5OfMessageAttributes, startEmulator } from "../src/index.ts"
import { clientsFor, errorOf } from "./clients.ts"

let emulator: Emulator
let client: ReturnType<typeof clientsFor>["sqs"]

const queueUrl = "https://sqs.us-east-1.amazonaws.com/123456789012/orders"
const fifoUrl = "https://sqs.us-east-1.amazonaws.com/123456789012/orders.fifo"
const contentBasedUrl = "https://sqs.us-east-1.amazonaws.com/123456789012/hashed.fifo"

beforeAll(async () => {
  emulator = await startEmulator({ contentBasedDeduplication: ["hashed.fifo"] })
  client = clientsFor(emulator).sqs
})
afterAll(async () => {
  client.destroy()
  await emulator.stop()
})
beforeEach(() => emulator.reset())

const entry = (
  id: string,
  overrides: Partial<SendMessageBatchRequestEntry> = {},
): SendMessageBatchRequestEntry => ({
  Id: id,
  MessageBody: JSON.stringify({ order: id }),
  ...overrides,
})

const send = (entries: SendMessageBatchRequestEntry[], url = queueUrl) =>
  client.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries }))

const md5 = (text: string) => createHash("md5").update(text, "utf8").digest("hex")

describe("SQS SendMessageBatch", () => {
  it("accepts messages, answers each Id with a MessageId and body MD5 the SDK checks, and stores them", async () => {
    const result = await send([entry("a"), entry("b", { DelaySeconds: 30 })])
    expect(result.Failed ?? []).toEqual([])
    expect(result.Successful?.map((s) => s.Id)).toEqual(["a", "b"])
    expect(result.Successful?.[0]?.MD5OfMessageBody).toBe(md5('{"order":"a"}'))
    expect(result.Successful?.[0]?.SequenceNumber).toBeUndefined()
    const stored = emulator.store.entriesFor("sqs", "orders")
    expect(stored.map((m) => [m.id, m.body, m.delaySeconds])).toEqual([
      ["a", '{"order":"a"}', undefined],
      ["b", '{"order":"b"}', 30],
    ])
    expect(stored[0]?.messageId).toBe(result.Successful?.[0]?.MessageId)
  })

  it("answers MD5OfMessageAttributes by AWS's documented encoding and stores binary values decoded", async () => {
    const attributes = {
      type: { DataType: "String", StringValue: "order.created" },
      weight: { DataType: "Number.kg", StringValue: "12.5" },
      blob: { DataType: "Binary", BinaryValue: new Uint8Array([0, 1, 2, 255]) },
    }
    const result = await send([entry("a", { MessageAttributes: attributes })])
    const stored = emulator.store.entriesFor("sqs", "orders")[0]!
    expect(Buffer.from(stored.messageAttributes.blob!.binaryValue!)).toEqual(Buffer.from([0, 1, 2, 255]))
    expect(result.Successful?.[0]?.MD5OfMessageAttributes).toBe(
      md5OfMessageAttributes(stored.messageAttributes),
    )
    // The digest over the documented byte layout, written out by hand for one attribute.
    const layout = Buffer.concat([
      Buffer.from([0, 0, 0, 4]),
      Buffer.from("type"),
      Buffer.from([0, 0, 0, 6]),
      Buffer.from("String"),
      Buffer.from([1]),
      Buffer.from([0, 0, 0, 13]),
      Buffer.from("order.created"),
    ])
    expect(md5OfMessageAttributes({ type: { dataType: "String", stringValue: "order.created" } })).toBe(
      createHash("md5").update(layout).digest("hex"),
    )
  })

  it("refuses empty and over-long batches, repeated and malformed Ids, whole", async () => {
    const cases: [SendMessageBatchRequestEntry[], string][] = [
      [[], "EmptyBatchRequest"],
      [Array.from({ length: 11 }, (_, i) => entry(`m${i}`)), "TooManyEntriesInBatchRequest"],
      [[entry("same"), entry("same")], "BatchEntryIdsNotDistinct"],
      [[entry("not valid!")], "InvalidBatchEntryId"],
      [[entry("x".repeat(81))], "InvalidBatchEntryId"],
    ]
    for (const [entries, name] of cases) {
      const error = await errorOf(send(entries))
      expect(error.name).toBe(name)
      expect((error.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(400)
    }
    expect(emulator.store.sqs.count).toBe(0)
    expect((await send(Array.from({ length: 10 }, (_, i) => entry(`m${i}`)))).Successful).toHaveLength(10)
  })

  it("counts attributes in the 1 MiB per message and per batch", async () => {
    const name = "n"
    const dataType = "String"
    const value = "v"
    const attributeBytes = name.length + dataType.length + value.length
    const body = "x".repeat(maxSqsMessageBytes - attributeBytes)
    const withAttribute = { [name]: { DataType: dataType, StringValue: value } }
    expect(
      (await send([entry("full", { MessageBody: body, MessageAttributes: withAttribute })])).Successful,
    ).toHaveLength(1)
    const over = await errorOf(
      send([entry("over", { MessageBody: `${body}x`, MessageAttributes: withAttribute })]),
    )
    expect(over.name).toBe("BatchRequestTooLong")
    const half = "y".repeat(maxSqsMessageBytes / 2)
    const batch = await errorOf(
      send([entry("h1", { MessageBody: half }), entry("h2", { MessageBody: `${half}y` })]),
    )
    expect(batch.name).toBe("BatchRequestTooLong")
  })

  it("fails entries the service refuses one by one, with SenderFault true, and keeps the others", async () => {
    const result = await send([
      entry("ok"),
      entry("chars", { MessageBody: "bad \u0000 char" }),
      entry("delay", { DelaySeconds: 901 }),
      entry("attr", { MessageAttributes: { "AWS.reserved": { DataType: "String", StringValue: "x" } } }),
      entry("type", { MessageAttributes: { a: { DataType: "Text", StringValue: "x" } } }),
      entry("number", { MessageAttributes: { a: { DataType: "Number", StringValue: "twelve" } } }),
      entry("dedup", { MessageDeduplicationId: "d1" }),
      entry("empty", { MessageBody: "" }),
    ])
    expect(result.Successful?.map((s) => s.Id)).toEqual(["ok"])
    const failed = Object.fromEntries((result.Failed ?? []).map((f) => [f.Id, [f.Code, f.SenderFault]]))
    expect(failed).toEqual({
      chars: ["InvalidMessageContents", true],
      delay: ["InvalidParameterValue", true],
      attr: ["InvalidParameterValue", true],
      type: ["InvalidParameterValue", true],
      number: ["InvalidParameterValue", true],
      dedup: ["InvalidParameterValue", true],
      empty: ["InvalidParameterValue", true],
    })
    expect(emulator.store.sqs.count).toBe(1)
  })

  it("a failed entry whose Id names an Object.prototype member makes the SDK's checksum step throw", async () => {
    // Why the adapter never sends such an Id: @aws-sdk/middleware-sdk-sqs looks results up by Id in a plain object.
    emulator.faults.add({ type: "entryError", service: "sqs", match: { id: "constructor" } })
    await expect(send([entry("ok"), entry("constructor")])).rejects.toThrow(/Invalid MD5 checksum/)
  })

  it("refuses a queue URL that names no queue", async () => {
    const error = await errorOf(
      send([entry("a")], "https://sqs.us-east-1.amazonaws.com/not-an-account/orders"),
    )
    expect(error.name).toBe("QueueDoesNotExist")
    expect(error.Code).toBe("AWS.SimpleQueueService.NonExistentQueue")
  })

  describe("FIFO queues", () => {
    it("requires MessageGroupId and a de-duplication id, and refuses a per-message delay", async () => {
      const result = await send(
        [
          entry("nogroup", { MessageDeduplicationId: "d0" }),
          entry("nodedup", { MessageGroupId: "g" }),
          entry("delay", { MessageGroupId: "g", MessageDeduplicationId: "d1", DelaySeconds: 5 }),
          entry("badgroup", { MessageGroupId: "é", MessageDeduplicationId: "d2" }),
          entry("ok", { MessageGroupId: "g", MessageDeduplicationId: "d3" }),
        ],
        fifoUrl,
      )
      expect(result.Successful?.map((s) => s.Id)).toEqual(["ok"])
      expect(Object.fromEntries((result.Failed ?? []).map((f) => [f.Id, f.Code]))).toEqual({
        nogroup: "MissingParameter",
        nodedup: "InvalidParameterValue",
        delay: "InvalidParameterValue",
        badgroup: "InvalidParameterValue",
      })
    })

    it("numbers messages in order and de-duplicates by id within the window, answering the first delivery", async () => {
      const first = await send(
        [
          entry("a", { MessageGroupId: "g", MessageDeduplicationId: "d-a" }),
          entry("b", { MessageGroupId: "g", MessageDeduplicationId: "d-b" }),
        ],
        fifoUrl,
      )
      const [a, b] = first.Successful ?? []
      expect(BigInt(b!.SequenceNumber!)).toBeGreaterThan(BigInt(a!.SequenceNumber!))
      const again = await send([entry("a2", { MessageGroupId: "g", MessageDeduplicationId: "d-a" })], fifoUrl)
      expect(again.Successful?.[0]?.MessageId).toBe(a!.MessageId)
      expect(again.Successful?.[0]?.SequenceNumber).toBe(a!.SequenceNumber)
      expect(emulator.store.entriesFor("sqs", "orders.fifo").map((m) => m.id)).toEqual(["a", "b"])
    })

    it("de-duplicates by the body's SHA-256 on a queue with content-based de-duplication", async () => {
      const result = await send(
        [
          entry("a", { MessageGroupId: "g" }),
          entry("b", { MessageGroupId: "g", MessageBody: '{"order":"a"}' }),
        ],
        contentBasedUrl,
      )
      expect(result.Successful?.map((s) => s.MessageId)).toEqual([
        result.Successful?.[0]?.MessageId,
        result.Successful?.[0]?.MessageId,
      ])
      expect(emulator.store.entriesFor("sqs", "hashed.fifo")).toHaveLength(1)
    })
  })

  describe("faults", () => {
    it("fails chosen entries with SenderFault false by default, or as given", async () => {
      emulator.faults.add({ type: "entryError", service: "sqs", match: { id: "b" } })
      emulator.faults.add({
        type: "entryError",
        service: "sqs",
        code: "InvalidParameterValue",
        senderFault: true,
        match: { id: "c" },
      })
      const result = await send([entry("a"), entry("b"), entry("c")])
      expect(result.Successful?.map((s) => s.Id)).toEqual(["a"])
      expect(result.Failed?.map((f) => [f.Id, f.Code, f.SenderFault])).toEqual([
        ["b", "InternalError", false],
        ["c", "InvalidParameterValue", true],
      ])
    })

    it("answers throttling and internal errors with SQS's codes and statuses", async () => {
      emulator.faults.set({
        type: "requestSequence",
        service: "sqs",
        sequence: ["throttling", "internal", "unavailable"],
      })
      const throttled = await errorOf(send([entry("a")]))
      expect([throttled.name, (throttled.$metadata as { httpStatusCode: number }).httpStatusCode]).toEqual([
        "RequestThrottled",
        403,
      ])
      const internal = await errorOf(send([entry("a")]))
      expect((internal.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(500)
      expect(internal.name).toBe("InternalFailure")
      const unavailable = await errorOf(send([entry("a")]))
      expect((unavailable.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(503)
      expect((await send([entry("a")])).Successful).toHaveLength(1)
    })

    it("drops the connection after storing, so a retry of a FIFO message is de-duplicated", async () => {
      emulator.faults.set({ type: "dropConnection", service: "sqs", afterStore: true, times: 1 })
      const message = entry("a", { MessageGroupId: "g", MessageDeduplicationId: "once" })
      await expect(send([message], fifoUrl)).rejects.toThrow()
      const retried = await send([message], fifoUrl)
      expect(retried.Successful).toHaveLength(1)
      expect(emulator.store.entriesFor("sqs", "orders.fifo")).toHaveLength(1)
    })
  })
})
