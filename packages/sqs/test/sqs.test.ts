/**
 * The adapter against the emulator, with the real SDK client over HTTP: what is stored, what each
 * error code becomes, and what the emulator received per request.
 */
import { SQSClient } from "@aws-sdk/client-sqs"
import {
  cloudEventData,
  emulatorClientConfig,
  entriesPerRequest,
  entryErrorOf,
  sendBatch,
  sendFailingBatch,
  useEmulator,
} from "@eventport/aws-emulator/conformance"
import { createEvent, createPublisher, type Event, type EventInput, type RetryOptions } from "@eventport/core"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import {
  batchEntryIdFor,
  classifyEntryError,
  classifyRequestError,
  limits,
  type SqsOptions,
  sqs,
} from "../src/index.ts"
import { readSendMessageBatchResults } from "../src/internal/SendMessageBatchResults.ts"

const queueUrl = "https://sqs.us-east-1.amazonaws.com/123456789012/orders"
const fifoUrl = "https://sqs.us-east-1.amazonaws.com/123456789012/orders.fifo"

const emulator = useEmulator()

const adapterFor = (options: Partial<SqsOptions> = {}) =>
  sqs({ queueUrl, clientConfig: emulatorClientConfig(emulator()), ...options })

const event = (fields: Partial<EventInput> = {}): Event =>
  createEvent({ type: "order.created", source: "shop", data: { orderId: 42 }, ...fields })

const stored = (name = "orders") => emulator().store.entriesFor("sqs", name)

