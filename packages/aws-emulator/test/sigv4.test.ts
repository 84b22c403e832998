import { PutEventsCommand } from "@aws-sdk/client-eventbridge"
import { PutRecordBatchCommand } from "@aws-sdk/client-firehose"
import { BatchPutMessageCommand as IotEventsPut } from "@aws-sdk/client-iot-events-data"
import { BatchPutMessageCommand as IotAnalyticsPut } from "@aws-sdk/client-iotanalytics"
import { PutRecordsCommand } from "@aws-sdk/client-kinesis"
import { PutEventsCommand as PinpointPut } from "@aws-sdk/client-pinpoint"
import { PublishBatchCommand } from "@aws-sdk/client-sns"
import { SendMessageBatchCommand } from "@aws-sdk/client-sqs"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { defaultCredentials, type Emulator, serviceNames, startEmulator } from "../src/index.ts"
import { clientsFor, errorOf, utf8 } from "./clients.ts"

let emulator: Emulator

beforeAll(async () => {
  emulator = await startEmulator()
})
afterAll(() => emulator.stop())

const calls = (clients: ReturnType<typeof clientsFor>) =>
  [
    [
      "eventbridge",
      () =>
        clients.eventBridge.send(
          new PutEventsCommand({ Entries: [{ Source: "s", DetailType: "t", Detail: "{}" }] }),
        ),
    ],
    [
      "iotevents",
      () =>
        clients.iotEvents.send(
          new IotEventsPut({ messages: [{ messageId: "m", inputName: "i", payload: utf8("{}") }] }),
        ),
    ],
    [
      "iotanalytics",
      () =>
        clients.iotAnalytics.send(
          new IotAnalyticsPut({ channelName: "c", messages: [{ messageId: "m", payload: utf8("{}") }] }),
        ),
    ],
    [
      "pinpoint",
      () =>
        clients.pinpoint.send(
          new PinpointPut({
            ApplicationId: "a",
            EventsRequest: { BatchItem: { e: { Endpoint: {}, Events: {} } } },
          }),
        ),
    ],
    [
      "kinesis",
      () =>
        clients.kinesis.send(
          new PutRecordsCommand({ StreamName: "s", Records: [{ PartitionKey: "p", Data: utf8("{}") }] }),
        ),
    ],
    [
      "firehose",
      () =>
        clients.firehose.send(
          new PutRecordBatchCommand({ DeliveryStreamName: "d", Records: [{ Data: utf8("{}") }] }),
        ),
    ],
    [
      "sqs",
      () =>
        clients.sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/q",
            Entries: [{ Id: "m", MessageBody: "{}" }],
          }),
        ),
    ],
    [
      "sns",
      () =>
        clients.sns.send(
          new PublishBatchCommand({
            TopicArn: "arn:aws:sns:us-east-1:123456789012:t",
            PublishBatchRequestEntries: [{ Id: "m", Message: "{}" }],
          }),
        ),
    ],
  ] as const

