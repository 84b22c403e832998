/**
 * The adapter against the emulator, with the real SDK client over HTTP: what is stored, what each
 * error code becomes, and what the emulator received per request.
 */
import { SNSClient } from "@aws-sdk/client-sns"
import {
  emulatorClientConfig,
  entriesPerRequest,
  entryErrorOf,
  sendBatch,
  useEmulator,
} from "@eventport/aws-emulator/conformance"
import { createEvent, createPublisher, type Event, type EventInput, type RetryOptions } from "@eventport/core"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { batchEntryIdFor, classifyEntryError, limits, type SnsOptions, sns } from "../src/index.ts"
import { readPublishBatchResults } from "../src/internal/PublishBatchResults.ts"

const topicArn = "arn:aws:sns:us-east-1:123456789012:orders"
const fifoArn = "arn:aws:sns:us-east-1:123456789012:orders.fifo"

const emulator = useEmulator()

const adapterFor = (options: Partial<SnsOptions> = {}) =>
  sns({ topicArn, clientConfig: emulatorClientConfig(emulator()), ...options })

const event = (fields: Partial<EventInput> = {}): Event =>
  createEvent({ type: "order.created", source: "shop", data: { orderId: 42 }, ...fields })

const stored = (arn = topicArn) => emulator().store.entriesFor("sns", arn)

describe("sns against the emulator", () => {
  it("publishes each event's CloudEvents JSON with its id as the entry Id, MessageIds as receipts", async () => {
    const adapter = adapterFor({ subject: (e) => `New ${e.type}` })
    const results = await sendBatch(adapter, [
      event({ id: "a-1" }),
      event({ id: "a-2", data: "ünïcode ✓ \r\n" }),
    ])
    const messages = stored()
    expect(results.map((r) => (r.ok ? r.receipt : undefined))).toEqual(messages.map((m) => m.messageId))
    expect(messages.map((m) => [m.id, m.subject])).toEqual([
      ["a-1", "New order.created"],
      ["a-2", "New order.created"],
    ])
    expect(JSON.parse(messages[1]!.message)).toMatchObject({ id: "a-2", data: "ünïcode ✓ \r\n" })
    await Effect.runPromise(adapter.close)
  })

  it("sends a JSON message structure with a string default, and message attributes", async () => {
    const adapter = adapterFor({
      messageStructure: "json",
      message: (e) => JSON.stringify({ default: e.type, sqs: JSON.stringify(e.data) }),
      cloudEventAttributes: true,
      messageAttributes: {
        tags: { DataType: "String.Array", StringValue: '["a","b"]' },
        raw: { DataType: "Binary", BinaryValue: new Uint8Array([7]) },
      },
    })
    await sendBatch(adapter, [event({ id: "s-1" })])
    const [message] = stored()
    expect(message?.messageStructure).toBe("json")
    expect(Object.keys(message!.messageAttributes).sort()).toEqual(
      ["ce_id", "ce_source", "ce_specversion", "ce_time", "ce_type", "raw", "tags"].sort(),
    )
    expect(message?.messageAttributes.ce_id?.stringValue).toBe("s-1")
  })

  it("a FIFO topic gets the message group, the event id as de-duplication id, and sequence numbers", async () => {
    const adapter = adapterFor({ topicArn: fifoArn, messageGroupId: (e) => e.source })
    await sendBatch(adapter, [event({ id: "f-1" }), event({ id: "f-2" }), event({ id: "f-1" })])
    const messages = stored(fifoArn)
    expect(messages.map((m) => [m.id, m.messageGroupId, m.messageDeduplicationId])).toEqual([
      ["f-1", "shop", "f-1"],
      ["f-2", "shop", "f-2"],
    ])
    expect(BigInt(messages[1]!.sequenceNumber!)).toBeGreaterThan(BigInt(messages[0]!.sequenceNumber!))
  })

  it("derives an Id when the event id does not fit, reports it as sentId, and the topic stores that Id", async () => {
    const adapter = adapterFor()
    const odd = [event({ id: "order/1:2" }), event({ id: "y".repeat(81) })]
    for (const e of odd) {
      const result = adapter.encode(e)
      expect(result._tag === "Encoded" && result.sentId).toBe(batchEntryIdFor(e.id))
    }
    await sendBatch(adapter, odd)
    expect(stored().map((m) => m.id)).toEqual(odd.map((e) => batchEntryIdFor(e.id)))
  })

  it("sends Object.prototype names as Ids and maps Successful and Failed back by them", async () => {
    const adapter = adapterFor()
    const ids = ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf", "plain-1"]
    const events = ids.map((id) => event({ id }))
    for (const e of events) expect(adapter.encode(e)).toMatchObject({ entry: { Id: e.id } })
    const failing = new Set(["__proto__", "toString", "plain-1"])
    emulator().faults.set({
      type: "entryError",
      service: "sns",
      senderFault: true,
      code: "InvalidParameter",
      match: (view) => failing.has(view.id),
    })
    const results = await sendBatch(adapter, events)
    emulator().faults.clear()
    expect(results.map((r) => r.ok)).toEqual([true, false, false, true, true, false])
    const byId = new Map(stored().map((m) => [m.id, m.messageId]))
    expect([...byId.keys()]).toEqual(["constructor", "hasOwnProperty", "valueOf"])
    results.forEach((result, i) => {
      if (result.ok) expect(result.receipt).toBe(byId.get(ids[i]!))
      else expect(result.error).toMatchObject({ code: "InvalidRequest", rawCode: "InvalidParameter" })
    })
    await sendBatch(adapter, events.slice(1, 3))
    expect(stored().map((m) => m.id)).toEqual([
      "constructor",
      "hasOwnProperty",
      "valueOf",
      "__proto__",
      "toString",
    ])
  })

  it("an entry code the table does not know follows SenderFault", () => {
    expect(classifyEntryError("BrandNew", true)).toMatchObject({ code: "InvalidRequest", retryable: false })
    expect(classifyEntryError("BrandNew", false)).toMatchObject({ code: "InternalFailure", retryable: true })
  })

  it("leaves a caller's client open on close", async () => {
    const client = new SNSClient({ ...emulatorClientConfig(emulator()), maxAttempts: 1 })
    const theirs = sns({ topicArn, client })
    await Effect.runPromise(theirs.close)
    expect((await sendBatch(theirs, [event()]))[0]?.ok).toBe(true)
    client.destroy()
  })

  it("maps results by Id; an entry in neither list, or an Id not sent, is unknown", () => {
    const ok = { Id: "a", MessageId: "m-a" }
    const failed = { Id: "b", SenderFault: true, Code: "InvalidParameter", Message: "m" }
    const [a, b] = readPublishBatchResults(["a", "b"], { Successful: [ok], Failed: [failed] })
    expect(a).toEqual({ ok: true, receipt: "m-a" })
    expect(entryErrorOf(b)).toMatchObject({ code: "InvalidRequest", retryable: false })
    const missing = readPublishBatchResults(["a", "b"], { Successful: [ok] })
    expect(entryErrorOf(missing[1])).toMatchObject({ outcomeUnknown: true })
    const stray = readPublishBatchResults(["a"], { Successful: [ok, { Id: "z", MessageId: "m-z" }] })
    expect(entryErrorOf(stray[0])).toMatchObject({ outcomeUnknown: true })
  })
})

