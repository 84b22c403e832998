import { request } from "node:http"
import { PutEventsCommand } from "@aws-sdk/client-eventbridge"
import { BatchPutMessageCommand } from "@aws-sdk/client-iot-events-data"
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest"
import { type Emulator, type RequestRecord, startEmulator } from "../src/index.ts"
import { clientsFor, errorOf, utf8 } from "./clients.ts"

let emulator: Emulator
let clients: ReturnType<typeof clientsFor>

beforeAll(async () => {
  emulator = await startEmulator()
  clients = clientsFor(emulator)
})
afterAll(() => emulator.stop())
beforeEach(() => emulator.reset())

const putEvents = (bus = "bus") =>
  clients.eventBridge.send(
    new PutEventsCommand({ Entries: [{ Source: "s", DetailType: "t", Detail: "{}", EventBusName: bus }] }),
  )

const admin = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${emulator.endpoint}${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

describe("admin HTTP routes", () => {
  it("sets a fault over HTTP that the next SDK call sees, and clears it", async () => {
    const set = await admin("POST", "/__admin/faults", [
      { type: "requestSequence", sequence: ["throttling"], service: "eventbridge" },
    ])
    expect(set.status).toBe(200)
    expect(emulator.faults.list()).toHaveLength(1)
    expect((await errorOf(putEvents())).name).toBe("ThrottlingException")
    await admin("POST", "/__admin/faults", {
      faults: [{ type: "entryError", code: "InternalFailure", match: { target: "doomed" } }],
    })
    const result = await putEvents("doomed")
    expect(result.Entries?.[0]?.ErrorCode).toBe("InternalFailure")
    expect((await admin("DELETE", "/__admin/faults")).body.faults).toEqual([])
    expect((await putEvents("doomed")).FailedEntryCount).toBe(0)
  })

  it("refuses a malformed fault with 400", async () => {
    const res = await admin("POST", "/__admin/faults", { type: "requestError", error: "sometimes" })
    expect(res.status).toBe(400)
    expect(String(res.body.message)).toContain("error")
    expect(emulator.faults.list()).toEqual([])
  })

  it("reads the store, filtered by service and target, with payloads as base64", async () => {
    await putEvents("a")
    await putEvents("b")
    await clients.iotEvents.send(
      new BatchPutMessageCommand({
        messages: [{ messageId: "m", inputName: "in", payload: utf8('{"x":1}') }],
      }),
    )
    const all = await admin("GET", "/__admin/store")
    expect(all.body.counts).toMatchObject({
      eventbridge: { total: 2, byTarget: { a: 1, b: 1 } },
      iotevents: { total: 1 },
    })
    const filtered = await admin("GET", "/__admin/store?service=eventbridge&target=b")
    const entries = filtered.body.entries as Record<string, { eventBusName: string }[]>
    expect(Object.keys(entries)).toEqual(["eventbridge"])
    expect(entries.eventbridge?.map((e) => e.eventBusName)).toEqual(["b"])
    const iot = await admin("GET", "/__admin/store?service=iotevents")
    const message = (iot.body.entries as Record<string, { payload: string; payloadText: string }[]>)
      .iotevents?.[0]
    expect(message?.payloadText).toBe('{"x":1}')
    expect(Buffer.from(message!.payload, "base64").toString()).toBe('{"x":1}')
    expect((await admin("GET", "/__admin/store?service=nosuchservice")).status).toBe(400)
  })

  it("reads the request log without bodies or signatures, and resets", async () => {
    await putEvents()
    await errorOf(
      fetch(`${emulator.endpoint}/nowhere`, { method: "POST" }).then((r) =>
        Promise.reject(new Error(String(r.status))),
      ),
    )
    const log = await admin("GET", "/__admin/requests")
    const requests = log.body.requests as RequestRecord[]
    expect(requests.map((r) => [r.method, r.path, r.service, r.status, r.entryCount])).toEqual([
      ["POST", "/", "eventbridge", 200, 1],
      ["POST", "/nowhere", undefined, 403, 0],
    ])
    expect(JSON.stringify(log.body)).not.toContain(emulator.credentials.secretAccessKey)
    expect(JSON.stringify(log.body)).not.toContain("Signature=")
    expect(log.body.counts).toMatchObject({ total: 2, byService: { eventbridge: 1, unknown: 1 }, entries: 1 })
    expect((await admin("POST", "/__admin/reset")).status).toBe(200)
    expect(emulator.requests.counts().total).toBe(0)
    expect(emulator.store.eventbridge.count).toBe(0)
  })

  it("refuses a latency fault past Node's timer limit with 400, instead of making it 1 ms", async () => {
    for (const ms of [1e12, 2 ** 31, Number.POSITIVE_INFINITY, [0, 1e12]]) {
      const res = await fetch(`${emulator.endpoint}/__admin/faults`, {
        method: "POST",
        // JSON has no Infinity: send it as a huge literal that parses to it.
        body: JSON.stringify({ type: "latency", ms }).replace("null", "1e999"),
      })
      expect(res.status).toBe(400)
      expect(((await res.json()) as { message: string }).message).toContain("2147483647")
    }
    expect(emulator.faults.list()).toEqual([])
    expect(
      (await admin("POST", "/__admin/faults", { type: "latency", ms: 2 ** 31 - 1, rate: 0 })).status,
    ).toBe(200)
  })

  it("answers unknown admin routes with 404", async () => {
    expect((await admin("GET", "/__admin/nothing")).status).toBe(404)
  })
})

describe("store modes and the request log bound", () => {
  it("counts only, or keeps nothing, for benchmarks", async () => {
    const counting = await startEmulator({ store: "count" })
    const off = await startEmulator({ store: false })
    try {
      const put = (e: Emulator) =>
        clientsFor(e).eventBridge.send(
          new PutEventsCommand({ Entries: [{ Source: "s", DetailType: "t", Detail: "{}" }] }),
        )
      await put(counting)
      await put(off)
      expect(counting.store.eventbridge.count).toBe(1)
      expect(counting.store.eventbridge.entries).toEqual([])
      expect(counting.store.counts().eventbridge.byTarget).toEqual({ default: 1 })
      expect(off.store.eventbridge.count).toBe(0)
      expect(off.requests.counts().total).toBe(1)
    } finally {
      await counting.stop()
      await off.stop()
    }
  })

  it("keeps only the most recent requests in a ring buffer, while counting all", async () => {
    const small = await startEmulator({ requestLogLimit: 3 })
    try {
      const client = clientsFor(small).eventBridge
      for (const bus of ["b1", "b2", "b3", "b4", "b5"]) {
        await client.send(
          new PutEventsCommand({
            Entries: [{ Source: "s", DetailType: bus, Detail: "{}", EventBusName: bus }],
          }),
        )
      }
      const kept = small.requests.list()
      expect(kept).toHaveLength(3)
      expect(kept.map((r) => r.startedAt.getTime())).toEqual(
        [...kept.map((r) => r.startedAt.getTime())].sort(),
      )
      expect(small.requests.counts().total).toBe(5)
      expect(small.store.eventbridge.entries.map((e) => e.eventBusName)).toEqual([
        "b1",
        "b2",
        "b3",
        "b4",
        "b5",
      ])
    } finally {
      await small.stop()
    }
  })
})

/** A raw HTTP/1.1 request, so the test can choose Host and Origin as a browser would send them. */
const rawRequest = (
  target: Emulator,
  method: string,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> =>
  new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port: target.port, method, path, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = []
        res.on("data", (chunk: Buffer) => chunks.push(chunk))
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }))
      },
    )
    req.on("error", reject)
    req.end()
  })