describe("sqs against the emulator", () => {
  it("sends each event's CloudEvents JSON as the body, the event id as the entry Id, MessageIds as receipts", async () => {
    const adapter = adapterFor()
    const events = [
      event({ id: "a-1", subject: "cart" }),
      event({ id: "a-2", data: new Uint8Array([1, 2, 3]) }),
    ]
    const results = await sendBatch(adapter, events)
    expect(results.map((r) => r.ok)).toEqual([true, true])
    const [first, second] = stored()
    expect(results.map((r) => (r.ok ? r.receipt : undefined))).toEqual([first?.messageId, second?.messageId])
    expect(first?.id).toBe("a-1")
    expect(JSON.parse(first!.body)).toMatchObject({
      specversion: "1.0",
      id: "a-1",
      type: "order.created",
      source: "shop",
      subject: "cart",
      data: { orderId: 42 },
    })
    expect(cloudEventData(second!.body)).toEqual(new Uint8Array([1, 2, 3]))
    await Effect.runPromise(adapter.close)
  })

  it("sends the data alone with body 'data', CloudEvents attributes beside it, and the caller's attributes", async () => {
    const adapter = adapterFor({
      body: "data",
      cloudEventAttributes: true,
      messageAttributes: (e) => ({
        tenant: { DataType: "String", StringValue: "acme" },
        weight: { DataType: "Number.kg", StringValue: "12.5" },
        raw: { DataType: "Binary", BinaryValue: new Uint8Array([9]) },
        ce_source: { DataType: "String", StringValue: `override-${e.source}` },
      }),
    })
    const e = event({ id: "b-1", time: new Date("2026-12-04T10:00:00.000Z") })
    await sendBatch(adapter, [e])
    const [message] = stored()
    expect(message?.body).toBe('{"orderId":42}')
    const attributes = Object.fromEntries(
      Object.entries(message!.messageAttributes).map(([name, a]) => [
        name,
        a.stringValue ?? [...a.binaryValue!],
      ]),
    )
    expect(attributes).toEqual({
      ce_specversion: "1.0",
      ce_id: "b-1",
      ce_source: "override-shop",
      ce_type: "order.created",
      ce_time: "2026-12-04T10:00:00.000Z",
      tenant: "acme",
      weight: "12.5",
      raw: [9],
    })
  })

  it("sends events for different queues in different requests (the queue URL is the batch key)", async () => {
    const adapter = adapterFor({
      queueUrl: (e) =>
        `https://sqs.us-east-1.amazonaws.com/123456789012/${e.type === "audit" ? "audit" : "orders"}`,
    })
    const encoded = [event(), event({ type: "audit" })].map((e) => adapter.encode(e))
    expect(encoded.map((e) => e._tag === "Encoded" && e.batchKey)).toEqual([
      "https://sqs.us-east-1.amazonaws.com/123456789012/orders",
      "https://sqs.us-east-1.amazonaws.com/123456789012/audit",
    ])
    await using publisher = createPublisher({ destinations: { queue: adapter } })
    const result = await publisher.publish([event(), event({ type: "audit" }), event()])
    expect(result.ok).toBe(true)
    expect(entriesPerRequest(emulator())).toEqual([2, 1])
    expect([stored("orders").length, stored("audit").length]).toEqual([2, 1])
  })

  it("derives an Id when the event id does not fit, reports it as sentId, and the queue stores that Id", async () => {
    const adapter = adapterFor()
    const odd = [event({ id: "order/1:2" }), event({ id: "x".repeat(81) }), event({ id: "constructor" })]
    for (const e of odd) {
      const result = adapter.encode(e)
      expect(result._tag === "Encoded" && result.sentId).toBe(batchEntryIdFor(e.id))
      expect(batchEntryIdFor(e.id)).toMatch(/^sha256-[A-Za-z0-9_-]{43}$/)
    }
    // A failed entry named like an Object.prototype member would break the SDK's checksum step.
    emulator().faults.set({
      type: "entryError",
      service: "sqs",
      senderFault: true,
      code: "InvalidParameterValue",
    })
    const results = await sendBatch(adapter, odd)
    expect(results.map((r) => r.ok)).toEqual([false, false, false])
    emulator().faults.clear()
    await sendBatch(adapter, odd)
    expect(stored().map((m) => m.id)).toEqual(odd.map((e) => batchEntryIdFor(e.id)))
  })

  it("maps Successful and Failed back by Id when event ids are Object.prototype names", async () => {
    const adapter = adapterFor()
    const ids = ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf", "plain-1"]
    const events = ids.map((id) => event({ id }))
    const failing = new Set(["__proto__", "toString", "plain-1"].map(batchEntryIdFor))
    emulator().faults.set({
      type: "entryError",
      service: "sqs",
      senderFault: true,
      code: "InvalidParameterValue",
      match: (view) => failing.has(view.id),
    })
    const results = await sendBatch(adapter, events)
    emulator().faults.clear()
    expect(results.map((r) => r.ok)).toEqual([true, false, false, true, true, false])
    const byId = new Map(stored().map((m) => [m.id, m.messageId]))
    expect([...byId.keys()]).toEqual(["constructor", "hasOwnProperty", "valueOf"].map(batchEntryIdFor))
    results.forEach((result, i) => {
      if (result.ok) expect(result.receipt).toBe(byId.get(batchEntryIdFor(ids[i]!)))
      else expect(result.error).toMatchObject({ code: "InvalidRequest", rawCode: "InvalidParameterValue" })
    })
  })

  it("a FIFO queue gets the message group, the event id as de-duplication id, and sequence numbers", async () => {
    const adapter = adapterFor({ queueUrl: fifoUrl, messageGroupId: (e) => e.source })
    await sendBatch(adapter, [
      event({ id: "f-1" }),
      event({ id: "f-2", source: "till" }),
      event({ id: "f-1" }),
    ])
    const messages = stored("orders.fifo")
    expect(messages.map((m) => [m.id, m.messageGroupId, m.messageDeduplicationId])).toEqual([
      ["f-1", "shop", "f-1"],
      ["f-2", "till", "f-2"],
    ])
    expect(BigInt(messages[1]!.sequenceNumber!)).toBeGreaterThan(BigInt(messages[0]!.sequenceNumber!))
  })

  it("an entry code the table does not know follows SenderFault", () => {
    expect(classifyEntryError("BrandNew", true)).toMatchObject({ code: "InvalidRequest", retryable: false })
    expect(classifyEntryError("BrandNew", false)).toMatchObject({ code: "InternalFailure", retryable: true })
    expect(classifyEntryError("BrandNew", undefined)).toMatchObject({ code: "Unknown", retryable: false })
  })

  it("the emulator's own whole-request refusals come back classified", async () => {
    const client = new SQSClient({ ...emulatorClientConfig(emulator()), maxAttempts: 1 })
    const adapter = sqs({ queueUrl: "https://sqs.us-east-1.amazonaws.com/not-an-account/orders", client })
    expect(await sendFailingBatch(adapter, [event()])).toMatchObject({
      code: "NotFound",
      retryable: false,
      rawCode: "QueueDoesNotExist",
    })
    client.destroy()
  })

  it("a body checksum mismatch is an unknown outcome, not retried", () => {
    // What the SDK throws when MD5OfMessageBody does not match (@aws-sdk/middleware-sdk-sqs).
    const error = new Error("Invalid MD5 checksum on messages: 1234")
    expect(classifyRequestError(error)).toMatchObject({
      code: "Unknown",
      retryable: false,
      outcomeUnknown: true,
    })
  })

  it("maps results by Id; an entry in neither list, in both, or an Id not sent is unknown", () => {
    const ok = { Id: "a", MessageId: "m-a", MD5OfMessageBody: "x" }
    const failed = { Id: "b", SenderFault: false, Code: "InternalError", Message: "m" }
    const [a, b] = readSendMessageBatchResults(["a", "b"], { Successful: [ok], Failed: [failed] })
    expect(a).toEqual({ ok: true, receipt: "m-a" })
    expect(entryErrorOf(b)).toMatchObject({ code: "InternalFailure", retryable: true })
    const missing = readSendMessageBatchResults(["a", "b"], { Successful: [ok], Failed: [] })
    expect(entryErrorOf(missing[1])).toMatchObject({ outcomeUnknown: true, rawCode: "InconsistentResponse" })
    const both = readSendMessageBatchResults(["a"], { Successful: [ok], Failed: [{ ...failed, Id: "a" }] })
    expect(entryErrorOf(both[0])).toMatchObject({ outcomeUnknown: true })
    const stray = readSendMessageBatchResults(["a", "b"], {
      Successful: [ok],
      Failed: [{ ...failed, Id: "z" }],
    })
    expect(stray.map((r) => !r.ok && r.error.outcomeUnknown)).toEqual([true, true])
  })

  it("leaves a caller's client open on close", async () => {
    const client = new SQSClient({ ...emulatorClientConfig(emulator()), maxAttempts: 1 })
    const theirs = sqs({ queueUrl, client })
    await Effect.runPromise(theirs.close)
    expect((await sendBatch(theirs, [event()]))[0]?.ok).toBe(true)
    client.destroy()
  })
})

