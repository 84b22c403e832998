import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { bundledConfigPath } from "../src/Cli.ts"
import { destinationOptionsProblem } from "../src/Destinations.ts"
import { decodeSampleConfig, loadSampleConfig } from "../src/SampleConfig.ts"
import { problemsOf } from "./support/config-problems.ts"

describe("config validation", () => {
  it("accepts the bundled default config with its six destination types", () => {
    const config = loadSampleConfig(bundledConfigPath)
    expect(
      Object.values(config.destinations)
        .map((d) => d.type)
        .sort(),
    ).toEqual(["eventbridge", "iot-analytics", "iot-events", "kinesis", "memory", "pinpoint"])
  })

  it("names a wrong destination type with the types it expected and the value it got", () => {
    expect(problemsOf({ destinations: { lake: { type: "iot-analytic", channelName: "x" } } })).toEqual([
      'destinations.lake.type: Expected "memory" | "eventbridge" | "iot-events" | "iot-analytics" | "pinpoint" | "kinesis" | "firehose" | "sqs" | "sns", got "iot-analytic" (did you mean "iot-analytics"?)',
    ])
  })

  it("spells the CloudEvent data mode cloudEvent everywhere, and names it for another spelling", () => {
    const queueUrl = "https://sqs.us-east-1.amazonaws.com/123456789012/q"
    const topicArn = "arn:aws:sns:us-east-1:123456789012:t"
    expect(
      decodeSampleConfig(
        {
          destinations: {
            stream: { type: "kinesis", streamName: "s", data: "cloudEvent" },
            archive: { type: "firehose", deliveryStreamName: "f", data: "cloudEvent" },
            queue: { type: "sqs", queueUrl, body: "cloudEvent" },
            topic: { type: "sns", topicArn, message: "cloudEvent" },
          },
        },
        "my.config.json",
        destinationOptionsProblem,
      ).destinations,
    ).toMatchObject({
      stream: { data: "cloudEvent" },
      archive: { data: "cloudEvent" },
      queue: { body: "cloudEvent" },
      topic: { message: "cloudEvent" },
    })
    expect(
      problemsOf({
        destinations: {
          stream: { type: "kinesis", streamName: "s", data: "cloudevent" },
          archive: { type: "firehose", deliveryStreamName: "f", data: "CloudEvent", requestSize: "Base64" },
          queue: { type: "sqs", queueUrl, body: "cloud_event" },
          topic: { type: "sns", topicArn, message: 3 },
        },
      }),
    ).toEqual([
      'destinations.stream.data: Expected "cloudEvent" | "data", got "cloudevent" (did you mean "cloudEvent"?)',
      'destinations.archive.data: Expected "cloudEvent" | "data", got "CloudEvent" (did you mean "cloudEvent"?)',
      'destinations.archive.requestSize: Expected "base64" | "raw", got "Base64" (did you mean "base64"?)',
      'destinations.queue.body: Expected "cloudEvent" | "data", got "cloud_event" (did you mean "cloudEvent"?)',
      'destinations.topic.message: Expected "cloudEvent" | "data", got 3',
    ])
  })

  it("reports a misspelt option as unknown and the option it needs as required", () => {
    expect(problemsOf({ destinations: { bus: { type: "eventbridge", evenBusName: "b" } } })).toEqual([
      "destinations.bus.evenBusName: unknown field",
      "destinations.bus.eventBusName: is required",
    ])
  })

  it("checks routes: list items and empty lists", () => {
    expect(
      problemsOf({
        destinations: {
          a: { type: "memory", route: { typePrefix: ["device.", 3] } },
          b: { type: "memory", route: { type: [] } },
        },
      }),
    ).toEqual([
      "destinations.a.route.typePrefix[1]: Expected string, got 3",
      "destinations.b.route.type: Expected a value with a length of at least 1, got []",
    ])
  })

  it("checks that a route named by a destination exists", () => {
    expect(
      problemsOf({
        routes: { app: { typePrefix: "app." } },
        destinations: { a: { type: "memory", route: "app" }, c: { type: "memory", route: "apps" } },
      }),
    ).toEqual(['destinations.c.route: unknown route "apps"; the config\'s routes are app'])
    expect(problemsOf({ destinations: { c: { type: "memory", route: "apps" } } })).toEqual([
      'destinations.c.route: unknown route "apps": the config defines no routes',
    ])
  })

  it("checks name templates' placeholders", () => {
    expect(
      problemsOf({ destinations: { pp: { type: "pinpoint", applicationId: "app", endpointId: "{user}" } } }),
    ).toEqual([
      "destinations.pp.endpointId: unknown placeholder {user}; expected {id}, {type}, {source}, {subject} or {extensions.<name>}",
    ])
  })

  it("takes an optional deadLetter file path", () => {
    const config = decodeSampleConfig(
      { deadLetter: "dead.ndjson", destinations: { memory: { type: "memory" } } },
      "test.json",
    )
    expect(config.deadLetter).toBe("dead.ndjson")
    expect(() =>
      decodeSampleConfig({ deadLetter: "", destinations: { memory: { type: "memory" } } }, "test.json"),
    ).toThrow(/deadLetter/)
  })

  it("checks numbers and needs at least one destination", () => {
    expect(problemsOf({ destinations: { m: { type: "memory", concurrency: 0 } } })).toEqual([
      "destinations.m.concurrency: Expected a value greater than 0, got 0",
    ])
    expect(problemsOf({ destinations: {} })).toEqual(["destinations: Expected at least one destination"])
    expect(problemsOf([])).toEqual(["(root): Expected object, got []"])
  })

  it("reports every mistake in one run: a wrong type, schema errors, an unknown route and what a factory refuses", () => {
    expect(
      problemsOf({
        routes: { app: { typePrefix: "app." } },
        destinations: {
          lake: { type: "iot-analytic", channelName: "x" },
          m: { type: "memory", concurrency: 0 },
          a: { type: "memory", route: "apps" },
          bus: { type: "eventbridge", eventBusName: "no spaces allowed" },
          ok: { type: "iot-events", inputName: "DeviceEvents", route: "app" },
        },
      }),
    ).toEqual([
      'destinations.lake.type: Expected "memory" | "eventbridge" | "iot-events" | "iot-analytics" | "pinpoint" | "kinesis" | "firehose" | "sqs" | "sns", got "iot-analytic" (did you mean "iot-analytics"?)',
      "destinations.m.concurrency: Expected a value greater than 0, got 0",
      'destinations.a.route: unknown route "apps"; the config\'s routes are app',
      expect.stringMatching(/^destinations\.bus: .*eventBusName/),
    ])
  })

  it("does not report a config of only wrongly typed destinations as having none", () => {
    expect(problemsOf({ destinations: { lake: { type: "kafka" } } })).toEqual([
      'destinations.lake.type: Expected "memory" | "eventbridge" | "iot-events" | "iot-analytics" | "pinpoint" | "kinesis" | "firehose" | "sqs" | "sns", got "kafka"',
    ])
  })

  it("gives the line and column of a JSON syntax error", () => {
    const dir = mkdtempSync(join(tmpdir(), "eventport-config-"))
    const file = join(dir, "syntax.json")
    writeFileSync(file, '{\n  "destinations": {\n    "m" { "type": "memory" }\n  }\n}\n')
    expect(() => loadSampleConfig(file)).toThrow(
      /\(file\): not valid JSON \(syntax error at line 3, column 9\)/,
    )
    writeFileSync(file, '{\n  "destinations": {')
    expect(() => loadSampleConfig(file)).toThrow(/not valid JSON \(syntax error at line 2, column 20\)/)
    writeFileSync(file, '{\n  "a":')
    expect(() => loadSampleConfig(file)).toThrow(
      /not valid JSON \(the text ends too early, at line 2, column 7\)/,
    )
  })

  it("names the file in the message, and reports a missing file and broken JSON", () => {
    const dir = mkdtempSync(join(tmpdir(), "eventport-config-"))
    const file = join(dir, "broken.json")
    writeFileSync(file, '{ "destinations": ')
    expect(() => loadSampleConfig(file)).toThrow(
      new RegExp(`^Invalid config file ${file}:\\n  \\(file\\): not valid JSON`),
    )
    expect(() => loadSampleConfig(join(dir, "missing.json"))).toThrow(
      /missing\.json:\n {2}\(file\): file not found/,
    )
  })

  it("keeps the one-line switch of the README true: the telemetry line changes type and name only", () => {
    const text = readFileSync(bundledConfigPath, "utf8")
    const line = text.split("\n").find((l) => l.includes('"telemetry": { "type": "iot-analytics"'))
    expect(line).toBeDefined()
    const switched = text.replace(
      line!,
      line!.replace(
        '"type": "iot-analytics", "channelName": "device_telemetry"',
        '"type": "eventbridge", "eventBusName": "device-telemetry"',
      ),
    )
    const config = decodeSampleConfig(JSON.parse(switched), "switched.json")
    expect(config.destinations.telemetry).toEqual({
      type: "eventbridge",
      eventBusName: "device-telemetry",
      route: "telemetry",
    })
  })
})