describe("DNS rebinding defence", () => {
  it("refuses admin and service requests whose Host is not a loopback name, whatever the route", async () => {
    await putEvents()
    for (const path of ["/__admin/store", "/__admin/reset", "/"]) {
      for (const method of ["GET", "POST"]) {
        const res = await rawRequest(emulator, method, path, { host: `rebound.example:${emulator.port}` })
        expect(res.status).toBe(403)
        expect(res.body).toContain("rebound.example")
        expect(res.body).not.toContain("payload")
      }
    }
    expect(emulator.store.eventbridge.count).toBe(1)
  })

  it("accepts loopback names and addresses as Host", async () => {
    for (const host of ["localhost", "api.localhost", "127.0.0.1", "127.1.2.3", "[::1]", "LOCALHOST"]) {
      const res = await rawRequest(emulator, "GET", "/__admin/health", { host: `${host}:${emulator.port}` })
      expect(res.status, host).toBe(200)
    }
  })

  it("refuses admin requests that carry an Origin header, as a browser page sends", async () => {
    await putEvents()
    const read = await rawRequest(emulator, "GET", "/__admin/store", {
      host: `127.0.0.1:${emulator.port}`,
      origin: "http://127.0.0.1:8080",
    })
    expect(read.status).toBe(403)
    expect(read.body).toContain("Origin")
    const reset = await rawRequest(emulator, "POST", "/__admin/reset", {
      host: `localhost:${emulator.port}`,
      origin: "null",
    })
    expect(reset.status).toBe(403)
    expect(emulator.store.eventbridge.count).toBe(1)
  })

  it("accepts a Host named in allowedHosts", async () => {
    const aliased = await startEmulator({ allowedHosts: ["emulator.test"] })
    try {
      const res = await rawRequest(aliased, "GET", "/__admin/health", {
        host: `emulator.test:${aliased.port}`,
      })
      expect(res.status).toBe(200)
      const other = await rawRequest(aliased, "GET", "/__admin/health", {
        host: `other.test:${aliased.port}`,
      })
      expect(other.status).toBe(403)
    } finally {
      await aliased.stop()
    }
  })
})
