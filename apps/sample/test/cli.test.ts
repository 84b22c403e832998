import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { bundledConfigPath, type CliCommand, parseCommandLine, parseDurationMs } from "../src/Cli.ts"
import { CliInputError, decodeSampleRequest, sampleRequestSkeleton } from "../src/CliInput.ts"
import { UsageError } from "../src/UsageError.ts"

const dir = mkdtempSync(join(tmpdir(), "eventport-cli-"))

const parse = (...args: Array<string>): { command: CliCommand; out: string; err: string } => {
  let out = ""
  let err = ""
  const command = parseCommandLine(args, {
    cwd: dir,
    write: (t) => {
      out += t
    },
    writeError: (t) => {
      err += t
    },
  })
  return { command, out, err }
}

const settingsOf = (...args: Array<string>) => {
  const { command } = parse(...args)
  if (command._tag !== "Run") throw new Error(`expected a run, got ${command._tag}`)
  return command.settings
}

const usageErrorOf = (f: () => unknown): UsageError => {
  try {
    f()
  } catch (error) {
    if (UsageError.isInstance(error)) return error
    throw error
  }
  throw new Error("expected a UsageError")
}

describe("command line", () => {
  it("defaults to 2,000 generated events on the emulator with the bundled config", () => {
    expect(settingsOf()).toEqual({
      configPath: bundledConfigPath,
      to: undefined,
      source: { kind: "generator", count: 2000 },
      seed: 1,
      rate: undefined,
      faults: {},
      target: { kind: "emulator" },
      drainTimeoutMs: 5000,
      strict: false,
      progress: "auto",
      maxProblems: 10,
    })
  })

  it("reads flags", () => {
    const s = settingsOf(
      "--to",
      "eventbridge, memory",
      "--count",
      "50",
      "--seed",
      "9",
      "--rate",
      "200",
      "--faults",
      "throttle=0.1",
      "--drain-timeout",
      "2.5s",
      "--strict",
      "--progress",
      "plain",
    )
    expect(s.to).toEqual(["eventbridge", "memory"])
    expect(s.source).toEqual({ kind: "generator", count: 50 })
    expect([s.seed, s.rate, s.drainTimeoutMs, s.strict, s.progress]).toEqual([9, 200, 2500, true, "plain"])
    expect(s.faults).toEqual({ throttle: 0.1 })
  })

  it("talks to AWS with --aws or --endpoint, and refuses emulator faults then", () => {
    expect(settingsOf("--aws", "--region", "eu-west-1").target).toEqual({ kind: "aws", region: "eu-west-1" })
    expect(settingsOf("--endpoint", "http://127.0.0.1:4566").target).toEqual({
      kind: "aws",
      endpoint: "http://127.0.0.1:4566",
    })
    expect(usageErrorOf(() => parse("--aws", "--faults", "throttle=0.1")).message).toMatch(
      /cannot be used with/,
    )
    expect(usageErrorOf(() => parse("--region", "eu-west-1")).message).toMatch(
      /only with --aws or --endpoint/,
    )
    expect(usageErrorOf(() => parse("--endpoint", "localhost:1")).message).toMatch(
      /expected an http\(s\) URL/,
    )
  })

  it("reports bad flag values and unknown flags as usage errors", () => {
    expect(usageErrorOf(() => parse("--count", "0")).message).toMatch(/--count expects a positive integer/)
    expect(usageErrorOf(() => parse("--rate", "fast")).message).toMatch(/--rate expects a number above 0/)
    expect(usageErrorOf(() => parse("--bogus")).message).toMatch(/unknown option '--bogus'/)
    expect(usageErrorOf(() => parse("--input", "missing.ndjson")).message).toMatch(
      /--input .*missing\.ndjson: file not found/,
    )
    expect(usageErrorOf(() => parse("--generate-cli-skeleton", "output")).message).toMatch(/only "input"/)
  })

  it("prints help and the skeleton", () => {
    const help = parse("--help")
    expect(help.command._tag).toBe("Printed")
    expect(help.out).toMatch(/--cli-input-json <json>/)
    // The default config's successor destination and the migration examples are in the help.
    expect(help.out).toMatch(/a\s+Kinesis\s+data\s+stream/)
    expect(help.out).toMatch(/Firehose,\s+SQS\s+and\s+SNS/)
    expect(help.out).toContain("--config apps/sample/examples/telemetry-to-firehose.json")
    expect(parse("--generate-cli-skeleton").command._tag).toBe("Skeleton")
    expect(parse("--generate-cli-skeleton", "input").command._tag).toBe("Skeleton")
  })

  it("takes --dead-letter (relative to the working directory) and --replay, never the same file", () => {
    const file = join(dir, "dead.ndjson")
    writeFileSync(file, "")
    expect(settingsOf("--dead-letter", "out.ndjson").deadLetterPath).toBe(join(dir, "out.ndjson"))
    expect(settingsOf().deadLetterPath).toBeUndefined()
    expect(settingsOf("--replay", "dead.ndjson", "--to", "memory").source).toEqual({
      kind: "replay",
      path: file,
    })
    expect(usageErrorOf(() => parse("--replay", "dead.ndjson", "--dead-letter", file)).message).toMatch(
      /--dead-letter must name another file than --replay/,
    )
    expect(usageErrorOf(() => parse("--replay", "nope.ndjson")).message).toMatch(
      /--replay .*nope\.ndjson: file not found/,
    )
    expect(usageErrorOf(() => parse("--replay", "dead.ndjson", "--input", "dead.ndjson")).message).toMatch(
      /cannot be used with/,
    )
    expect(decodeSampleRequest({ deadLetter: "x.ndjson", replay: "y.ndjson" }, "test")).toEqual({
      deadLetter: "x.ndjson",
      replay: "y.ndjson",
    })
  })

  it("ignores a leading -- (as pnpm passes it through)", () => {
    expect(settingsOf("--", "--count", "7").source).toEqual({ kind: "generator", count: 7 })
  })

  it("parses durations", () => {
    expect([parseDurationMs("5s"), parseDurationMs("250ms"), parseDurationMs("1200")]).toEqual([
      5000, 250, 1200,
    ])
    expect(() => parseDurationMs("soon")).toThrow(/duration/)
  })
})

