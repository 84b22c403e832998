import { type ChildProcess, spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge"
import { KinesisClient, PutRecordsCommand } from "@aws-sdk/client-kinesis"
import { SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs"
import { afterEach, describe, expect, it } from "vitest"
import { defaultCredentials } from "../src/index.ts"

const cli = fileURLToPath(new URL("../src/cli.ts", import.meta.url))
let child: ChildProcess | undefined

afterEach(() => {
  if (child !== undefined && child.exitCode === null) child.kill("SIGKILL")
  child = undefined
})

/** Starts the CLI from its TypeScript source (Node strips the types) and waits for the endpoint line. */
const startCli = (...args: string[]) =>
  new Promise<{ endpoint: string; output: () => string }>((resolve, reject) => {
    child = spawn(process.execPath, [cli, ...args], { stdio: ["ignore", "pipe", "pipe"] })
    let output = ""
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString()
      const match = /endpoint: (http:\/\/\S+)/.exec(output)
      if (match?.[1] !== undefined) resolve({ endpoint: match[1], output: () => output })
    })
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.on("exit", (code) => reject(new Error(`cli exited with ${code}: ${output}`)))
  })

const exited = (process: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (process.exitCode !== null) resolve(process.exitCode)
    else process.on("exit", (code) => resolve(code))
  })

describe("eventport-emulator CLI", () => {
  it("serves the Kinesis client's HTTP/2 with the shard count given", async () => {
    const { endpoint } = await startCli("--port", "0", "--kinesis-shard-count", "1")
    const client = new KinesisClient({
      endpoint,
      region: "us-east-1",
      credentials: defaultCredentials,
      maxAttempts: 1,
    })
    try {
      const result = await client.send(
        new PutRecordsCommand({
          StreamName: "s",
          Records: ["a", "b", "c"].map((key) => ({ PartitionKey: key, Data: new Uint8Array([1]) })),
        }),
      )
      expect(result.Records?.map((r) => r.ShardId)).toEqual(Array(3).fill("shardId-000000000000"))
    } finally {
      client.destroy()
    }
  })

  it("takes FIFO names with content-based de-duplication", async () => {
    const { endpoint } = await startCli("--content-based-deduplication", "a.fifo, b.fifo")
    const client = new SQSClient({
      endpoint,
      region: "us-east-1",
      credentials: defaultCredentials,
      maxAttempts: 1,
    })
    const send = (queue: string) =>
      client.send(
        new SendMessageBatchCommand({
          QueueUrl: `https://sqs.us-east-1.amazonaws.com/123456789012/${queue}`,
          Entries: [
            { Id: "x", MessageBody: "same", MessageGroupId: "g" },
            { Id: "y", MessageBody: "same", MessageGroupId: "g" },
          ],
        }),
      )
    expect((await send("b.fifo")).Successful).toHaveLength(2)
    expect((await send("c.fifo")).Failed?.map((f) => f.Code)).toEqual([
      "InvalidParameterValue",
      "InvalidParameterValue",
    ])
    client.destroy()
    const store = (await (await fetch(`${endpoint}/__admin/store?service=sqs`)).json()) as {
      counts: { sqs: { total: number } }
    }
    expect(store.counts.sqs.total).toBe(1)
  })

  it("prints the endpoint and test credentials, answers SDK calls and admin routes, stops on SIGTERM", async () => {
    const { endpoint, output } = await startCli("--port", "0", "--seed", "3")
    expect(output()).toContain(`accessKeyId: ${defaultCredentials.accessKeyId}`)
    expect(output()).toContain(`secretAccessKey: ${defaultCredentials.secretAccessKey}`)
    const client = new EventBridgeClient({
      endpoint,
      region: "eu-west-1",
      credentials: defaultCredentials,
      maxAttempts: 1,
    })
    const result = await client.send(
      new PutEventsCommand({ Entries: [{ Source: "s", DetailType: "t", Detail: "{}" }] }),
    )
    expect(result.FailedEntryCount).toBe(0)
    client.destroy()
    const store = (await (await fetch(`${endpoint}/__admin/store`)).json()) as {
      counts: { eventbridge: { total: number } }
    }
    expect(store.counts.eventbridge.total).toBe(1)
    child!.kill("SIGTERM")
    expect(await exited(child!)).toBe(0)
  })

  it("keeps a custom secret off the terminal", async () => {
    const { output } = await startCli(
      "--access-key-id",
      "AKIDCUSTOM",
      "--secret-access-key",
      "custom-secret-123",
    )
    expect(output()).toContain("accessKeyId: AKIDCUSTOM")
    expect(output()).not.toContain("custom-secret-123")
    child!.kill("SIGINT")
    expect(await exited(child!)).toBe(0)
  })

  it("refuses unknown options with exit code 2", async () => {
    await expect(startCli("--bogus")).rejects.toThrow(/exited with 2/)
  })
})
