import { PutEventsCommand } from "@aws-sdk/client-eventbridge"
import { BatchPutMessageCommand as IotEventsPut } from "@aws-sdk/client-iot-events-data"
import { BatchPutMessageCommand as IotAnalyticsPut } from "@aws-sdk/client-iotanalytics"
import { PutEventsCommand as PinpointPut } from "@aws-sdk/client-pinpoint"
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest"
import { type Emulator, type Fault, startEmulator } from "../src/index.ts"
import { clientsFor, errorOf, utf8 } from "./clients.ts"

let emulator: Emulator
let clients: ReturnType<typeof clientsFor>

beforeAll(async () => {
  emulator = await startEmulator({ seed: 7 })
  clients = clientsFor(emulator)
})
afterAll(() => emulator.stop())
beforeEach(() => emulator.reset())

const putEvents = (n = 1, detailType = "t") =>
  clients.eventBridge.send(
    new PutEventsCommand({
      Entries: Array.from({ length: n }, () => ({
        Source: "s",
        DetailType: detailType,
        Detail: "{}",
        EventBusName: "bus",
      })),
    }),
  )
const putIotEvents = (n = 1) =>
  clients.iotEvents.send(
    new IotEventsPut({
      messages: Array.from({ length: n }, (_, i) => ({
        messageId: `m${i}`,
        inputName: "in",
        payload: utf8("{}"),
      })),
    }),
  )
const putIotAnalytics = (n = 1) =>
  clients.iotAnalytics.send(
    new IotAnalyticsPut({
      channelName: "ch",
      messages: Array.from({ length: n }, (_, i) => ({ messageId: `m${i}`, payload: utf8("{}") })),
    }),
  )
const putPinpoint = (n = 1) =>
  clients.pinpoint.send(
    new PinpointPut({
      ApplicationId: "app",
      EventsRequest: {
        BatchItem: {
          ep: {
            Endpoint: {},
            Events: Object.fromEntries(
              Array.from({ length: n }, (_, i) => [
                `e${i}`,
                { EventType: `type${i}`, Timestamp: new Date().toISOString() },
              ]),
            ),
          },
        },
      },
    }),
  )

const status = (error: Record<string, unknown>) =>
  (error.$metadata as { httpStatusCode: number }).httpStatusCode

/** ok or the error name, for each call in turn. */
const outcomes = async (n: number, call: () => Promise<unknown>) => {
  const seen: string[] = []
  for (let i = 0; i < n; i++) {
    try {
      await call()
      seen.push("ok")
    } catch (error) {
      seen.push((error as Error).name)
    }
  }
  return seen
}

describe("whole-request faults", () => {
  it("throttles by scripted sequence with each service's code and status", async () => {
    emulator.faults.set({ type: "requestSequence", sequence: ["throttling", "ok", "throttling"] })
    expect(await outcomes(4, () => putEvents())).toEqual([
      "ThrottlingException",
      "ok",
      "ThrottlingException",
      "ok",
    ])
    emulator.reset()
    emulator.faults.set({ type: "requestSequence", sequence: ["throttling"], service: "iotevents" })
    const iot = await errorOf(putIotEvents())
    expect([iot.name, status(iot)]).toEqual(["ThrottlingException", 429])
    expect(await putEvents()).toBeDefined()
    emulator.faults.set({ type: "requestError", error: "throttling", times: 1 })
    const eb = await errorOf(putEvents())
    expect([eb.name, status(eb)]).toEqual(["ThrottlingException", 400])
    emulator.faults.set({ type: "requestError", error: "throttling", times: 1 })
    const pp = await errorOf(putPinpoint())
    expect([pp.name, status(pp)]).toEqual(["TooManyRequestsException", 429])
    expect(emulator.store.eventbridge.count).toBe(1)
  })

  it("maps internal and unavailable to each service's 5xx", async () => {
    const cases: [() => Promise<unknown>, string, string, number, number][] = [
      [() => putEvents(), "InternalException", "ServiceUnavailable", 500, 503],
      [() => putIotEvents(), "InternalFailureException", "ServiceUnavailableException", 500, 503],
      [() => putIotAnalytics(), "InternalFailureException", "ServiceUnavailableException", 500, 503],
      [() => putPinpoint(), "InternalServerErrorException", "ServiceUnavailableException", 500, 503],
    ]
    for (const [call, internal, unavailable, internalStatus, unavailableStatus] of cases) {
      emulator.faults.set({ type: "requestSequence", sequence: ["internal", "unavailable"] })
      const first = await errorOf(call())
      const second = await errorOf(call())
      expect([first.name, status(first), first.$fault]).toEqual([internal, internalStatus, "server"])
      expect([second.name, status(second)]).toEqual([unavailable, unavailableStatus])
    }
  })

  it("throttles by rate, the same way under the same seed", async () => {
    const fault: Fault = { type: "requestError", error: "throttling", rate: 0.5, service: "iotanalytics" }
    emulator.faults.set(fault)
    const first = await outcomes(20, () => putIotAnalytics())
    emulator.reset()
    emulator.faults.set(fault)
    const second = await outcomes(20, () => putIotAnalytics())
    expect(second).toEqual(first)
    const throttled = first.filter((o) => o === "ThrottlingException").length
    expect(throttled).toBeGreaterThan(2)
    expect(throttled).toBeLessThan(18)
    const other = await startEmulator({ seed: 8, faults: [fault] })
    try {
      const otherOutcomes = await outcomes(20, () =>
        clientsFor(other).iotAnalytics.send(
          new IotAnalyticsPut({ channelName: "ch", messages: [{ messageId: "m", payload: utf8("{}") }] }),
        ),
      )
      expect(otherOutcomes).not.toEqual(first)
    } finally {
      await other.stop()
    }
  })

  it("accepts a custom error code and status", async () => {
    emulator.faults.set({
      type: "requestError",
      error: { code: "AccessDeniedException", status: 400, message: "no" },
    })
    const error = await errorOf(putEvents())
    expect([error.name, error.message, status(error)]).toEqual(["AccessDeniedException", "no", 400])
  })
})

