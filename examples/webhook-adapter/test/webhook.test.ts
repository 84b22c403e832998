import { createEvent, DeliveryError } from "@eventport/core"
import { Cause, Effect, Exit } from "effect"
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest"
import { encodeWebhookEntry, readWebhookResults, webhook, webhookDefaults } from "../src/index.ts"
import { startWebhookReceiver, type WebhookReceiver } from "./WebhookReceiver.ts"

const event = (id: string, fields: { dataContentType?: string } = {}) =>
  createEvent({ id, type: "order.created", source: "shop", data: { id }, ...fields })

const requestError = (exit: Exit.Exit<unknown, DeliveryError>): DeliveryError => {
  if (Exit.isSuccess(exit)) throw new Error("expected a whole-request error")
  const error = Cause.findErrorOption(exit.cause)
  if (error._tag !== "Some") throw new Error(Cause.pretty(exit.cause))
  return error.value
}

let receiver: WebhookReceiver
beforeAll(async () => {
  receiver = await startWebhookReceiver(webhookDefaults)
})
afterAll(() => receiver.close())
beforeEach(() => receiver.reset())

describe("encode", () => {
  it("carries the CloudEvent JSON and counts its bytes plus a separator", () => {
    const result = encodeWebhookEntry(event("é-1"))
    if (result._tag !== "Encoded") throw new Error("expected Encoded")
    expect(JSON.parse(result.entry.json)).toMatchObject({
      specversion: "1.0",
      id: "é-1",
      type: "order.created",
    })
    expect(result.bytes).toBe(Buffer.byteLength(result.entry.json) + 1)
  })

  it("rejects a data content type that is not a media type, naming the field and rule", () => {
    expect(encodeWebhookEntry(event("e1", { dataContentType: "json please" }))).toEqual({
      _tag: "Rejected",
      violations: [expect.objectContaining({ field: "dataContentType", rule: "mediaType" })],
    })
  })
})

describe("reading the response", () => {
  const entries = [
    { id: "a", json: "{}" },
    { id: "b", json: "{}" },
    { id: "c", json: "{}" },
  ]

  it("maps results by id, classifies statuses, and marks a missing result as an unknown outcome", () => {
    const results = readWebhookResults(entries, {
      results: [
        { id: "b", status: 429, message: "slow down" },
        { id: "a", status: 202 },
      ],
    })
    expect(results[0]).toEqual({ ok: true })
    expect(results[1]).toMatchObject({
      ok: false,
      error: {
        code: "Throttled",
        retryable: true,
        httpStatus: 429,
        rawCode: "HTTP 429",
        rawMessage: "slow down",
      },
    })
    expect(results[2]).toMatchObject({ ok: false, error: { code: "Unknown", outcomeUnknown: true } })
  })

  it("refuses a body of the wrong shape as an unknown outcome", () => {
    expect(() => readWebhookResults(entries, { ok: true })).toThrow(DeliveryError)
  })
})

describe("send over HTTP", () => {
  it("posts the batch and stores it at the receiver", async () => {
    const adapter = webhook({ url: receiver.url, headers: { authorization: "Bearer secret" } })
    const entries = ["x1", "x2"].map(
      (id) => (encodeWebhookEntry(event(id)) as { entry: { id: string; json: string } }).entry,
    )
    const results = await Effect.runPromise(adapter.send({ entries, batchKey: undefined, attempt: 1 }))
    expect(results).toEqual([{ ok: true }, { ok: true }])
    expect(receiver.received.map((r) => r.id)).toEqual(["x1", "x2"])
  })

  it("classifies whole-request statuses without copying headers into the error", async () => {
    const adapter = webhook({ url: receiver.url, headers: { authorization: "Bearer secret" } })
    receiver.failNextRequests(1, 503)
    const entry = (encodeWebhookEntry(event("y1")) as { entry: { id: string; json: string } }).entry
    const error = requestError(
      await Effect.runPromiseExit(adapter.send({ entries: [entry], batchKey: undefined, attempt: 1 })),
    )
    expect(error).toMatchObject({ code: "Unavailable", retryable: true, httpStatus: 503 })
    expect(JSON.stringify(error.fields())).not.toContain("secret")
  })

  it("reports a refused connection as a Network error sent before any byte left", async () => {
    const closed = await startWebhookReceiver(webhookDefaults)
    await closed.close()
    const adapter = webhook({ url: closed.url })
    const entry = (encodeWebhookEntry(event("z1")) as { entry: { id: string; json: string } }).entry
    const error = requestError(
      await Effect.runPromiseExit(adapter.send({ entries: [entry], batchKey: undefined, attempt: 1 })),
    )
    expect(error).toMatchObject({
      code: "Network",
      retryable: true,
      outcomeUnknown: false,
      rawCode: "ECONNREFUSED",
    })
  })
})