describe("SigV4 verification", () => {
  it("accepts the default test credentials and exports them", async () => {
    expect(defaultCredentials.accessKeyId).toBe("AKIDEVENTPORTTEST")
    for (const [, call] of calls(clientsFor(emulator))) await expect(call()).resolves.toBeDefined()
  })

  it.each(serviceNames)(
    "rejects a wrong secret with InvalidSignatureException (403) without echoing the secret: %s",
    async (service) => {
      const secret = "wrong-secret-value-should-never-appear"
      const clients = clientsFor(emulator, {
        accessKeyId: defaultCredentials.accessKeyId,
        secretAccessKey: secret,
      })
      const call = calls(clients).find(([name]) => name === service)![1]
      const error = await errorOf(call())
      expect(error.name).toBe("InvalidSignatureException")
      expect((error.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(403)
      expect(error.message).not.toContain(secret)
      expect(error.message).not.toContain(defaultCredentials.secretAccessKey)
    },
  )

  it("rejects an unknown access key with UnrecognizedClientException (403)", async () => {
    const clients = clientsFor(emulator, { accessKeyId: "AKIDUNKNOWN", secretAccessKey: "x" })
    for (const [, call] of calls(clients)) {
      const error = await errorOf(call())
      expect(error.name).toBe("UnrecognizedClientException")
      expect((error.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(403)
    }
  })

  it("accepts several configured credentials", async () => {
    const second = { accessKeyId: "AKIDSECOND", secretAccessKey: "second-secret" }
    const multi = await startEmulator({ credentials: [defaultCredentials, second] })
    try {
      const result = await clientsFor(multi, second).eventBridge.send(
        new PutEventsCommand({ Entries: [{ Source: "s", DetailType: "t", Detail: "{}" }] }),
      )
      expect(result.FailedEntryCount).toBe(0)
    } finally {
      await multi.stop()
    }
  })

  it("rejects a request without Authorization with MissingAuthenticationTokenException in each protocol's shape", async () => {
    const eb = await fetch(`${emulator.endpoint}/`, {
      method: "POST",
      headers: { "x-amz-target": "AWSEvents.PutEvents", "content-type": "application/x-amz-json-1.1" },
      body: JSON.stringify({ Entries: [{ Source: "s", DetailType: "t", Detail: "{}" }] }),
    })
    expect(eb.status).toBe(403)
    expect(await eb.json()).toEqual({
      __type: "MissingAuthenticationTokenException",
      message: "Missing Authentication Token",
    })
    const iot = await fetch(`${emulator.endpoint}/inputs/messages`, { method: "POST", body: "{}" })
    expect(iot.status).toBe(403)
    expect(iot.headers.get("x-amzn-errortype")).toBe("MissingAuthenticationTokenException")
    expect(await iot.json()).toEqual({ message: "Missing Authentication Token" })
  })

  it("rejects an Authorization header without Signature with IncompleteSignatureException (400)", async () => {
    const res = await fetch(`${emulator.endpoint}/messages/batch`, {
      method: "POST",
      headers: {
        authorization:
          "AWS4-HMAC-SHA256 Credential=AKIDEVENTPORTTEST/20260101/us-east-1/iotanalytics/aws4_request, SignedHeaders=host",
        "x-amz-date": "20260101T000000Z",
      },
      body: "{}",
    })
    expect(res.status).toBe(400)
    expect(res.headers.get("x-amzn-errortype")).toBe("IncompleteSignatureException")
  })

  it("rejects a signature scoped to another service", async () => {
    const now = new Date()
      .toISOString()
      .replace(/[-:]/g, "")
      .replace(/\.\d{3}/, "")
    const res = await fetch(`${emulator.endpoint}/`, {
      method: "POST",
      headers: {
        "x-amz-target": "AWSEvents.PutEvents",
        "x-amz-date": now,
        authorization: `AWS4-HMAC-SHA256 Credential=AKIDEVENTPORTTEST/${now.slice(0, 8)}/us-east-1/iotanalytics/aws4_request, SignedHeaders=host;x-amz-date, Signature=${"0".repeat(64)}`,
      },
      body: "{}",
    })
    expect(res.status).toBe(403)
    const body = (await res.json()) as { __type: string; message: string }
    expect(body.__type).toBe("InvalidSignatureException")
    expect(body.message).toContain("'events'")
  })

  it("rejects a body changed after signing", async () => {
    const now = new Date()
      .toISOString()
      .replace(/[-:]/g, "")
      .replace(/\.\d{3}/, "")
    const res = await fetch(`${emulator.endpoint}/inputs/messages`, {
      method: "POST",
      headers: {
        "x-amz-date": now,
        "x-amz-content-sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        authorization: `AWS4-HMAC-SHA256 Credential=AKIDEVENTPORTTEST/${now.slice(0, 8)}/us-east-1/ioteventsdata/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=${"0".repeat(64)}`,
      },
      body: "{}",
    })
    expect(res.status).toBe(403)
    expect(res.headers.get("x-amzn-errortype")).toBe("InvalidSignatureException")
  })

  it("rejects a stale x-amz-date", async () => {
    const old = "20200101T000000Z"
    const res = await fetch(`${emulator.endpoint}/messages/batch`, {
      method: "POST",
      headers: {
        "x-amz-date": old,
        authorization: `AWS4-HMAC-SHA256 Credential=AKIDEVENTPORTTEST/20200101/us-east-1/iotanalytics/aws4_request, SignedHeaders=host;x-amz-date, Signature=${"0".repeat(64)}`,
      },
      body: "{}",
    })
    expect(res.status).toBe(403)
    expect(((await res.json()) as { message: string }).message).toContain("Signature expired")
  })
})
