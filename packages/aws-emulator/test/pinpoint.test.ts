import { type EventsBatch, PutEventsCommand } from "@aws-sdk/client-pinpoint"
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest"
import { type Emulator, startEmulator } from "../src/index.ts"
import { clientsFor, errorOf } from "./clients.ts"

let emulator: Emulator
let client: ReturnType<typeof clientsFor>["pinpoint"]

beforeAll(async () => {
  emulator = await startEmulator()
  client = clientsFor(emulator).pinpoint
})
afterAll(async () => {
  client.destroy()
  await emulator.stop()
})
beforeEach(() => emulator.reset())

const timestamp = "2026-03-04T05:06:07.000Z"

const put = (BatchItem: Record<string, EventsBatch>, ApplicationId = "app-1") =>
  client.send(new PutEventsCommand({ ApplicationId, EventsRequest: { BatchItem } }))

const batch = (events: EventsBatch["Events"]): EventsBatch => ({
  Endpoint: { ChannelType: "CUSTOM" },
  Events: events,
})

describe("Pinpoint PutEvents", () => {
  it("answers 202 with Results by endpoint then event, and stores the events per application", async () => {
    const result = await put(
      {
        "endpoint-1": batch({ e1: { EventType: "purchase", Timestamp: timestamp, Metrics: { price: 9.5 } } }),
        "endpoint-2": batch({
          e2: {
            EventType: "_session.start",
            Timestamp: timestamp,
            Session: { Id: "s", StartTimestamp: timestamp },
          },
        }),
      },
      "my app",
    )
    expect(result.$metadata.httpStatusCode).toBe(202)
    expect(result.EventsResponse?.Results?.["endpoint-1"]).toEqual({
      EndpointItemResponse: { StatusCode: 202, Message: "Accepted" },
      EventsItemResponse: { e1: { StatusCode: 202, Message: "Accepted" } },
    })
    const stored = emulator.store.entriesFor("pinpoint", "my app")
    expect(stored.map((e) => [e.endpointId, e.eventId, e.eventType])).toEqual([
      ["endpoint-1", "e1", "purchase"],
      ["endpoint-2", "e2", "_session.start"],
    ])
    expect(stored[0]?.event.Metrics).toEqual({ price: 9.5 })
  })

  it("gives a per-event 400 inside the 202 for a missing EventType/Timestamp, bad Timestamp or incomplete Session", async () => {
    const result = await put({
      ep: batch({
        ok: { EventType: "a", Timestamp: timestamp },
        noType: { Timestamp: timestamp } as never,
        noTime: { EventType: "a" } as never,
        epochTime: { EventType: "a", Timestamp: "1700000000" },
        noSessionId: {
          EventType: "a",
          Timestamp: timestamp,
          Session: { StartTimestamp: timestamp } as never,
        },
        noSessionStart: { EventType: "a", Timestamp: timestamp, Session: { Id: "s" } as never },
      }),
    })
    const events = result.EventsResponse?.Results?.ep?.EventsItemResponse ?? {}
    expect(Object.fromEntries(Object.entries(events).map(([id, r]) => [id, r.StatusCode]))).toEqual({
      ok: 202,
      noType: 400,
      noTime: 400,
      epochTime: 400,
      noSessionId: 400,
      noSessionStart: 400,
    })
    expect(events.noType?.Message).toContain("eventType")
    expect(emulator.store.pinpoint.entries.map((e) => e.eventId)).toEqual(["ok"])
  })

  it("gives a per-event 400 to an event over 1,000 KB", async () => {
    const result = await put({
      ep: batch({
        big: { EventType: "a", Timestamp: timestamp, Attributes: { blob: "x".repeat(1000 * 1024) } },
      }),
    })
    expect(result.EventsResponse?.Results?.ep?.EventsItemResponse?.big?.StatusCode).toBe(400)
  })

  it("refuses more than 100 events in a request", async () => {
    const events = (n: number, prefix: string) =>
      Object.fromEntries(
        Array.from({ length: n }, (_, i) => [`${prefix}${i}`, { EventType: "a", Timestamp: timestamp }]),
      )
    const ok = await put({ a: batch(events(50, "a")), b: batch(events(50, "b")) })
    expect(Object.keys(ok.EventsResponse?.Results?.a?.EventsItemResponse ?? {})).toHaveLength(50)
    const error = await errorOf(put({ a: batch(events(50, "a")), b: batch(events(51, "b")) }))
    expect(error.name).toBe("BadRequestException")
    expect((error.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(400)
  })

  it("refuses a request over 4 MB with PayloadTooLargeException", async () => {
    const events = Object.fromEntries(
      Array.from({ length: 5 }, (_, i) => [
        `e${i}`,
        { EventType: "a", Timestamp: timestamp, Attributes: { b: "x".repeat(900 * 1024) } },
      ]),
    )
    const error = await errorOf(put({ ep: batch(events) }))
    expect(error.name).toBe("PayloadTooLargeException")
    expect((error.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(413)
  })

  it("refuses a batch without Endpoint or with a ChannelType outside the enum", async () => {
    const noEndpoint = await errorOf(put({ ep: { Events: {} } as never }))
    expect(noEndpoint.name).toBe("BadRequestException")
    const badChannel = await errorOf(
      put({ ep: { Endpoint: { ChannelType: "PIGEON" as never }, Events: {} } }),
    )
    expect(badChannel.message).toContain("enum")
  })

  it("answers other methods on the events path with MethodNotAllowedException", async () => {
    const res = await fetch(`${emulator.endpoint}/v1/apps/app/events`, {
      method: "GET",
      headers: {
        authorization:
          "AWS4-HMAC-SHA256 Credential=AKIDEVENTPORTTEST/20260101/us-east-1/mobiletargeting/aws4_request, SignedHeaders=host, Signature=00",
      },
    })
    expect(res.status).toBe(405)
    expect(res.headers.get("x-amzn-errortype")).toBe("MethodNotAllowedException")
    expect(await res.json()).toMatchObject({ Message: expect.any(String), RequestID: expect.any(String) })
  })
})
