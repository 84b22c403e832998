import { BatchPutMessageCommand, type Message } from "@aws-sdk/client-iot-events-data"
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest"
import { type Emulator, startEmulator } from "../src/index.ts"
import { clientsFor, errorOf, utf8 } from "./clients.ts"

let emulator: Emulator
let client: ReturnType<typeof clientsFor>["iotEvents"]

beforeAll(async () => {
  emulator = await startEmulator()
  client = clientsFor(emulator).iotEvents
})
afterAll(async () => {
  client.destroy()
  await emulator.stop()
})
beforeEach(() => emulator.reset())

const message = (id: string, overrides: Partial<Message> = {}): Message => ({
  messageId: id,
  inputName: "temperatureInput",
  payload: utf8(JSON.stringify({ temp: 21.5 })),
  ...overrides,
})

const put = (messages: Message[]) => client.send(new BatchPutMessageCommand({ messages }))

describe("IoT Events Data BatchPutMessage", () => {
  it("accepts messages and stores the payload decoded once, not double-encoded", async () => {
    const result = await put([
      message("m1", { timestamp: { timeInMillis: 1700000000000 } }),
      message("m2", { inputName: "other" }),
    ])
    expect(result.BatchPutMessageErrorEntries).toEqual([])
    const [first] = emulator.store.entriesFor("iotevents", "temperatureInput")
    expect(first?.payloadText).toBe('{"temp":21.5}')
    expect(Buffer.from(first!.payload).toString("utf8")).toBe('{"temp":21.5}')
    expect(first?.timeInMillis).toBe(1700000000000)
    expect(emulator.store.iotevents.countsByTarget()).toEqual({ temperatureInput: 1, other: 1 })
  })

  it("refuses more than 10 messages", async () => {
    const ten = await put(Array.from({ length: 10 }, (_, i) => message(`m${i}`)))
    expect(ten.BatchPutMessageErrorEntries).toEqual([])
    const error = await errorOf(put(Array.from({ length: 11 }, (_, i) => message(`m${i}`))))
    expect(error.name).toBe("InvalidRequestException")
    expect((error.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(400)
  })

  it("refuses repeated messageIds in one batch", async () => {
    const error = await errorOf(put([message("same"), message("same")]))
    expect(error.name).toBe("InvalidRequestException")
    expect(error.message).toContain("same")
  })

  it("validates messageId and inputName patterns and lengths, and the timestamp range", async () => {
    expect((await errorOf(put([message("bad id!")]))).message).toContain("messageId")
    expect((await errorOf(put([message("x".repeat(65))]))).message).toContain("less than or equal to 64")
    expect((await errorOf(put([message("m", { inputName: "_starts-wrong" })]))).message).toContain(
      "inputName",
    )
    expect((await errorOf(put([message("m", { inputName: "i".repeat(129) })]))).name).toBe(
      "InvalidRequestException",
    )
    expect((await errorOf(put([message("m", { timestamp: { timeInMillis: 0 } })]))).message).toContain(
      "greater than or equal to 1",
    )
    expect((await errorOf(put([]))).message).toContain("greater than or equal to 1")
    expect(emulator.store.iotevents.count).toBe(0)
  })

  it("enforces a payload-per-batch limit only when configured", async () => {
    const limited = await startEmulator({ limits: { iotEventsMaxBatchPayloadBytes: 1024 } })
    const limitedClient = clientsFor(limited).iotEvents
    try {
      const big = message("m", { payload: utf8(JSON.stringify({ p: "x".repeat(1100) })) })
      const error = await errorOf(limitedClient.send(new BatchPutMessageCommand({ messages: [big] })))
      expect(error.name).toBe("InvalidRequestException")
      expect((await put([big])).BatchPutMessageErrorEntries).toEqual([])
    } finally {
      limitedClient.destroy()
      await limited.stop()
    }
  })

  it("answers an unknown path with the service's restJson error", async () => {
    const res = await fetch(`${emulator.endpoint}/inputs/unknown`, {
      method: "POST",
      headers: {
        authorization:
          "AWS4-HMAC-SHA256 Credential=AKIDEVENTPORTTEST/20260101/us-east-1/ioteventsdata/aws4_request, SignedHeaders=host, Signature=00",
      },
    })
    expect(res.status).toBe(404)
    expect(res.headers.get("x-amzn-errortype")).toBe("UnknownOperationException")
  })
})
