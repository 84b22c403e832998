import { Sha256 } from "@aws-crypto/sha256-js"
import { SignatureV4 } from "@smithy/signature-v4"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { defaultCredentials, type Emulator, startEmulator } from "../src/index.ts"

let emulator: Emulator

beforeAll(async () => {
  emulator = await startEmulator()
})
afterAll(() => emulator.stop())

/** A correctly signed request with an arbitrary body, which no SDK client would send. */
const signedFetch = async (
  service: string,
  path: string,
  body: string,
  headers: Record<string, string> = {},
) => {
  const url = new URL(path, emulator.endpoint)
  const signer = new SignatureV4({
    credentials: defaultCredentials,
    region: "us-east-1",
    service,
    sha256: Sha256,
  })
  const signed = await signer.sign({
    method: "POST",
    protocol: "http:",
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    query: {},
    headers: { host: url.host, ...headers },
    body,
  })
  return fetch(url, { method: "POST", headers: signed.headers, body })
}

describe("malformed but signed requests get the service's error, never a crash", () => {
  it("EventBridge: invalid JSON → SerializationException", async () => {
    const res = await signedFetch("events", "/", "{not json", { "x-amz-target": "AWSEvents.PutEvents" })
    expect(res.status).toBe(400)
    expect(((await res.json()) as { __type: string }).__type).toBe("SerializationException")
  })

  it("IoT Events, IoT Analytics, Pinpoint: invalid JSON → their 400 error", async () => {
    const cases = [
      ["ioteventsdata", "/inputs/messages", "InvalidRequestException"],
      ["iotanalytics", "/messages/batch", "InvalidRequestException"],
      ["mobiletargeting", "/v1/apps/app/events", "BadRequestException"],
    ] as const
    for (const [service, path, code] of cases) {
      const res = await signedFetch(service, path, "[1,")
      expect(res.status).toBe(400)
      expect(res.headers.get("x-amzn-errortype")).toBe(code)
    }
  })

  it("IoT payload that is not base64 → InvalidRequestException", async () => {
    const res = await signedFetch(
      "ioteventsdata",
      "/inputs/messages",
      JSON.stringify({ messages: [{ messageId: "m", inputName: "i", payload: '{"raw":"json"}' }] }),
    )
    expect(res.status).toBe(400)
    expect(((await res.json()) as { message: string }).message).toContain("base64")
    expect(emulator.store.iotevents.count).toBe(0)
  })

  it("wrong member types are validation errors", async () => {
    const res = await signedFetch(
      "events",
      "/",
      JSON.stringify({ Entries: [{ Source: 5, Resources: "x" }] }),
      {
        "x-amz-target": "AWSEvents.PutEvents",
      },
    )
    expect(res.status).toBe(400)
    const body = (await res.json()) as { __type: string; message: string }
    expect(body.__type).toBe("ValidationException")
    expect(body.message).toMatch(/^2 validation errors detected/)
  })
})

describe("caller ids that name Object.prototype members stay plain keys", () => {
  it("Pinpoint answers endpoint and event ids __proto__ under their own keys", async () => {
    const event = { EventType: "t", Timestamp: "2026-01-01T00:00:00.000Z" }
    const res = await signedFetch(
      "mobiletargeting",
      "/v1/apps/app-1/events",
      `{"BatchItem":{"__proto__":{"Endpoint":{},"Events":{"__proto__":${JSON.stringify(event)}}}}}`,
      { "content-type": "application/json" },
    )
    expect(res.status).toBe(202)
    const text = await res.text()
    expect(text).toContain('"Results":{"__proto__":{"EndpointItemResponse"')
    expect(text).toContain('"EventsItemResponse":{"__proto__":{"StatusCode":202')
  })
})