describe("sns through the publisher", () => {
  const fastRetry = { baseDelayMs: 1, maxDelayMs: 5, throttledBaseDelayMs: 1 }
  const publisherFor = (options: Partial<SnsOptions> = {}, retry: RetryOptions = fastRetry) =>
    createPublisher({ destinations: { topic: adapterFor(options) }, retry })
  const inputs = (n: number, data: (i: number) => string = (i) => `${i}`) =>
    Array.from({ length: n }, (_, i) => ({
      id: `e-${i}`,
      type: "order.created",
      source: "shop",
      data: { p: data(i) },
    }))

  it("packs by SNS's size, attributes counted; an entry over 256 KiB is rejected before any request", async () => {
    await using publisher = publisherFor({
      message: "data",
      messageAttributes: { pad: { DataType: "String", StringValue: "z".repeat(30_000) } },
    })
    // Each message is 80,010 bytes of message and 30,009 of attribute: two fit in 256 KiB, three do not.
    const result = await publisher.publish(inputs(5, () => "y".repeat(80_000)))
    expect(result.ok).toBe(true)
    expect(entriesPerRequest(emulator())).toEqual([2, 2, 1])
    emulator().reset()
    const tooBig = await publisher.publish(inputs(1, () => "y".repeat(limits.documentedMaxMessageBytes)))
    expect(tooBig.rejected).toBe(1)
    expect(emulator().requests.counts().total).toBe(0)
  })

  it("a dropped connection after storing: the FIFO retry is de-duplicated and flagged a possible duplicate", async () => {
    emulator().faults.set({ type: "dropConnection", service: "sns", afterStore: true, times: 1 })
    await using publisher = publisherFor({ topicArn: fifoArn, messageGroupId: "g" })
    const result = await publisher.publish(inputs(2))
    expect(result.ok).toBe(true)
    for (const outcome of result.outcomes)
      expect(outcome._tag === "Delivered" && outcome.possibleDuplicate).toBe(true)
    expect(stored(fifoArn)).toHaveLength(2)
  })
})
