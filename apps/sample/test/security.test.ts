/**
 * Secrets stay secret (issue 7): a signature failure from any adapter never carries the secret key
 * in its outcome or error; the emulator listens on 127.0.0.1 unless told otherwise and does not print
 * a secret it was given. The sample's own output is scanned end to end in e2e.test.ts.
 */
import { spawn } from "node:child_process"
import { connect } from "node:net"
import { networkInterfaces } from "node:os"
import { fileURLToPath } from "node:url"
import { type Emulator, startEmulator } from "@eventport/aws-emulator"
import { type Adapter, createPublisher } from "@eventport/core"
import { eventBridge } from "@eventport/eventbridge"
import { firehose } from "@eventport/firehose"
import { iotAnalytics } from "@eventport/iot-analytics"
import { iotEvents } from "@eventport/iot-events"
import { kinesis } from "@eventport/kinesis"
import { pinpoint } from "@eventport/pinpoint"
import { sns } from "@eventport/sns"
import { sqs } from "@eventport/sqs"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

/** Distinctive, so a scan cannot match anything else. */
const testSecret = "EPT-SECRET-k3Y-9f1c2e7a4b"
const testAccessKeyId = "AKIDEPTSECURITY"
const payloadMarker = "EPT-PAYLOAD-MARK-55d0"

let emulator: Emulator
beforeAll(async () => {
  emulator = await startEmulator({
    credentials: { accessKeyId: testAccessKeyId, secretAccessKey: testSecret },
  })
})
afterAll(() => emulator.stop())

describe("secrets and payloads in errors", () => {
  it("a signature failure (wrong secret) is AccessDenied at every adapter, naming neither secret nor payload", async () => {
    // The client signs with a secret the emulator does not know: the service answers InvalidSignatureException.
    const wrongSecret = `${testSecret}-WRONG`
    const clientConfig = {
      endpoint: emulator.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: testAccessKeyId, secretAccessKey: wrongSecret },
    }
    const adapters: Record<string, Adapter<unknown>> = {
      bus: eventBridge({ eventBusName: "secure", clientConfig }) as unknown as Adapter<unknown>,
      alarms: iotEvents({ inputName: "secure_input", clientConfig }) as unknown as Adapter<unknown>,
      telemetry: iotAnalytics({ channelName: "secure_channel", clientConfig }) as unknown as Adapter<unknown>,
      engagement: pinpoint({ applicationId: "secureapp", clientConfig }) as unknown as Adapter<unknown>,
      stream: kinesis({ streamName: "secure-stream", clientConfig }) as unknown as Adapter<unknown>,
      archive: firehose({
        deliveryStreamName: "secure-archive",
        clientConfig,
      }) as unknown as Adapter<unknown>,
      queue: sqs({
        queueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/secure-queue",
        clientConfig,
      }) as unknown as Adapter<unknown>,
      topic: sns({
        topicArn: "arn:aws:sns:us-east-1:123456789012:secure-topic",
        clientConfig,
      }) as unknown as Adapter<unknown>,
    }
    const publisher = createPublisher({ destinations: adapters, retry: { maxAttempts: 1 } })
    const result = await publisher.publish([
      { id: "sec-1", type: "app.secure", source: "shop", subject: "user-1", data: { note: payloadMarker } },
    ])
    await publisher.close()
    expect(result.outcomes).toHaveLength(8)
    for (const outcome of result.outcomes) {
      expect(outcome._tag, outcome.destination).toBe("Failed")
      if (outcome._tag !== "Failed") continue
      expect(outcome.error.code, outcome.destination).toBe("AccessDenied")
      const { event: _, ...withoutEvent } = outcome
      const text = [
        outcome.error.message,
        outcome.error.rawMessage ?? "",
        String(outcome.error),
        JSON.stringify(withoutEvent),
        JSON.stringify(outcome.error.fields()),
      ].join("\n")
      for (const secret of [wrongSecret, testSecret]) expect(text, outcome.destination).not.toContain(secret)
      expect(text, outcome.destination).not.toContain(payloadMarker)
    }
  })
})

describe("the emulator's address", () => {
  it("listens on 127.0.0.1 by default: loopback answers, the machine's other addresses do not", async () => {
    expect(emulator.host).toBe("127.0.0.1")
    expect(new URL(emulator.endpoint).hostname).toBe("127.0.0.1")
    const reachable = (host: string) =>
      new Promise<boolean>((resolve) => {
        const socket = connect({ host, port: emulator.port })
        socket.once("connect", () => {
          socket.destroy()
          resolve(true)
        })
        socket.once("error", () => resolve(false))
      })
    expect(await reachable("127.0.0.1")).toBe(true)
    const external = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a !== undefined && a.family === "IPv4" && !a.internal)
      .map((a) => a!.address)
    for (const address of external) expect(await reachable(address), address).toBe(false)
  })

  it("the emulator CLI binds 127.0.0.1 and never prints a secret it was given", async () => {
    const cli = fileURLToPath(new URL("../../../packages/aws-emulator/src/cli.ts", import.meta.url))
    const child = spawn(
      process.execPath,
      [cli, "--port", "0", "--access-key-id", testAccessKeyId, "--secret-access-key", testSecret],
      { stdio: ["ignore", "pipe", "pipe"] },
    )
    let output = ""
    const endpoint = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString()
        const match = /endpoint: (http:\/\/\S+)/.exec(output)
        if (match?.[1] !== undefined) resolve(match[1])
      })
      child.stderr.on("data", (chunk: Buffer) => {
        output += chunk.toString()
      })
      child.on("exit", (code) => reject(new Error(`emulator CLI exited with ${code}`)))
    })
    // A request signed with the wrong secret gets an error; the CLI's output still holds no secret.
    const wrong = await fetch(`${endpoint}/`, {
      method: "POST",
      headers: {
        "x-amz-target": "AWSEvents.PutEvents",
        authorization: `AWS4-HMAC-SHA256 Credential=${testAccessKeyId}/20260101/us-east-1/events/aws4_request, SignedHeaders=host, Signature=00`,
      },
      body: JSON.stringify({
        Entries: [{ Source: "s", DetailType: "t", Detail: `{"m":"${payloadMarker}"}` }],
      }),
    })
    const answer = await wrong.text()
    const exited = new Promise((resolve) => child.on("exit", resolve))
    child.kill("SIGTERM")
    await exited
    expect(new URL(endpoint).hostname).toBe("127.0.0.1")
    expect(wrong.status).toBeGreaterThanOrEqual(400)
    expect(output).toContain(`accessKeyId: ${testAccessKeyId}`)
    for (const text of [output, answer]) {
      expect(text).not.toContain(testSecret)
      expect(text).not.toContain(payloadMarker)
    }
  })
})
