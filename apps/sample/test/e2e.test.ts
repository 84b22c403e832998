/**
 * The CLI as a user runs it: `node dist/main.js` in a child process, against the embedded emulator.
 * dist/ (the sample's and its workspace dependencies') is rebuilt first when a source is newer.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process"
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { startEmulator } from "@eventport/aws-emulator"
import { beforeAll, describe, expect, it } from "vitest"

const sampleDir = resolve(dirname(fileURLToPath(import.meta.url)), "..")
const repoDir = resolve(sampleDir, "../..")
const mainJs = join(sampleDir, "dist/main.js")
const packagesBuilt = [
  "core",
  "memory",
  "eventbridge",
  "iot-events",
  "iot-analytics",
  "pinpoint",
  "kinesis",
  "firehose",
  "sqs",
  "sns",
  "aws-emulator",
].map((name) => join(repoDir, "packages", name))
const work = mkdtempSync(join(tmpdir(), "eventport-sample-e2e-"))

const newestMtime = (dir: string): number => {
  if (!existsSync(dir)) return 0
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs)
  }
  return newest
}

const isStale = (packageDir: string, builtFile: string): boolean =>
  !existsSync(builtFile) || statSync(builtFile).mtimeMs < newestMtime(join(packageDir, "src"))

beforeAll(() => {
  const stale =
    isStale(sampleDir, mainJs) || packagesBuilt.some((dir) => isStale(dir, join(dir, "dist/index.js")))
  if (stale)
    execFileSync("pnpm", ["--filter", "@eventport/sample...", "build"], { cwd: repoDir, stdio: "pipe" })
}, 180_000)

interface Run {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

interface RunOptions {
  /** What the CLI reads on stdin. */
  readonly input?: string
  readonly env?: Readonly<Record<string, string>>
}

const start = (
  args: ReadonlyArray<string>,
  options: RunOptions = {},
): { child: ChildProcess; done: Promise<Run> } => {
  const child = spawn(process.execPath, [mainJs, ...args], {
    cwd: work,
    env: { ...process.env, NO_COLOR: "1", ...options.env },
    stdio: ["pipe", "pipe", "pipe"],
  })
  let stdout = ""
  let stderr = ""
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk
  })
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk
  })
  child.stdin!.end(options.input ?? "")
  const done = new Promise<Run>((resolveRun) =>
    child.on("close", (code, signal) => resolveRun({ code, signal, stdout, stderr })),
  )
  return { child, done }
}

const run = (args: ReadonlyArray<string>, options: RunOptions = {}): Promise<Run> => start(args, options).done

/** Resolves once the CLI has printed its first plain progress line: it is then mid-run. */
const firstProgressLine = (child: ChildProcess): Promise<void> =>
  new Promise<void>((ready) => {
    const onData = (chunk: string) => {
      if (chunk.includes("progress ")) {
        child.stderr!.off("data", onData)
        ready()
      }
    }
    child.stderr!.on("data", onData)
  })

/** The summary row of one destination: its numbers by column. */
interface Row {
  readonly delivered: number
  readonly rejected: number
  readonly failed: number
  readonly outcomeUnknown: number
  readonly possibleDuplicates: number
  readonly requests: number
  readonly retried: number
}

const row = (stdout: string, destination: string): Row => {
  const line = stdout.split("\n").find((l) => l.startsWith(`${destination} `))
  if (line === undefined) throw new Error(`no summary row for ${destination} in:\n${stdout}`)
  const [delivered, rejected, failed, outcomeUnknown, possibleDuplicates, requests, retried] = line
    .trim()
    .split(/\s+/)
    .slice(-7)
    .map(Number)
  return {
    delivered: delivered!,
    rejected: rejected!,
    failed: failed!,
    outcomeUnknown: outcomeUnknown!,
    possibleDuplicates: possibleDuplicates!,
    requests: requests!,
    retried: retried!,
  }
}

