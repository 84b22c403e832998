import { type ChildProcess, spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge"
import { BatchPutMessageCommand as IotEventsPut } from "@aws-sdk/client-iot-events-data"
import { PutEventsCommand as PinpointPut } from "@aws-sdk/client-pinpoint"
import fc from "fast-check"
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest"
import { defaultCredentials, type Emulator, Quotas, startEmulator, validateQuotas } from "../src/index.ts"
import { clientsFor, errorOf, utf8 } from "./clients.ts"

/** The emulator's clock, stepped by hand: every quota decision is deterministic. */
let now = 0
let emulator: Emulator
let clients: ReturnType<typeof clientsFor>

beforeAll(async () => {
  emulator = await startEmulator({
    quotas: { eventbridge: { rate: 100, burst: 20 }, pinpoint: { rate: 1, burst: 1 } },
    clock: () => now,
  })
  clients = clientsFor(emulator)
})
afterAll(() => emulator.stop())
beforeEach(() => {
  now = 0
  emulator.reset()
})

const putEvents = () =>
  clients.eventBridge.send(
    new PutEventsCommand({ Entries: [{ Source: "s", DetailType: "t", Detail: "{}", EventBusName: "bus" }] }),
  )
const putPinpoint = () =>
  clients.pinpoint.send(
    new PinpointPut({
      ApplicationId: "app",
      EventsRequest: {
        BatchItem: {
          ep: { Endpoint: {}, Events: { e: { EventType: "t", Timestamp: new Date().toISOString() } } },
        },
      },
    }),
  )
const putIotEvents = () =>
  clients.iotEvents.send(
    new IotEventsPut({ messages: [{ messageId: "m", inputName: "in", payload: utf8("{}") }] }),
  )

const outcome = (call: () => Promise<unknown>) =>
  call().then(
    () => "ok",
    (error: Error) => error.name,
  )

describe("request-rate quotas", () => {
  it("refuses a misspelt option instead of starting without the quota", async () => {
    await expect(startEmulator({ quota: { eventbridge: { rate: 1, burst: 1 } } } as never)).rejects.toThrow(
      /^startEmulator: quota is not an option \(options: port, host, .*quotas/,
    )
    await expect(startEmulator({ limits: { kinesisMaxRecord: 5 } } as never)).rejects.toThrow(
      /^startEmulator: limits\.kinesisMaxRecord is not an option/,
    )
  })

  it("lets the burst through, then answers EventBridge's ThrottlingException 400 until the bucket refills", async () => {
    const seen: string[] = []
    for (let i = 0; i < 21; i++) seen.push(await outcome(putEvents))
    expect(seen.slice(0, 20).every((s) => s === "ok")).toBe(true)
    expect(seen[20]).toBe("ThrottlingException")
    const error = await errorOf(putEvents())
    expect((error.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(400)
    expect(error.message).toBe("Rate exceeded")
    // 100 requests/s: one token every 10 ms.
    now += 5
    expect(await outcome(putEvents)).toBe("ThrottlingException")
    now += 5
    expect(await outcome(putEvents)).toBe("ok")
    expect(await outcome(putEvents)).toBe("ThrottlingException")
    expect(emulator.store.eventbridge.count).toBe(21)
    const throttled = emulator.requests.list().filter((r) => r.fault === "quota")
    expect(throttled).toHaveLength(4)
    expect(throttled.every((r) => r.errorCode === "ThrottlingException" && r.status === 400)).toBe(true)
  })

  it("answers each service's own throttling error, and leaves services without a quota alone", async () => {
    expect(await outcome(putPinpoint)).toBe("ok")
    const error = await errorOf(putPinpoint())
    expect(error.name).toBe("TooManyRequestsException")
    expect((error.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(429)
    for (let i = 0; i < 30; i++) expect(await outcome(putIotEvents)).toBe("ok")
  })

  it("takes no token for a refused request, and refills up to the burst only", async () => {
    for (let i = 0; i < 20; i++) await putEvents()
    for (let i = 0; i < 5; i++) expect(await outcome(putEvents)).toBe("ThrottlingException")
    // Refused requests took nothing: 10 ms later exactly one passes.
    now += 10
    expect(await outcome(putEvents)).toBe("ok")
    // A long quiet spell refills to the burst, not beyond.
    now += 60_000
    const seen: string[] = []
    for (let i = 0; i < 21; i++) seen.push(await outcome(putEvents))
    expect(seen.filter((s) => s === "ok")).toHaveLength(20)
  })

  it("comes before faults: a throttled request fires no fault", async () => {
    emulator.faults.set({ type: "requestError", error: "internal", times: 1, service: "pinpoint" })
    expect(await outcome(putPinpoint)).toBe("InternalServerErrorException")
    expect(await outcome(putPinpoint)).toBe("TooManyRequestsException")
    now += 1000
    expect(await outcome(putPinpoint)).toBe("ok")
  })

  it("is changed at run time with quotas.set and restored by reset", async () => {
    emulator.quotas.set({ iotevents: { rate: 1, burst: 2 } })
    expect(emulator.quotas.list()).toEqual({ iotevents: { rate: 1, burst: 2 } })
    expect([await outcome(putIotEvents), await outcome(putIotEvents), await outcome(putIotEvents)]).toEqual([
      "ok",
      "ok",
      "ThrottlingException",
    ])
    for (let i = 0; i < 25; i++) expect(await outcome(putEvents)).toBe("ok")
    emulator.reset()
    expect(emulator.quotas.list()).toEqual({
      eventbridge: { rate: 100, burst: 20 },
      pinpoint: { rate: 1, burst: 1 },
    })
  })

  it("is read and replaced over the admin route, and a malformed body is refused with the rule", async () => {
    const put = (body: unknown) =>
      fetch(`${emulator.endpoint}/__admin/quotas`, { method: "PUT", body: JSON.stringify(body) })
    const ok = await put({ eventbridge: { rate: 5, burst: 1 } })
    expect(ok.status).toBe(200)
    const read = (await (await fetch(`${emulator.endpoint}/__admin/quotas`)).json()) as unknown
    expect(read).toEqual({ quotas: { eventbridge: { rate: 5, burst: 1 } } })
    expect([await outcome(putEvents), await outcome(putEvents)]).toEqual(["ok", "ThrottlingException"])
    const bad = await put({ eventbridge: { rate: 0, burst: 1 } })
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { message: string }).message).toBe(
      "quotas.eventbridge.rate must be a positive number of requests/s",
    )
    const unknown = await put({ nosuchservice: { rate: 1, burst: 1 } })
    expect(unknown.status).toBe(400)
    expect(((await unknown.json()) as { message: string }).message).toContain(
      "quotas.nosuchservice: the service must be one of",
    )
  })
})

describe("Quotas (token bucket)", () => {
  it("never admits more than burst + rate × elapsed requests, for any arrival times", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.5, max: 500, noNaN: true }),
        fc.integer({ min: 1, max: 50 }),
        fc.array(fc.double({ min: 0, max: 50, noNaN: true }), { maxLength: 300 }),
        (rate, burst, gaps) => {
          let clock = 0
          const quotas = new Quotas({ eventbridge: { rate, burst } }, () => clock)
          let admitted = 0
          for (const gap of gaps) {
            clock += gap
            if (quotas.admit("eventbridge")) admitted++
          }
          expect(admitted).toBeLessThanOrEqual(burst + Math.floor((rate * clock) / 1000) + 1e-9)
        },
      ),
    )
  })

  it("names the service and the rule of a malformed quota", () => {
    expect(() => validateQuotas({ eventbridge: { rate: 10, burst: 0.5 } })).toThrow(
      "quotas.eventbridge.burst must be an integer of at least 1",
    )
    expect(() => validateQuotas([])).toThrow("quotas must be an object of { rate, burst } by service")
    expect(() => new Quotas({ pinpoint: { rate: Number.NaN, burst: 1 } })).toThrow("quotas.pinpoint.rate")
  })
})

