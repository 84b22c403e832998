/**
 * The successor destination types in the config file (kinesis, firehose, sqs, sns) and the example
 * configs of the migration: each example is the bundled config with one destination changed, which
 * keeps its name and route and moves from a retired service to a successor, as the README shows.
 */
import { readdirSync, readFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { describe, expect, it } from "vitest"
import { bundledConfigPath } from "../src/Cli.ts"
import { destinationOptionsProblem } from "../src/Destinations.ts"
import { decodeSampleConfig, loadSampleConfig } from "../src/SampleConfig.ts"
import { problemsOf } from "./support/config-problems.ts"

const sampleDir = dirname(bundledConfigPath)
const examplesDir = join(sampleDir, "examples")

const queueUrl = "https://sqs.us-east-1.amazonaws.com/123456789012/app-events"
const topicArn = "arn:aws:sns:us-east-1:123456789012:app-events"

describe("successor destination types", () => {
  it("accepts each type with its adapter's options, templates included, and builds its adapter", () => {
    const destinations = {
      stream: {
        type: "kinesis",
        streamName: "device-telemetry",
        partitionKey: "{subject}",
        data: "data",
        maxEntryBytes: 10_485_760,
        maxRequestBytes: 10_485_760,
        route: { typePrefix: "device." },
      },
      byArn: { type: "kinesis", streamArn: "arn:aws:kinesis:us-east-1:123456789012:stream/telemetry" },
      archive: {
        type: "firehose",
        deliveryStreamName: "device-telemetry",
        data: "cloudEvent",
        recordDelimiter: "",
        requestSize: "raw",
        concurrency: 2,
      },
      queue: {
        type: "sqs",
        queueUrl,
        body: "data",
        delaySeconds: 30,
        cloudEventAttributes: true,
        messageAttributes: { origin: { DataType: "String", StringValue: "sample" } },
      },
      fifo: {
        type: "sqs",
        queueUrl: `${queueUrl}.fifo`,
        messageGroupId: "{subject}",
        deduplicationId: "{id}",
      },
      topic: { type: "sns", topicArn, subject: "Event {type}", message: "cloudEvent", maxEntryBytes: 1000 },
    }
    const config = decodeSampleConfig({ destinations }, "successors.json", destinationOptionsProblem)
    expect(config.destinations).toEqual(destinations)
  })

  it("lists the nine types when a type is wrong", () => {
    expect(problemsOf({ destinations: { lake: { type: "kinesis-firehose" } } })).toEqual([
      'destinations.lake.type: Expected "memory" | "eventbridge" | "iot-events" | "iot-analytics" | "pinpoint" | "kinesis" | "firehose" | "sqs" | "sns", got "kinesis-firehose"',
    ])
  })

  it("reports misspelt and missing options, wrong literals and unknown placeholders, by path", () => {
    expect(
      problemsOf({
        destinations: {
          archive: { type: "firehose", deliveryStream: "telemetry" },
          stream: { type: "kinesis", streamName: "s", data: "json", partitionKey: "{user}" },
          topic: { type: "sns", topicArn, message: "json", messageStructure: "json" },
          queue: { type: "sqs", queueUrl, delaySeconds: -1 },
        },
      }),
    ).toEqual([
      "destinations.archive.deliveryStream: unknown field",
      "destinations.archive.deliveryStreamName: is required",
      "destinations.stream.partitionKey: unknown placeholder {user}; expected {id}, {type}, {source}, {subject} or {extensions.<name>}",
      'destinations.stream.data: Expected "cloudEvent" | "data", got "json"',
      "destinations.topic.messageStructure: unknown field",
      'destinations.topic.message: Expected "cloudEvent" | "data", got "json"',
      "destinations.queue.delaySeconds: Expected a value greater than or equal to 0, got -1",
    ])
  })

  it("reports what each adapter's factory refuses, all in one run, naming the option", () => {
    expect(
      problemsOf({
        destinations: {
          none: { type: "kinesis" },
          both: {
            type: "kinesis",
            streamName: "s",
            streamArn: "arn:aws:kinesis:us-east-1:123456789012:stream/s",
          },
          huge: { type: "kinesis", streamName: "s", maxEntryBytes: 20_000_000 },
          archive: { type: "firehose", deliveryStreamName: "bad/name" },
          fifo: { type: "sqs", queueUrl: `${queueUrl}.fifo` },
          delayed: { type: "sqs", queueUrl: `${queueUrl}.fifo`, messageGroupId: "g", delaySeconds: 5 },
          reserved: {
            type: "sqs",
            queueUrl,
            messageAttributes: { "AWS.origin": { DataType: "String", StringValue: "v" } },
          },
          topic: { type: "sns", topicArn: "app-events" },
        },
      }),
    ).toEqual([
      "destinations.none: kinesis: give exactly one of streamName and streamArn",
      "destinations.both: kinesis: give exactly one of streamName and streamArn",
      "destinations.huge: kinesis: option maxEntryBytes must be an integer from 1 to 10485760, got 20000000",
      expect.stringMatching(/^destinations\.archive: firehose: option deliveryStreamName must match/),
      expect.stringMatching(/^destinations\.fifo: sqs: option messageGroupId is required for a FIFO queue/),
      expect.stringMatching(
        /^destinations\.delayed: sqs: option delaySeconds is not allowed for a FIFO queue/,
      ),
      expect.stringMatching(/^destinations\.reserved: sqs: option messageAttributes\.AWS\.origin .*reserved/),
      expect.stringMatching(/^destinations\.topic: sns: option topicArn must match arn:aws:sns:/),
    ])
  })
})

/** Each migration example: the destination it moves, from which retired type to which successor. */
const migrations = {
  "telemetry-to-firehose.json": { destination: "telemetry", from: "iot-analytics", to: "firehose" },
  "alarms-to-kinesis.json": { destination: "alarms", from: "iot-events", to: "kinesis" },
  "engagement-to-kinesis.json": { destination: "engagement", from: "pinpoint", to: "kinesis" },
} as const

describe("the bundled config and the migration examples", () => {
  it("the bundled config sends to a successor: telemetry also goes to a Kinesis stream", () => {
    const config = loadSampleConfig(bundledConfigPath, destinationOptionsProblem)
    expect(config.destinations["telemetry-stream"]).toEqual({
      type: "kinesis",
      streamName: "device-telemetry",
      route: "telemetry",
    })
  })

  it("every example in examples/ loads, with every adapter's own checks", () => {
    const files = readdirSync(examplesDir).filter((f) => f.endsWith(".json"))
    expect(files.sort()).toEqual([...Object.keys(migrations), "queues-and-topics.json"].sort())
    for (const file of files)
      expect(() => loadSampleConfig(join(examplesDir, file), destinationOptionsProblem)).not.toThrow()
  })

  for (const [file, move] of Object.entries(migrations))
    it(`${file}: one destination line changes, ${move.destination} moves from ${move.from} to ${move.to}, keeping its name and route`, () => {
      const defaultText = readFileSync(bundledConfigPath, "utf8")
      const exampleText = readFileSync(join(examplesDir, file), "utf8")
      const defaultLines = defaultText.split("\n")
      const exampleLines = exampleText.split("\n")
      expect(exampleLines).toHaveLength(defaultLines.length)
      const changed = defaultLines.flatMap((line, i) =>
        line === exampleLines[i] ? [] : [{ before: line, after: exampleLines[i]! }],
      )
      // The description says what the file does; the one other change is the destination's line.
      expect(changed.map((c) => c.before.trim().split(":")[0])).toEqual([
        '"description"',
        `"${move.destination}"`,
      ])

      const before = loadSampleConfig(bundledConfigPath)
      const after = loadSampleConfig(join(examplesDir, file))
      expect(before.destinations[move.destination]?.type).toBe(move.from)
      expect(after.destinations[move.destination]?.type).toBe(move.to)
      expect(after.destinations[move.destination]?.route).toBe(before.destinations[move.destination]?.route)
      const { [move.destination]: _before, ...othersBefore } = before.destinations
      const { [move.destination]: _after, ...othersAfter } = after.destinations
      expect(othersAfter).toEqual(othersBefore)
      expect(after.routes).toEqual(before.routes)

      // The README shows this very diff.
      const readme = readFileSync(join(sampleDir, "README.md"), "utf8")
      const line = changed[1]!
      expect(readme).toContain(`-${line.before}`)
      expect(readme).toContain(`+${line.after}`)
    })
})