const writeWorkFile = (name: string, text: string): string => {
  const path = join(work, name)
  writeFileSync(path, text)
  return path
}

describe("eventport-sample end to end", () => {
  it("runs the default job on the emulator: all six destinations, invalid events rejected, exit 0", async () => {
    const result = await run([])
    expect(result.stderr).not.toMatch(/unexpected error/)
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/embedded AWS emulator .*no AWS account/)
    expect(result.stdout).toMatch(/2000 generated events/)
    const names = ["memory", "bus", "engagement", "alarms", "telemetry", "telemetry-stream"]
    for (const name of names) expect(row(result.stdout, name).delivered).toBeGreaterThan(0)
    for (const name of names) expect(row(result.stdout, name).failed).toBe(0)
    const memory = row(result.stdout, "memory")
    // memory takes every event: the invalid ones (no source) are rejected, all others delivered
    expect(memory.delivered + memory.rejected).toBe(2000)
    expect(memory.rejected).toBeGreaterThan(0)
    // IoT Analytics refuses the `temp-01` field name; EventBridge the 140-character DetailType
    expect(result.stdout).toMatch(/Rejected +\S+ +telemetry +data\.temp-01/)
    expect(row(result.stdout, "bus").rejected).toBeGreaterThan(memory.rejected)
    expect(result.stdout).toMatch(/unrouted \(no destination's route took them\): 0/)
    expect(result.stdout).toMatch(/Result: nothing failed/)
  }, 60_000)

  it("is reproducible with --seed: same outcomes, same problem event ids", async () => {
    const args = ["--count", "300", "--seed", "42", "--progress", "none"]
    const [a, b] = await Promise.all([run(args), run(args)])
    // Request counts depend on batching timing; outcomes and event ids do not.
    const outcomes = (s: string) =>
      ["memory", "bus", "engagement", "alarms", "telemetry"].map((name) => {
        const { delivered, rejected, failed } = row(s, name)
        return [delivered, rejected, failed]
      })
    const problemIds = (s: string) => [...s.matchAll(/^ {2}Rejected (\S+)/gm)].map((m) => m[1]).sort()
    expect(outcomes(a.stdout)).toEqual(outcomes(b.stdout))
    expect(problemIds(a.stdout)).toEqual(problemIds(b.stdout))
    expect(problemIds(a.stdout).length).toBeGreaterThan(0)
  }, 60_000)

  it("exits 1 under --strict when events were rejected", async () => {
    const result = await run(["--count", "300", "--strict", "--progress", "none"])
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/problems found under --strict \(exit 1\)/)
  }, 60_000)

  it("sends only to the --to destinations, by type or name, and reports unrouted events", async () => {
    const result = await run(["--to", "eventbridge,memory", "--count", "200"])
    expect(result.code).toBe(0)
    expect(row(result.stdout, "bus").delivered).toBeGreaterThan(0)
    expect(row(result.stdout, "memory").delivered).toBeGreaterThan(0)
    expect(result.stdout).not.toMatch(/^(alarms|telemetry|engagement) /m)

    const busOnly = await run(["--to", "bus", "--count", "200"])
    expect(busOnly.code).toBe(0)
    expect(
      Number(/unrouted \(no destination's route took them\): (\d+)/.exec(busOnly.stdout)?.[1]),
    ).toBeGreaterThan(0)

    const wrong = await run(["--to", "sqs"])
    expect(wrong.code).toBe(2)
    expect(wrong.stderr).toMatch(
      /^eventport-sample: --to: no destination named or typed "sqs"; the config has memory \(memory\), bus \(eventbridge\)/,
    )

    const typo = await run(["--to", "eventbrige,memory"])
    expect(typo.code).toBe(2)
    expect(typo.stderr).toMatch(
      /^eventport-sample: --to: no destination named or typed "eventbrige" \(did you mean "eventbridge"\?\); the config has /,
    )
  }, 60_000)

  it("stops with exit 2 and a clear message for a bad config file, sending nothing", async () => {
    const config = writeWorkFile(
      "bad.config.json",
      JSON.stringify({ destinations: { lake: { type: "iot-analytics", channel: "telemetry" } } }),
    )
    const result = await run(["--config", config])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(`Invalid config file ${config}:`)
    expect(result.stderr).toContain("destinations.lake.channel: unknown field")
    expect(result.stderr).toContain("destinations.lake.channelName: is required")
    expect(result.stdout).not.toContain("Summary")

    // Every mistake at once: a schema error, an unknown route and a bus name the adapter refuses.
    const several = writeWorkFile(
      "several.config.json",
      JSON.stringify({
        destinations: {
          m: { type: "memory", concurrency: 0 },
          a: { type: "memory", route: "apps" },
          bus: { type: "eventbridge", eventBusName: "no spaces" },
        },
      }),
    )
    const all = await run(["--config", several])
    expect(all.code).toBe(2)
    expect(all.stderr).toContain("destinations.m.concurrency: Expected a value greater than 0, got 0")
    expect(all.stderr).toContain('destinations.a.route: unknown route "apps"')
    expect(all.stderr).toMatch(/destinations\.bus: .*eventBusName/)
  }, 60_000)

  it("reads NDJSON: a bad line is reported with its line number and the rest is still sent", async () => {
    const lines = [
      { id: "n1", type: "app.order.placed", source: "shop", subject: "user-1", data: { user_id: "user-1" } },
      {
        id: "n2",
        type: "device.telemetry.reported",
        source: "fleet",
        subject: "dev-1",
        data: { temperature_c: 20 },
      },
    ].map((e) => JSON.stringify(e))
    const file = writeWorkFile(
      "events.ndjson",
      [lines[0], "{not json", '{"id":"n3","source":"x","data":{}}', lines[1]].join("\n"),
    )
    const result = await run(["--input", file])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/Input +\(no id\) +line 2 +\(line\): not valid JSON/)
    expect(result.stdout).toMatch(/Input +n3 +line 3 +type: is required/)
    expect(result.stdout).toMatch(/input problems \(not sent\): 2/)
    expect(row(result.stdout, "memory").delivered).toBe(2)
    expect(row(result.stdout, "bus").delivered).toBe(1)
    expect(row(result.stdout, "telemetry").delivered).toBe(1)

    const strict = await run(["--input", file, "--strict"])
    expect(strict.code).toBe(1)
  }, 60_000)

  it("reads NDJSON from stdin with --input -", async () => {
    const input = `${JSON.stringify({ type: "app.user.signed_in", source: "shop", subject: "user-2", data: { user_id: "user-2" } })}\n`
    const result = await run(["--input", "-", "--to", "memory,bus"], { input })
    expect(result.code).toBe(0)
    expect(row(result.stdout, "memory").delivered).toBe(1)
    expect(row(result.stdout, "bus").delivered).toBe(1)
  }, 60_000)

  it("prints a skeleton with --generate-cli-skeleton input that --cli-input-json runs as it is", async () => {
    const skeleton = await run(["--generate-cli-skeleton", "input"])
    expect(skeleton.code).toBe(0)
    const request = JSON.parse(skeleton.stdout) as { events: Array<unknown> }
    expect(request.events.length).toBeGreaterThan(0)
    const file = writeWorkFile("request.json", skeleton.stdout)
    const result = await run(["--cli-input-json", `file://${file}`])
    expect(result.code).toBe(0)
    expect(row(result.stdout, "memory").delivered).toBe(request.events.length)
    expect(row(result.stdout, "telemetry").delivered).toBe(1)

    const overridden = await run(["--cli-input-json", `file://${file}`, "--to", "memory"])
    expect(overridden.stdout).not.toMatch(/^telemetry /m)
  }, 60_000)

  it("names the path of a bad field in --cli-input-json and exits 2", async () => {
    const events = [0, 1, 2].map((i) => ({ type: "app.x", source: "s", data: { i } }))
    const request = JSON.stringify({ events: [...events, { source: "s", data: {} }] })
    const result = await run(["--cli-input-json", request])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain("Invalid --cli-input-json (inline JSON):")
    expect(result.stderr).toContain("events[3].type: is required")
  }, 60_000)

  it("exits 1 when events fail, showing the error code and attempts", async () => {
    const config = writeWorkFile(
      "failing.config.json",
      JSON.stringify({
        destinations: {
          bus: { type: "eventbridge", eventBusName: "b", retry: { maxAttempts: 2, baseDelayMs: 1 } },
        },
      }),
    )
    const result = await run(["--config", config, "--count", "20", "--faults", "internal=1"])
    expect(result.code).toBe(1)
    const bus = row(result.stdout, "bus")
    expect(bus.failed).toBeGreaterThan(0)
    expect(bus.delivered).toBe(0)
    expect(bus.retried).toBeGreaterThan(0)
    expect(result.stdout).toMatch(/Failed +\S+ +bus +InternalFailure \(InternalException\) after 2 attempts/)
  }, 60_000)

  it("drains on SIGINT within --drain-timeout, prints what it could not send and exits 130", async () => {
    const { child, done } = start([
      "--count",
      "1000000",
      "--rate",
      "500",
      "--drain-timeout",
      "1s",
      "--progress",
      "plain",
    ])
    await firstProgressLine(child)
    child.kill("SIGINT")
    const result = await done
    expect(result.code).toBe(130)
    expect(result.stdout).toMatch(/interrupted by SIGINT: drained for up to 1000 ms/)
    const notRead = Number(/(\d+) event\(s\) never read from the input/.exec(result.stdout)?.[1])
    expect(notRead).toBeGreaterThan(900_000)
    expect(row(result.stdout, "memory").delivered).toBeGreaterThan(0)
  }, 60_000)

  it("on a second SIGINT exits at once, saying how much was read, never read and left without an outcome", async () => {
    const { child, done } = start([
      "--count",
      "1000000",
      "--rate",
      "400",
      "--faults",
      "latency=3000-4000",
      "--drain-timeout",
      "60s",
      "--progress",
      "plain",
    ])
    await firstProgressLine(child)
    const draining = new Promise<void>((ready) => {
      const onData = (chunk: string) => {
        if (chunk.includes("SIGINT: no more input; draining")) {
          child.stderr!.off("data", onData)
          ready()
        }
      }
      child.stderr!.on("data", onData)
    })
    child.kill("SIGINT")
    await draining
    child.kill("SIGINT")
    const result = await done
    expect(result.code).toBe(130)
    expect(result.stdout).toContain("SIGINT again: exiting now, without waiting for the drain.")
    const counts = /events read: (\d+) {2}never read: (\d+) {2}\(of 1000000\)/.exec(result.stdout)
    expect(counts).not.toBeNull()
    expect(Number(counts![1]) + Number(counts![2])).toBe(1_000_000)
    // The AWS destinations answer after 3 s at the earliest: their pairs have no outcome yet.
    const withoutOutcome = (name: string) =>
      Number(new RegExp(`^${name} +\\S+ +\\d+ +\\d+ +\\d+ +(\\d+)$`, "m").exec(result.stdout)?.[1])
    expect(withoutOutcome("memory")).toBe(0)
    expect(withoutOutcome("alarms")).toBeGreaterThan(0)
    expect(result.stdout).toMatch(/\d+ event-destination pair\(s\) have no outcome/)
    expect(result.stdout).not.toContain("Summary")
  }, 60_000)

  it("with --endpoint, skips the embedded emulator and uses the SDK credential chain, never printing it", async () => {
    await using emulator = await startEmulator({ store: "count" })
    const result = await run(["--endpoint", emulator.endpoint, "--region", "us-east-1", "--count", "200"], {
      env: {
        AWS_ACCESS_KEY_ID: emulator.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: emulator.credentials.secretAccessKey,
        // Keep the SDK's credential chain from ever asking an instance metadata service.
        AWS_EC2_METADATA_DISABLED: "true",
      },
    })
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(
      `Sending to ${emulator.endpoint} in us-east-1 with the AWS SDK's default credential chain.`,
    )
    expect(result.stdout).not.toMatch(/embedded AWS emulator/)
    expect(result.stdout + result.stderr).not.toContain(emulator.credentials.secretAccessKey)
    expect(result.stdout + result.stderr).not.toContain(emulator.credentials.accessKeyId)
    expect(emulator.store.eventbridge.count).toBe(row(result.stdout, "bus").delivered)
    expect(emulator.store.iotanalytics.count).toBe(row(result.stdout, "telemetry").delivered)
    expect(emulator.store.eventbridge.count).toBeGreaterThan(0)
  }, 60_000)

  it("on SIGTERM drains within --drain-timeout; every pair not delivered is in the dead-letter file, by id", async () => {
    const deadLetters = join(work, "sigterm.dead-letters.ndjson")
    const { child, done } = start([
      "--count",
      "1000000",
      "--rate",
      "400",
      "--to",
      "memory,bus",
      "--faults",
      "latency=300-400,internal=0.3",
      "--drain-timeout",
      "300ms",
      "--dead-letter",
      deadLetters,
      "--progress",
      "plain",
      "--problems",
      "1000000",
    ])
    await firstProgressLine(child)
    child.kill("SIGTERM")
    const result = await done
    expect(result.stderr).not.toMatch(/unexpected error/)
    expect(result.code).toBe(130)
    expect(result.stdout).toMatch(/interrupted by SIGTERM: drained for up to 300 ms/)
    const total = row(result.stdout, "total")
    expect(total.failed).toBeGreaterThan(0)
    expect(total.rejected).toBeGreaterThan(0)
    const written = Number(/dead letters: (\d+) written to /.exec(result.stdout)?.[1])
    expect(written).toBe(total.rejected + total.failed)
    expect(result.stdout).not.toMatch(/could NOT be written/)

    // Every problem the summary lists (event id and destinations), against the file's dead letters.
    const reported = new Map<string, number>()
    for (const m of result.stdout.matchAll(/^ {2}(Failed|Rejected) +(\S+) {2}(.+?) {2}/gm))
      for (const destination of m[3]!.split(", ")) {
        const key = `${m[1]} ${m[2]} ${destination}`
        reported.set(key, (reported.get(key) ?? 0) + 1)
      }
    const lines = readFileSync(deadLetters, "utf8").trimEnd().split("\n")
    expect(lines).toHaveLength(written)
    const filed = new Map<string, number>()
    let withoutEvent = 0
    for (const line of lines) {
      const { data } = JSON.parse(line) as {
        data: { destination: string; outcome: string; event: { id?: string } }
      }
      // An input that was not a valid event is described in the file, never copied: no id to match.
      if (data.event.id === undefined) withoutEvent++
      else {
        const key = `${data.outcome} ${data.event.id} ${data.destination}`
        filed.set(key, (filed.get(key) ?? 0) + 1)
      }
    }
    const closed = [...filed.keys()].filter((k) => k.startsWith("Failed")).length
    expect(closed).toBeGreaterThan(0)
    for (const [key, n] of filed) expect(reported.get(key), key).toBe(n)
    const reportedWithoutEvent = [...reported.keys()].filter((k) => !filed.has(k))
    expect(reportedWithoutEvent.every((k) => k.startsWith("Rejected"))).toBe(true)
    expect(reportedWithoutEvent).toHaveLength(withoutEvent)
    expect(result.stdout).toMatch(/Failed +\S+ +(memory|bus)(, (memory|bus))? +Closed/)

    // Replaying the file sends each original event once; the invalid inputs are reported by line.
    const replay = await run(["--replay", deadLetters, "--to", "memory", "--problems", "1000000"])
    expect(replay.stderr).not.toMatch(/unexpected error/)
    expect(replay.code).toBe(0)
    const originals = new Set([...filed.keys()].map((k) => k.split(" ")[1]))
    expect(row(replay.stdout, "memory").delivered).toBe(originals.size)
    expect(row(replay.stdout, "memory").failed).toBe(0)
    expect(Number(/input problems \(not sent\): (\d+)/.exec(replay.stdout)?.[1] ?? 0)).toBe(withoutEvent)
    if (withoutEvent > 0)
      expect(replay.stdout).toMatch(/Input +\(no id\) +line \d+ +data\.event: holds no event/)
  }, 90_000)

  it("replays a dead-letter file, reporting its bad lines by number, and refuses to append to the file it reads", async () => {
    const file = writeWorkFile(
      "replay.ndjson",
      ["{not json", JSON.stringify({ specversion: "1.0", id: "x", type: "t", source: "s", data: {} })].join(
        "\n",
      ),
    )
    const result = await run(["--replay", file, "--to", "memory"])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/Input +\(no id\) +line 1 +\(cloudevent\): is not valid JSON \(json\)/)
    expect(result.stdout).toMatch(/Input +\(no id\) +line 2 +type: must be a dead letter/)
    expect(row(result.stdout, "memory").delivered).toBe(0)

    const loop = await run(["--replay", file, "--dead-letter", file])
    expect(loop.code).toBe(2)
    expect(loop.stderr).toMatch(/--dead-letter must name another file than --replay/)
    const config = writeWorkFile(
      "replay-loop.config.json",
      JSON.stringify({ deadLetter: "replay.ndjson", destinations: { memory: { type: "memory" } } }),
    )
    const configLoop = await run(["--replay", file, "--config", config])
    expect(configLoop.code).toBe(2)
    expect(configLoop.stderr).toMatch(/\(config deadLetter\) is the file --replay reads/)
  }, 60_000)

  it("keeps credentials and payloads out of its output; the dead-letter file holds payloads, never the secret", async () => {
    const secret = "EPT-E2E-SECRET-4c1d9a"
    const marker = "EPT-E2E-PAYLOAD-8e2b"
    await using emulator = await startEmulator({
      credentials: { accessKeyId: "AKIDEPTE2E", secretAccessKey: secret },
      faults: [
        { type: "requestError", error: "internal", rate: 0.3 },
        { type: "entryError", rate: 0.2 },
        // Refused for good, so the run certainly has Failed pairs (and dead letters with error messages).
        { type: "entryError", service: "eventbridge", code: "MalformedDetail" },
      ],
    })
    const events = Array.from({ length: 40 }, (_, i) => {
      const data: Record<string, unknown> = { user_id: `user-${i}`, note: `${marker}-${i}` }
      if (i % 10 === 3) data["temp-01"] = marker
      const type =
        i % 10 === 5 ? `app.${"y".repeat(130)}` : i % 2 === 0 ? "app.order.placed" : "device.telemetry.x"
      return JSON.stringify({ id: `sec-${i}`, type, source: "shop", subject: `user-${i}`, data })
    })
    const input = writeWorkFile("secret-events.ndjson", [...events, `{"oops": "${marker}"`].join("\n"))
    const deadLetters = join(work, "secret.dead-letters.ndjson")
    const env = (secretAccessKey: string) => ({
      AWS_ACCESS_KEY_ID: "AKIDEPTE2E",
      AWS_SECRET_ACCESS_KEY: secretAccessKey,
      AWS_EC2_METADATA_DISABLED: "true",
    })
    const args = [
      "--endpoint",
      emulator.endpoint,
      "--region",
      "us-east-1",
      "--input",
      input,
      "--dead-letter",
      deadLetters,
      "--problems",
      "1000",
      "--progress",
      "plain",
    ]
    const faulted = await run(args, { env: env(secret) })
    // Signed with the wrong secret: every request is refused with InvalidSignatureException.
    const unsigned = await run(args, { env: env(`${secret}-WRONG`) })
    expect(faulted.code).toBe(1)
    expect(unsigned.code).toBe(1)
    expect(faulted.stdout).toMatch(/Failed +\S+ +bus +InvalidRequest \(MalformedDetail\)/)
    expect(unsigned.stdout).toMatch(/Failed +\S+ +.*AccessDenied \(InvalidSignatureException\)/)
    for (const r of [faulted, unsigned]) {
      const output = r.stdout + r.stderr
      expect(output).not.toMatch(/unexpected error/)
      expect(output).not.toContain(secret)
      expect(output).not.toContain(marker)
      expect(r.stdout).toMatch(/Rejected/)
    }
    const file = readFileSync(deadLetters, "utf8")
    expect(file).not.toContain(secret)
    // Dead letters hold the payloads by design: that is what makes them replayable.
    expect(file).toContain(marker)
    expect(statSync(deadLetters).mode & 0o777).toBe(0o600)
  }, 90_000)
})