describe("sqs through the publisher", () => {
  const fastRetry = { baseDelayMs: 1, maxDelayMs: 5, throttledBaseDelayMs: 1 }
  const publisherFor = (options: Partial<SqsOptions> = {}, retry: RetryOptions = fastRetry) =>
    createPublisher({ destinations: { queue: adapterFor(options) }, retry })
  const inputs = (n: number, data: (i: number) => string = (i) => `${i}`) =>
    Array.from({ length: n }, (_, i) => ({
      id: `e-${i}`,
      type: "order.created",
      source: "shop",
      data: { p: data(i) },
    }))

  it("packs by SQS's size, attributes counted: no request goes over the limit the emulator enforces", async () => {
    await using publisher = publisherFor({
      body: "data",
      messageAttributes: { pad: { DataType: "String", StringValue: "z".repeat(100_000) } },
    })
    // Each message is 300,010 bytes of body and 100,009 of attribute: two fit in 1 MiB, three do not.
    const result = await publisher.publish(inputs(5, () => "y".repeat(300_000)))
    expect(result.ok).toBe(true)
    expect(entriesPerRequest(emulator())).toEqual([2, 2, 1])
  })

  it("rejects an entry over 1 MiB by SQS's size before any request; a lower maxEntryBytes is honoured", async () => {
    await using publisher = publisherFor({ body: "data" })
    const result = await publisher.publish(inputs(1, () => "y".repeat(limits.documentedMaxMessageBytes)))
    expect(result.rejected).toBe(1)
    await using small = publisherFor({ body: "data", maxEntryBytes: limits.previousMaxMessageBytes })
    expect((await small.publish(inputs(1, () => "y".repeat(limits.previousMaxMessageBytes)))).rejected).toBe(
      1,
    )
    expect(emulator().requests.counts().total).toBe(0)
  })

  it("a mixed batch: rejected, permanently failed and delivered events each get their outcome", async () => {
    emulator().faults.set({
      type: "entryError",
      service: "sqs",
      code: "InvalidParameterValue",
      senderFault: true,
      match: { id: "e-1" },
    })
    await using publisher = publisherFor({ delaySeconds: (e) => (e.id === "e-2" ? 901 : undefined) })
    const result = await publisher.publish(inputs(4))
    expect(Object.fromEntries(result.outcomes.map((o) => [o.eventId, o._tag]))).toEqual({
      "e-0": "Delivered",
      "e-1": "Failed",
      "e-2": "Rejected",
      "e-3": "Delivered",
    })
    expect(entriesPerRequest(emulator())).toEqual([3])
  })

  it("a dropped connection after storing: the retry to a FIFO queue is de-duplicated, the outcome flagged a possible duplicate", async () => {
    emulator().faults.set({ type: "dropConnection", service: "sqs", afterStore: true, times: 1 })
    await using publisher = publisherFor({ queueUrl: fifoUrl, messageGroupId: "g" })
    const result = await publisher.publish(inputs(2))
    expect(result.ok).toBe(true)
    for (const outcome of result.outcomes)
      expect(outcome._tag === "Delivered" && outcome.possibleDuplicate).toBe(true)
    expect(stored("orders.fifo")).toHaveLength(2)
  })
})
