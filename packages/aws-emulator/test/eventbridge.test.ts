import { PutEventsCommand, type PutEventsRequestEntry } from "@aws-sdk/client-eventbridge"
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest"
import { type Emulator, putEventsEntrySize, startEmulator } from "../src/index.ts"
import { clientsFor, errorOf } from "./clients.ts"

let emulator: Emulator
let client: ReturnType<typeof clientsFor>["eventBridge"]

beforeAll(async () => {
  emulator = await startEmulator()
  client = clientsFor(emulator).eventBridge
})
afterAll(async () => {
  client.destroy()
  await emulator.stop()
})
beforeEach(() => emulator.reset())

const entry = (overrides: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry => ({
  Source: "shop",
  DetailType: "order.created",
  Detail: JSON.stringify({ id: 42 }),
  EventBusName: "orders",
  ...overrides,
})

const put = (Entries: PutEventsRequestEntry[]) => client.send(new PutEventsCommand({ Entries }))

describe("EventBridge PutEvents", () => {
  it("accepts entries, answers index-aligned EventIds and stores them per bus", async () => {
    const time = new Date("2026-01-02T03:04:05Z")
    const result = await put([
      entry({ Time: time, Resources: ["arn:x"] }),
      entry({ EventBusName: undefined }),
    ])
    expect(result.FailedEntryCount).toBe(0)
    expect(result.Entries).toHaveLength(2)
    expect(result.Entries?.every((e) => typeof e.EventId === "string")).toBe(true)
    const stored = emulator.store.eventbridge.entries
    expect(stored.map((e) => e.eventBusName)).toEqual(["orders", "default"])
    expect(stored[0]).toMatchObject({
      source: "shop",
      detailType: "order.created",
      detail: '{"id":42}',
      resources: ["arn:x"],
    })
    expect(stored[0]?.time.toISOString()).toBe(time.toISOString())
    expect(stored[0]?.eventId).toBe(result.Entries?.[0]?.EventId)
    expect(emulator.store.entriesFor("eventbridge", "orders")).toHaveLength(1)
    expect(emulator.store.counts().eventbridge).toEqual({ total: 2, byTarget: { orders: 1, default: 1 } })
  })

  it("refuses 11 entries as a whole-request ValidationException", async () => {
    const error = await errorOf(put(Array.from({ length: 11 }, () => entry())))
    expect(error.name).toBe("ValidationException")
    expect(error.message).toContain("Member must have length less than or equal to 10")
    expect((error.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(400)
    expect(emulator.store.eventbridge.count).toBe(0)
  })

  it("refuses an empty Entries list", async () => {
    const error = await errorOf(put([]))
    expect(error.name).toBe("ValidationException")
    expect(error.message).toContain("greater than or equal to 1")
  })

  it("measures the 1,000,000-byte default limit with AWS's entry-size algorithm, not the body size", async () => {
    const limit = 1_000_000
    const fixed = putEventsEntrySize({ Source: "s", DetailType: "t", Detail: '{"p":""}' })
    const atLimit = entry({
      Source: "s",
      DetailType: "t",
      Detail: JSON.stringify({ p: "x".repeat(limit - fixed) }),
    })
    expect(putEventsEntrySize(atLimit as Record<string, unknown>)).toBe(limit)
    // EventBusName is not counted, so a long bus name does not push it over.
    const ok = await put([{ ...atLimit, EventBusName: "b".repeat(200) }])
    expect(ok.FailedEntryCount).toBe(0)
    const overByOne = entry({
      Source: "s",
      DetailType: "t",
      Detail: JSON.stringify({ p: "x".repeat(limit - fixed + 1) }),
    })
    const error = await errorOf(put([overByOne]))
    expect(error.name).toBe("ValidationException")
    expect(error.message).toBe("Total size of the entries in the request is over the limit.")
  })

  it("counts 14 bytes for Time and sums sizes across entries", async () => {
    expect(
      putEventsEntrySize({ Time: 1, Source: "ab", DetailType: "c", Detail: "{}", Resources: ["r"] }),
    ).toBe(14 + 2 + 1 + 2 + 1)
    const half = JSON.stringify({ p: "y".repeat(500 * 1000) })
    const error = await errorOf(put([entry({ Detail: half }), entry({ Detail: half })]))
    expect(error.name).toBe("ValidationException")
  })

  it("uses a configurable request size limit: 262144 brings back the figure before 2026", async () => {
    const small = await startEmulator({ limits: { eventBridgeMaxRequestBytes: 256 * 1024 } })
    const smallClient = clientsFor(small).eventBridge
    try {
      const detail = JSON.stringify({ p: "z".repeat(300 * 1024) })
      const error = await smallClient
        .send(new PutEventsCommand({ Entries: [entry({ Detail: detail })] }))
        .then(
          () => undefined,
          (e: Error) => e,
        )
      expect(error?.name).toBe("ValidationException")
      const result = await put([entry({ Detail: detail })])
      expect(result.FailedEntryCount).toBe(0)
    } finally {
      smallClient.destroy()
      await small.stop()
    }
  })

  it("fails an entry missing Source, DetailType or Detail on its own", async () => {
    const result = await put([
      entry(),
      entry({ Source: undefined }),
      entry({ DetailType: undefined }),
      entry({ Detail: undefined }),
    ])
    expect(result.FailedEntryCount).toBe(3)
    expect(result.Entries?.[0]?.EventId).toBeDefined()
    expect(result.Entries?.slice(1).map((e) => e.ErrorCode)).toEqual([
      "InvalidArgument",
      "InvalidArgument",
      "InvalidArgument",
    ])
    expect(result.Entries?.[1]?.ErrorMessage).toContain("Source")
    expect(emulator.store.eventbridge.count).toBe(1)
  })

  it("fails the whole request when no entry is complete", async () => {
    const error = await errorOf(put([entry({ Source: undefined }), entry({ Detail: undefined })]))
    expect(error.name).toBe("ValidationException")
  })

  it("fails a DetailType over 128 characters and a Detail that is not a JSON object", async () => {
    const result = await put([
      entry({ DetailType: "d".repeat(128) }),
      entry({ DetailType: "d".repeat(129) }),
      entry({ Detail: "[1,2]" }),
      entry({ Detail: "not json" }),
      entry({ Detail: `${'{"a":'.repeat(1001)}1${"}".repeat(1001)}` }),
    ])
    expect(result.Entries?.map((e) => e.ErrorCode ?? "ok")).toEqual([
      "ok",
      "InvalidArgument",
      "MalformedDetail",
      "MalformedDetail",
      "MalformedDetail",
    ])
    expect(result.FailedEntryCount).toBe(4)
  })

  it("validates model constraints: bus name pattern (anchored), TraceHeader and Resources lengths", async () => {
    const badBus = await errorOf(put([entry({ EventBusName: "has space" })]))
    expect(badBus.name).toBe("ValidationException")
    expect(badBus.message).toContain("entries.1.member.eventBusName")
    const arnBus = await put([
      entry({ EventBusName: "arn:aws:events:us-east-1:123456789012:event-bus/orders" }),
    ])
    expect(arnBus.FailedEntryCount).toBe(0)
    const trace = await errorOf(put([entry({ TraceHeader: "t".repeat(501) })]))
    expect(trace.message).toContain("less than or equal to 500")
    const resource = await errorOf(put([entry({ Resources: ["r".repeat(2049)] })]))
    expect(resource.message).toContain("less than or equal to 2048")
  })

  it("answers an unknown X-Amz-Target with UnknownOperationException", async () => {
    const res = await fetch(`${emulator.endpoint}/`, {
      method: "POST",
      headers: {
        "x-amz-target": "AWSEvents.ListRules",
        authorization:
          "AWS4-HMAC-SHA256 Credential=x/20260101/us-east-1/events/aws4_request, SignedHeaders=host, Signature=00",
      },
      body: "{}",
    })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ __type: "UnknownOperationException" })
  })
})
