import { type _Record, type FirehoseClient, PutRecordBatchCommand } from "@aws-sdk/client-firehose"
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest"
import { type Emulator, startEmulator } from "../src/index.ts"
import { clientsFor, errorOf, utf8 } from "./clients.ts"

let emulator: Emulator
let client: FirehoseClient

beforeAll(async () => {
  emulator = await startEmulator()
  client = clientsFor(emulator).firehose
})
afterAll(async () => {
  client.destroy()
  await emulator.stop()
})
beforeEach(() => emulator.reset())

const put = (Records: _Record[], DeliveryStreamName = "archive") =>
  client.send(new PutRecordBatchCommand({ DeliveryStreamName, Records }))

const line = (text: string): _Record => ({ Data: utf8(`${text}\n`) })

describe("Firehose PutRecordBatch", () => {
  it("stores records per delivery stream and answers index-aligned RecordIds", async () => {
    const result = await put([line("a"), line("b")])
    expect(result.FailedPutCount).toBe(0)
    expect(result.Encrypted).toBe(false)
    const stored = emulator.store.entriesFor("firehose", "archive")
    expect(stored.map((r) => r.dataText)).toEqual(["a\n", "b\n"])
    expect(result.RequestResponses?.map((r) => r.RecordId)).toEqual(stored.map((r) => r.recordId))
    expect(new Set(stored.map((r) => r.recordId)).size).toBe(2)
  })

  it("validates the model: 1–500 records, stream name 1–64 of [a-zA-Z0-9_.-], Data at most 1,024,000 bytes", async () => {
    const cases: [_Record[], string, string][] = [
      [Array.from({ length: 501 }, () => line("x")), "archive", "less than or equal to 500"],
      [[], "archive", "greater than or equal to 1"],
      [[line("x")], "a".repeat(65), "less than or equal to 64"],
      [[line("x")], "bad/name", "regular expression pattern"],
      [[{ Data: new Uint8Array(1_024_001) }], "archive", "less than or equal to 1024000"],
    ]
    for (const [records, name, message] of cases) {
      const error = await errorOf(put(records, name))
      expect(error.name).toBe("ValidationException")
      expect(error.message).toContain(message)
    }
    const exact = await put([{ Data: new Uint8Array(1_024_000) }])
    expect(exact.FailedPutCount).toBe(0)
  })

  it("counts the data before base64 against the 4 MiB request limit, configurable", async () => {
    const records = Array.from({ length: 5 }, () => ({ Data: new Uint8Array(1_000_000) }))
    const error = await errorOf(put(records))
    expect(error.name).toBe("InvalidArgumentException")
    const four = await put(records.slice(0, 4))
    expect(four.FailedPutCount).toBe(0)
    const roomy = await startEmulator({ limits: { firehoseMaxRequestBytes: 5_000_000 } })
    const roomyClient = clientsFor(roomy).firehose
    try {
      const result = await roomyClient.send(
        new PutRecordBatchCommand({ DeliveryStreamName: "archive", Records: records }),
      )
      expect(result.FailedPutCount).toBe(0)
    } finally {
      roomyClient.destroy()
      await roomy.stop()
    }
  })

  it("fails single records with InternalFailure or ServiceUnavailableException, and whole requests", async () => {
    emulator.faults.set([
      { type: "entryError", service: "firehose", match: { Data: "b\n" } },
      {
        type: "entryError",
        service: "firehose",
        code: "ServiceUnavailableException",
        match: { Data: "c\n" },
      },
    ])
    const result = await put([line("a"), line("b"), line("c")])
    expect(result.FailedPutCount).toBe(2)
    expect(result.RequestResponses?.map((r) => r.ErrorCode)).toEqual([
      undefined,
      "InternalFailure",
      "ServiceUnavailableException",
    ])
    expect(emulator.store.firehose.entries.map((r) => r.dataText)).toEqual(["a\n"])
    emulator.faults.set({ type: "requestSequence", sequence: ["throttling", "internal"] })
    const throttled = await errorOf(put([line("a")]))
    expect(throttled.name).toBe("ServiceUnavailableException")
    expect((throttled.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(503)
    const internal = await errorOf(put([line("a")]))
    expect((internal.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(500)
    emulator.faults.set({
      type: "requestError",
      error: { code: "ResourceNotFoundException", status: 400 },
    })
    expect((await errorOf(put([line("a")]))).name).toBe("ResourceNotFoundException")
  })

  it("drops the connection after storing on cue", async () => {
    emulator.faults.set({ type: "dropConnection", service: "firehose", afterStore: true, times: 1 })
    await errorOf(put([line("a")]))
    expect(emulator.store.firehose.count).toBe(1)
    expect((await put([line("b")])).FailedPutCount).toBe(0)
  })
})