describe("successor destinations: Kinesis, Firehose, SQS and SNS", () => {
  const examples = join(sampleDir, "examples")
  const successorTypes = new Set(["kinesis", "firehose", "sqs", "sns"])
  /** Destination name → type, from the summary table. */
  const summaryTypes = (stdout: string): Map<string, string> => {
    const table = stdout.slice(stdout.indexOf("\nSummary\n"))
    const types = new Map<string, string>()
    for (const m of table.matchAll(/^(\S+) +(\S+) +\d+ +\d+ +\d+ +\d+ +\d+ +\d+ +\d+$/gm))
      if (m[1] !== "total") types.set(m[1]!, m[2]!)
    return types
  }

  it("the default run's summary names a successor destination, taking the same events as the retired one", async () => {
    const result = await run(["--progress", "none"])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^ {2}telemetry-stream +kinesis +typePrefix device\.telemetry\.$/m)
    expect(summaryTypes(result.stdout).get("telemetry-stream")).toBe("kinesis")
    const stream = row(result.stdout, "telemetry-stream")
    const analytics = row(result.stdout, "telemetry")
    expect(stream.delivered).toBeGreaterThan(0)
    expect(stream.failed).toBe(0)
    // One route, so one set of events: Kinesis takes the `temp-01` field names IoT Analytics refuses.
    expect(stream.delivered + stream.rejected).toBe(analytics.delivered + analytics.rejected)
    expect(stream.rejected).toBeLessThan(analytics.rejected)
  }, 60_000)

  it("--to selects a successor by type or by name", async () => {
    const byType = await run(["--to", "kinesis", "--count", "200", "--progress", "none"])
    expect(byType.code).toBe(0)
    expect([...summaryTypes(byType.stdout)]).toEqual([["telemetry-stream", "kinesis"]])
    expect(row(byType.stdout, "telemetry-stream").delivered).toBeGreaterThan(0)
    const byName = await run(["--to", "telemetry-stream,memory", "--count", "200", "--progress", "none"])
    expect(byName.code).toBe(0)
    expect([...summaryTypes(byName.stdout).keys()]).toEqual(["memory", "telemetry-stream"])
  }, 60_000)

  const moves = [
    ["telemetry-to-firehose.json", "telemetry", "firehose"],
    ["alarms-to-kinesis.json", "alarms", "kinesis"],
    ["engagement-to-kinesis.json", "engagement", "kinesis"],
  ] as const

  it("each migration example runs on the embedded emulator: the moved destination gets the same events, now at its successor", async () => {
    const common = ["--count", "400", "--seed", "7", "--progress", "none"]
    const [before, ...after] = await Promise.all([
      run(common),
      ...moves.map(([file]) => run(["--config", join(examples, file), ...common])),
    ])
    expect(before.code).toBe(0)
    for (const [i, [file, destination, type]] of moves.entries()) {
      const moved = after[i]!
      expect(moved.stderr, file).not.toMatch(/unexpected error/)
      expect(moved.code, file).toBe(0)
      expect(moved.stdout, file).toMatch(/embedded AWS emulator/)
      expect(summaryTypes(moved.stdout).get(destination), file).toBe(type)
      const was = row(before.stdout, destination)
      const now = row(moved.stdout, destination)
      expect(now.delivered, file).toBeGreaterThan(0)
      expect(now.failed, file).toBe(0)
      expect(now.delivered + now.rejected, file).toBe(was.delivered + was.rejected)
      // The other destinations are untouched by the move.
      expect(row(moved.stdout, "memory"), file).toMatchObject({
        delivered: row(before.stdout, "memory").delivered,
        rejected: row(before.stdout, "memory").rejected,
      })
    }
  }, 150_000)

  it("sends to each successor service over the AWS SDK (--endpoint): the service stores exactly what was delivered", async () => {
    await using emulator = await startEmulator({ store: "count" })
    const env = {
      AWS_ACCESS_KEY_ID: emulator.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: emulator.credentials.secretAccessKey,
      AWS_EC2_METADATA_DISABLED: "true",
    }
    const common = ["--endpoint", emulator.endpoint, "--region", "us-east-1", "--count", "300"]
    const queues = await run(["--config", join(examples, "queues-and-topics.json"), ...common], { env })
    expect(queues.stderr).not.toMatch(/unexpected error/)
    expect(queues.code).toBe(0)
    expect([...summaryTypes(queues.stdout).values()].every((t) => successorTypes.has(t))).toBe(true)
    const orders = row(queues.stdout, "orders").delivered
    const ledger = row(queues.stdout, "ledger").delivered
    expect(orders).toBeGreaterThan(0)
    expect(ledger).toBe(orders)
    expect(emulator.store.sqs.count).toBe(orders + ledger)
    expect(emulator.store.sns.count).toBe(row(queues.stdout, "notifications").delivered)
    expect(emulator.store.sns.count).toBeGreaterThan(0)
    expect(emulator.store.kinesis.count).toBe(row(queues.stdout, "devices").delivered)
    expect(emulator.store.kinesis.count).toBeGreaterThan(0)

    const firehose = await run(["--config", join(examples, "telemetry-to-firehose.json"), ...common], { env })
    expect(firehose.code).toBe(0)
    expect(emulator.store.firehose.count).toBe(row(firehose.stdout, "telemetry").delivered)
    expect(emulator.store.firehose.count).toBeGreaterThan(0)
    expect(emulator.store.kinesis.count).toBe(
      row(queues.stdout, "devices").delivered + row(firehose.stdout, "telemetry-stream").delivered,
    )
    expect(queues.stdout + queues.stderr + firehose.stdout + firehose.stderr).not.toContain(
      emulator.credentials.secretAccessKey,
    )
  }, 150_000)

  it("retries a successor's failed entries under --faults and still gives every pair one outcome", async () => {
    const result = await run([
      "--config",
      join(examples, "queues-and-topics.json"),
      "--count",
      "300",
      "--faults",
      "entry=0.2,throttle=0.1",
      "--progress",
      "none",
    ])
    expect(result.stderr).not.toMatch(/unexpected error/)
    const baseline = await run([
      "--config",
      join(examples, "queues-and-topics.json"),
      "--count",
      "300",
      "--progress",
      "none",
    ])
    for (const name of ["orders", "ledger", "notifications", "devices"]) {
      const faulted = row(result.stdout, name)
      const clean = row(baseline.stdout, name)
      expect(faulted.retried, name).toBeGreaterThan(0)
      expect(faulted.delivered + faulted.rejected + faulted.failed, name).toBe(
        clean.delivered + clean.rejected,
      )
    }
  }, 150_000)
})
