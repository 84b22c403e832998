import { BatchPutMessageCommand, type Message } from "@aws-sdk/client-iotanalytics"
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest"
import { type Emulator, startEmulator } from "../src/index.ts"
import { clientsFor, errorOf, utf8 } from "./clients.ts"

let emulator: Emulator
let client: ReturnType<typeof clientsFor>["iotAnalytics"]

beforeAll(async () => {
  emulator = await startEmulator()
  client = clientsFor(emulator).iotAnalytics
})
afterAll(async () => {
  client.destroy()
  await emulator.stop()
})
beforeEach(() => emulator.reset())

const message = (id: string, payload: unknown = { temp_01: 1 }): Message => ({
  messageId: id,
  payload: utf8(typeof payload === "string" ? payload : JSON.stringify(payload)),
})

const put = (messages: Message[], channelName = "telemetry") =>
  client.send(new BatchPutMessageCommand({ channelName, messages }))

describe("IoT Analytics BatchPutMessage", () => {
  it("accepts messages, stores decoded payloads per channel", async () => {
    const result = await put([message("1"), message("2", { _temp_01: { a_b: [{ T_1: 2 }] } })])
    expect(result.batchPutMessageErrorEntries).toEqual([])
    const stored = emulator.store.entriesFor("iotanalytics", "telemetry")
    expect(stored.map((m) => m.payloadText)).toEqual(['{"temp_01":1}', '{"_temp_01":{"a_b":[{"T_1":2}]}}'])
    expect(stored[0]?.channelName).toBe("telemetry")
  })

  it("stores a non-JSON payload as sent, without an inner decode", async () => {
    const inner = Buffer.from("binary\u0001").toString("base64")
    await put([message("1", inner)])
    expect(emulator.store.iotanalytics.entries[0]?.payloadText).toBe(inner)
  })

  it("refuses 101 messages and accepts 100", async () => {
    const hundred = await put(Array.from({ length: 100 }, (_, i) => message(String(i))))
    expect(hundred.batchPutMessageErrorEntries).toEqual([])
    const error = await errorOf(put(Array.from({ length: 101 }, (_, i) => message(String(i)))))
    expect(error.name).toBe("InvalidRequestException")
    expect(emulator.store.iotanalytics.count).toBe(100)
  })

  it("fails messages whose payload field names break the rules, recursively and case-insensitively", async () => {
    const result = await put([
      message("ok", { temp_01: 1 }),
      message("dash", { "temp-01": 1 }),
      message("digit", { "01_temp": 1 }),
      message("double", { __temp_01: 1 }),
      message("dup", { foo: 1, FOO: 2 }),
      message("nested", { outer: { "in-ner": 1 } }),
      message("long", { [`a${"b".repeat(255)}`]: 1 }),
    ])
    const failed = result.batchPutMessageErrorEntries ?? []
    expect(failed.map((e) => e.messageId)).toEqual(["dash", "digit", "double", "dup", "nested", "long"])
    expect(
      failed.every((e) => e.errorCode === "InvalidRequestException" && typeof e.errorMessage === "string"),
    ).toBe(true)
    expect(emulator.store.iotanalytics.entries.map((m) => m.messageId)).toEqual(["ok"])
  })

  it("validates channelName (anchored pattern, no leading __) and messageId (\\p{ASCII} with the u flag)", async () => {
    expect((await errorOf(put([message("1")], "__hidden"))).name).toBe("InvalidRequestException")
    expect((await errorOf(put([message("1")], "has-dash"))).message).toContain("channelName")
    expect((await errorOf(put([message("1")], "c".repeat(129)))).name).toBe("InvalidRequestException")
    expect((await put([message("ascii id ~!")])).batchPutMessageErrorEntries).toEqual([])
    expect((await errorOf(put([message("naïve")]))).message).toContain("messageId")
    expect((await errorOf(put([message("x".repeat(129))]))).name).toBe("InvalidRequestException")
  })

  it("judges field names in a payload nested 5,000 levels deep instead of answering 500", async () => {
    const nest = (depth: number, leaf: Record<string, unknown>) => {
      let text = JSON.stringify(leaf)
      for (let i = 0; i < depth; i++) text = `{"level":${text}}`
      return text
    }
    const result = await put([
      message("deep-ok", nest(5000, { temp_01: 1 })),
      message("deep-bad", nest(5000, { "bad-name": 1 })),
    ])
    const failed = result.batchPutMessageErrorEntries ?? []
    expect(failed.map((e) => [e.messageId, e.errorCode])).toEqual([["deep-bad", "InvalidRequestException"]])
    // The path is shortened around the middle, so the message stays readable.
    expect(failed[0]?.errorMessage).toMatch(/^Field name 'level\.level.*….*level\.bad-name' is invalid/)
    expect(failed[0]!.errorMessage!.length).toBeLessThan(400)
    expect(emulator.store.iotanalytics.entries.map((m) => m.messageId)).toEqual(["deep-ok"])
    expect(emulator.requests.list().map((r) => r.status)).toEqual([200])
  })

  it("refuses repeated messageIds", async () => {
    expect((await errorOf(put([message("a"), message("a")]))).name).toBe("InvalidRequestException")
  })
})