describe("--cli-input-json", () => {
  it("takes the request inline, and flags override its fields", () => {
    const request = JSON.stringify({ count: 10, seed: 4, to: ["memory"], strict: true })
    const s = settingsOf("--cli-input-json", request, "--seed", "5")
    expect(s.source).toEqual({ kind: "generator", count: 10 })
    expect([s.seed, s.to, s.strict]).toEqual([5, ["memory"], true])
  })

  it("reads file://path, events included", () => {
    const file = join(dir, "request.json")
    writeFileSync(file, JSON.stringify(sampleRequestSkeleton()))
    const s = settingsOf(`--cli-input-json`, `file://${file}`)
    expect(s.source.kind).toBe("request")
    expect(s.source.kind === "request" && s.source.events.map((e) => e.type)).toEqual([
      "device.telemetry.reported",
      "app.order.placed",
    ])
    // --count on the command line replaces the request's events with generated ones
    expect(settingsOf(`--cli-input-json`, `file://${file}`, "--count", "3").source).toEqual({
      kind: "generator",
      count: 3,
    })
  })

  it("names the path of every bad field, without echoing event payloads", () => {
    const events = [
      { type: "a", source: "s", data: {} },
      { type: "a", source: "s", data: {} },
      { type: "a", source: "s", data: {} },
      { source: "s", data: { secret: "hunter2" } },
      { type: "a", source: "s", data: {}, extensions: { "Bad-Name": 1 } },
    ]
    let error: unknown
    try {
      decodeSampleRequest({ events, count: -1, colour: "red" }, "inline JSON")
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(CliInputError)
    expect((error as CliInputError).problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      "colour: unknown field",
      "count: Expected a value greater than 0, got -1",
      "events[3].type: is required",
      "events[4].extensions.Bad-Name: must be 1-20 lower-case letters or digits",
    ])
    expect((error as Error).message).toMatch(/^Invalid --cli-input-json \(inline JSON\):\n/)
    expect((error as Error).message).not.toContain("hunter2")
  })

  it("prints commander's mistakes in the sample's one error style", () => {
    let err = ""
    expect(() =>
      parseCommandLine(["--count", "zero"], {
        cwd: dir,
        write: () => {},
        writeError: (t) => {
          err += t
        },
      }),
    ).toThrow(UsageError)
    expect(err).toMatch(/^eventport-sample: option '--count <n>' argument 'zero' is invalid/)
    expect(err).not.toMatch(/^error: /m)
  })

  it("gives the line and column of a syntax error in --cli-input-json", () => {
    expect(usageErrorOf(() => parse("--cli-input-json", '{\n  "count": 5,\n  "seed" 3\n}')).message).toMatch(
      /\(root\): not valid JSON \(syntax error at line 3, column 10\)/,
    )
  })

  it("reports unreadable files and broken JSON", () => {
    expect(usageErrorOf(() => parse("--cli-input-json", "file://nope.json")).message).toMatch(
      /\(file:\/\/nope\.json\):\n {2}\(file\): file not found/,
    )
    expect(usageErrorOf(() => parse("--cli-input-json", "{")).message).toMatch(/\(root\): not valid JSON/)
  })

  it("has a skeleton that decodes as a valid request", () => {
    const request = decodeSampleRequest(sampleRequestSkeleton(), "skeleton")
    expect(request.events).toHaveLength(2)
    expect(request.to).toEqual(["memory", "eventbridge", "iot-events", "iot-analytics", "pinpoint"])
  })
})