describe("per-entry faults", () => {
  it("fails EventBridge entries by matcher with the given code, index-aligned", async () => {
    emulator.faults.set({ type: "entryError", code: "ThrottlingException", match: { DetailType: "fail" } })
    const result = await clients.eventBridge.send(
      new PutEventsCommand({
        Entries: [
          { Source: "s", DetailType: "ok", Detail: "{}" },
          { Source: "s", DetailType: "fail", Detail: "{}" },
        ],
      }),
    )
    expect(result.FailedEntryCount).toBe(1)
    expect(result.Entries?.[0]?.EventId).toBeDefined()
    expect(result.Entries?.[1]?.ErrorCode).toBe("ThrottlingException")
    expect(emulator.store.eventbridge.entries.map((e) => e.detailType)).toEqual(["ok"])
  })

  it("fails entries by rate with a predicate matcher, in each service's error list", async () => {
    emulator.faults.set({ type: "entryError", match: (entry) => entry.id === "m1" })
    const iot = await putIotEvents(3)
    expect(iot.BatchPutMessageErrorEntries).toEqual([
      { messageId: "m1", errorCode: "InternalFailureException", errorMessage: expect.any(String) },
    ])
    const analytics = await putIotAnalytics(3)
    expect(analytics.batchPutMessageErrorEntries?.map((e) => [e.messageId, e.errorCode])).toEqual([
      ["m1", "InternalFailureException"],
    ])
    emulator.faults.set({
      type: "entryError",
      rate: 1,
      statusCode: 429,
      message: "slow down",
      service: "pinpoint",
    })
    const pinpoint = await putPinpoint(2)
    expect(pinpoint.EventsResponse?.Results?.ep?.EventsItemResponse).toEqual({
      e0: { StatusCode: 429, Message: "slow down" },
      e1: { StatusCode: 429, Message: "slow down" },
    })
    expect(emulator.store.pinpoint.count).toBe(0)
    emulator.faults.set({ type: "entryError", rate: 0.5, service: "eventbridge" })
    const mixed = await putEvents(10)
    expect(mixed.FailedEntryCount).toBeGreaterThan(0)
    expect(mixed.FailedEntryCount).toBeLessThan(10)
    expect(emulator.store.eventbridge.count).toBe(10 - mixed.FailedEntryCount!)
  })
})

describe("latency and dropped connections", () => {
  it("delays responses by a fixed time or a range", async () => {
    emulator.faults.set({ type: "latency", ms: 150 })
    let started = performance.now()
    await putEvents()
    expect(performance.now() - started).toBeGreaterThanOrEqual(140)
    emulator.faults.set({ type: "latency", ms: [50, 80], service: "iotevents" })
    started = performance.now()
    await putIotEvents()
    const elapsed = performance.now() - started
    expect(elapsed).toBeGreaterThanOrEqual(45)
    started = performance.now()
    await putEvents()
    expect(performance.now() - started).toBeLessThan(45)
  })

  it("drops the connection before applying: the SDK sees a network error and nothing is stored", async () => {
    emulator.faults.set({ type: "dropConnection", times: 1 })
    const error = await errorOf(putEvents())
    expect(error.$metadata === undefined || status(error) === undefined).toBe(true)
    expect(
      ["ECONNRESET", "EPIPE"].includes(String(error.code)) ||
        /socket hang up|ECONNRESET/i.test(error.message),
    ).toBe(true)
    expect(emulator.store.eventbridge.count).toBe(0)
    expect(emulator.requests.list().at(-1)?.status).toBe("dropped")
    expect(await putEvents()).toBeDefined()
  })

  it("drops the connection after storing: the client sees a failure but the entries were applied", async () => {
    emulator.faults.set({ type: "dropConnection", afterStore: true, times: 1, service: "pinpoint" })
    await errorOf(putPinpoint(2))
    expect(emulator.store.pinpoint.entries.map((e) => e.eventId)).toEqual(["e0", "e1"])
    await putPinpoint(2)
    // A retry of the same events is visible as duplicates.
    expect(emulator.store.pinpoint.count).toBe(4)
  })

  it("clears faults per service and all at once", () => {
    emulator.faults.set([
      { type: "latency", ms: 1, service: "pinpoint" },
      { type: "requestError", error: "internal", service: "eventbridge" },
    ])
    emulator.faults.clear("pinpoint")
    expect(emulator.faults.list()).toEqual([
      { type: "requestError", error: "internal", service: "eventbridge" },
    ])
    emulator.faults.clear()
    expect(emulator.faults.list()).toEqual([])
    expect(() => emulator.faults.set({ type: "latency", ms: -1 })).toThrow(TypeError)
  })
})