describe("eventport-emulator --quota", () => {
  let child: ChildProcess | undefined
  afterAll(() => {
    if (child !== undefined && child.exitCode === null) child.kill("SIGKILL")
  })

  it("starts with the quota and throttles beyond it", async () => {
    const cli = fileURLToPath(new URL("../src/cli.ts", import.meta.url))
    child = spawn(process.execPath, [cli, "--quota", "eventbridge=0.001:2"], {
      stdio: ["ignore", "pipe", "pipe"],
    })
    const endpoint = await new Promise<string>((resolve, reject) => {
      let output = ""
      child!.stdout?.on("data", (chunk: Buffer) => {
        output += chunk.toString()
        const match = /endpoint: (http:\/\/\S+)/.exec(output)
        if (match?.[1] !== undefined) resolve(match[1])
      })
      child!.on("exit", (code) => reject(new Error(`cli exited with ${code}: ${output}`)))
    })
    const client = new EventBridgeClient({
      endpoint,
      region: "us-east-1",
      credentials: defaultCredentials,
      maxAttempts: 1,
    })
    const send = () =>
      client.send(new PutEventsCommand({ Entries: [{ Source: "s", DetailType: "t", Detail: "{}" }] }))
    expect([await outcome(send), await outcome(send), await outcome(send)]).toEqual([
      "ok",
      "ok",
      "ThrottlingException",
    ])
    client.destroy()
    child.kill("SIGTERM")
  })

  it("refuses a malformed --quota with the expected form", async () => {
    const cli = fileURLToPath(new URL("../src/cli.ts", import.meta.url))
    const run = spawn(process.execPath, [cli, "--quota", "eventbridge=100"], {
      stdio: ["ignore", "pipe", "pipe"],
    })
    let stderr = ""
    run.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    const code = await new Promise<number | null>((resolve) => run.on("exit", resolve))
    expect(code).toBe(2)
    expect(stderr).toContain("--quota must look like <service>=<rate>:<burst>")
  })
})
