/**
 * The command line: flags, `--cli-input-json` merged under them, defaults last. Produces the
 * settings of one run, or a {@link UsageError} naming the flag or field that is wrong.
 */
import { accessSync, constants, existsSync } from "node:fs"
import { resolve } from "node:path"
import { fileURLToPath } from "node:url"
import type { EventInput } from "@eventport/core"
import { Command, CommanderError, InvalidArgumentError, Option } from "commander"
import { loadSampleRequest, type SampleRequest } from "./CliInput.ts"
import { type FaultSpec, faultKeys, parseFaultSpec } from "./FaultSpec.ts"
import type { ProgressMode } from "./ProgressView.ts"
import { UsageError } from "./UsageError.ts"

export const defaultCount = 2000
export const defaultSeed = 1
export const defaultDrainTimeoutMs = 5000
export const defaultMaxProblems = 10
/** The config shipped with the sample, next to its package.json (one level above src/ and dist/). */
export const bundledConfigPath = fileURLToPath(new URL("../eventport.config.json", import.meta.url))

export type EventSourceSettings =
  | { readonly kind: "generator"; readonly count: number }
  | { readonly kind: "ndjson"; readonly path: string }
  | { readonly kind: "request"; readonly events: ReadonlyArray<EventInput> }
  /** The original events of a dead-letter file, sent again. */
  | { readonly kind: "replay"; readonly path: string }

export type TargetSettings =
  /** The embedded emulator: no AWS account. */
  | { readonly kind: "emulator" }
  /** Real AWS (or any endpoint): the SDK's default credential chain and region. */
  | { readonly kind: "aws"; readonly endpoint?: string; readonly region?: string }

export interface RunSettings {
  readonly configPath: string
  readonly to: ReadonlyArray<string> | undefined
  readonly source: EventSourceSettings
  readonly seed: number
  readonly rate: number | undefined
  readonly faults: FaultSpec
  readonly target: TargetSettings
  readonly drainTimeoutMs: number
  readonly strict: boolean
  readonly progress: ProgressMode
  readonly maxProblems: number
  /** Where Rejected and Failed pairs go as NDJSON dead letters (overrides the config's `deadLetter`). */
  readonly deadLetterPath?: string
}

export type CliCommand =
  | { readonly _tag: "Run"; readonly settings: RunSettings }
  | { readonly _tag: "Skeleton" }
  /** `--help` or `--version` was printed. */
  | { readonly _tag: "Printed" }

const positiveInt = (flag: string) => (value: string) => {
  const n = Number(value)
  if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError(`${flag} expects a positive integer`)
  return n
}

const integer = (flag: string) => (value: string) => {
  const n = Number(value)
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError(`${flag} expects an integer`)
  return n
}

const positiveNumber = (flag: string) => (value: string) => {
  const n = Number(value)
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${flag} expects a number above 0`)
  return n
}

/** `5s`, `500ms`, `1.5s` or a plain number of milliseconds. */
export const parseDurationMs = (value: string): number => {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s)?$/.exec(value.trim())
  if (!match) throw new InvalidArgumentError("expects a duration such as 5s, 2500ms or 2500")
  const n = Number(match[1])
  return Math.round(match[2] === "s" ? n * 1000 : n)
}

const commaList = (value: string): string[] =>
  value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")

interface Flags {
  config?: string
  to?: string[]
  input?: string
  replay?: string
  deadLetter?: string
  count?: number
  seed?: number
  rate?: number
  faults?: string
  endpoint?: string
  aws?: boolean
  region?: string
  drainTimeout?: number
  strict?: boolean
  progress?: ProgressMode
  problems?: number
  cliInputJson?: string
  generateCliSkeleton?: string | true
}

export const makeProgram = (): Command =>
  new Command("eventport-sample")
    .description(
      "One event stream, destinations chosen by configuration: generates device telemetry and app events and " +
        "fans them out to EventBridge, IoT Events, IoT Analytics, Pinpoint, a Kinesis data stream and an " +
        "in-memory destination; Firehose, SQS and SNS are destination types too, and moving off a retired " +
        "service is a change of the config file. By default it runs on an embedded AWS emulator, so no AWS " +
        "account is needed.",
    )
    .option(
      "--config <file>",
      "destinations file (default: ./eventport.config.json if present, else the bundled one)",
    )
    .option(
      "--to <names>",
      "only these destinations, by name or type, comma separated (e.g. eventbridge,memory)",
      commaList,
    )
    .option(
      "--input <file>",
      "read events from an NDJSON file, or from stdin with '-' (default: generate them)",
    )
    .addOption(
      new Option(
        "--replay <file>",
        "send again the original events of a dead-letter file (one per event, to the --to destinations)",
      ).conflicts("input"),
    )
    .option(
      "--dead-letter <file>",
      "append Rejected and Failed events, with the reason, to this NDJSON file (also: config deadLetter)",
    )
    .option("--count <n>", `events to generate (default ${defaultCount})`, positiveInt("--count"))
    .option(
      "--seed <n>",
      `seed of the generator and of the emulator's faults (default ${defaultSeed})`,
      integer("--seed"),
    )
    .option(
      "--rate <n>",
      "events per second handed to the publisher (default: as fast as it takes them)",
      positiveNumber("--rate"),
    )
    .option(
      "--faults <spec>",
      `emulator faults, e.g. throttle=0.2,internal=0.05,entry=0.05,latency=20-80,drop=0.01 (keys: ${Object.keys(faultKeys).join(", ")})`,
    )
    .addOption(
      new Option(
        "--endpoint <url>",
        "send to this endpoint instead of the emulator (AWS SDK credential chain)",
      ).conflicts("faults"),
    )
    .addOption(
      new Option("--aws", "send to real AWS (AWS SDK default credential chain and region)").conflicts([
        "faults",
        "endpoint",
      ]),
    )
    .option("--region <region>", "AWS region with --aws or --endpoint (default: the SDK's, e.g. AWS_REGION)")
    .option(
      "--drain-timeout <duration>",
      "on Ctrl-C, how long to drain what is queued (default 5s)",
      parseDurationMs,
    )
    .option("--strict", "exit 1 when any event is rejected, unrouted or unreadable, not only when one fails")
    .addOption(
      new Option("--progress <mode>", "live progress: bars on a terminal, plain lines otherwise").choices([
        "auto",
        "bar",
        "plain",
        "none",
      ]),
    )
    .option(
      "--problems <n>",
      `how many problems the summary lists (default ${defaultMaxProblems})`,
      positiveInt("--problems"),
    )
    .option(
      "--cli-input-json <json>",
      "the whole request as JSON, inline or file://path; flags override its fields",
    )
    .option("--generate-cli-skeleton [type]", "print a sample --cli-input-json input and exit (type: input)")
    .version("0.1.0")
    .allowExcessArguments(false)
    .showHelpAfterError("(run with --help for usage)")
    .addHelpText(
      "after",
      [
        "",
        "Exit codes: 0 nothing failed (deliberately invalid events may be rejected), 1 an event failed (with",
        "--strict also: rejected, unrouted or unreadable), 2 a mistake in flags, config or --cli-input-json,",
        "130 stopped by Ctrl-C/SIGTERM after draining.",
        "",
        "Examples:",
        "  eventport-sample --to eventbridge,memory --count 500",
        "  eventport-sample --to kinesis,memory",
        "  eventport-sample --config apps/sample/examples/telemetry-to-firehose.json   # IoT Analytics -> Firehose",
        "  eventport-sample --faults throttle=0.2,internal=0.05,entry=0.05,latency=20-80,drop=0.01",
        "  eventport-sample --input events.ndjson --strict",
        "  eventport-sample --faults internal=0.5 --dead-letter dead.ndjson",
        "  eventport-sample --replay dead.ndjson --to memory",
        "  eventport-sample --generate-cli-skeleton input > request.json",
        "  eventport-sample --cli-input-json file://request.json --to memory",
      ].join("\n"),
    )

const checkReadable = (path: string, what: string): void => {
  try {
    accessSync(path, constants.R_OK)
  } catch {
    throw new UsageError(`${what} ${path}: ${existsSync(path) ? "cannot be read" : "file not found"}`)
  }
}

/** Flags over the request over defaults. */
export const resolveSettings = (flags: Flags, request: SampleRequest, cwd: string): RunSettings => {
  const localConfig = resolve(cwd, "eventport.config.json")
  const configFlag = flags.config ?? request.config
  const configPath =
    configFlag !== undefined
      ? resolve(cwd, configFlag)
      : existsSync(localConfig)
        ? localConfig
        : bundledConfigPath
  const input = flags.input ?? request.input
  const replay = flags.replay ?? request.replay
  if (replay !== undefined && input !== undefined)
    throw new UsageError("give either --replay or --input, not both")
  const deadLetter = flags.deadLetter ?? request.deadLetter
  const deadLetterPath = deadLetter === undefined ? undefined : resolve(cwd, deadLetter)
  let source: EventSourceSettings
  if (replay !== undefined) {
    const path = resolve(cwd, replay)
    checkReadable(path, "--replay")
    // Appending to the file being read would replay the new dead letters too, without end.
    if (path === deadLetterPath)
      throw new UsageError(
        "--dead-letter must name another file than --replay (it would read its own output)",
      )
    source = { kind: "replay", path }
  } else if (input !== undefined) {
    if (input !== "-") checkReadable(resolve(cwd, input), "--input")
    source = { kind: "ndjson", path: input === "-" ? "-" : resolve(cwd, input) }
  } else if (request.events !== undefined && flags.count === undefined) {
    source = { kind: "request", events: request.events }
  } else source = { kind: "generator", count: flags.count ?? request.count ?? defaultCount }

  const faultsText = flags.faults ?? request.faults ?? ""
  const endpoint = flags.endpoint ?? request.endpoint
  const aws = flags.aws ?? request.aws ?? false
  const region = flags.region ?? request.region
  const faults = parseFaultSpec(faultsText)
  const useAws = aws || endpoint !== undefined
  if (useAws && Object.keys(faults).length > 0)
    throw new UsageError(
      "--faults configures the embedded emulator; it cannot be combined with --aws or --endpoint",
    )
  if (!useAws && region !== undefined) throw new UsageError("--region applies only with --aws or --endpoint")
  if (endpoint !== undefined && !/^https?:\/\/[^\s]+$/.test(endpoint))
    throw new UsageError(`--endpoint: expected an http(s) URL, e.g. https://events.eu-west-1.amazonaws.com`)
  const target: TargetSettings = useAws
    ? {
        kind: "aws",
        ...(endpoint === undefined ? {} : { endpoint }),
        ...(region === undefined ? {} : { region }),
      }
    : { kind: "emulator" }

  const to = flags.to ?? request.to
  if (to !== undefined && to.length === 0)
    throw new UsageError("--to: give at least one destination name or type")
  return {
    configPath,
    to,
    source,
    seed: flags.seed ?? request.seed ?? defaultSeed,
    rate: flags.rate ?? request.rate,
    faults,
    target,
    drainTimeoutMs: flags.drainTimeout ?? request.drainTimeoutMs ?? defaultDrainTimeoutMs,
    strict: flags.strict ?? request.strict ?? false,
    progress: flags.progress ?? "auto",
    maxProblems: flags.problems ?? defaultMaxProblems,
    ...(deadLetterPath === undefined ? {} : { deadLetterPath }),
  }
}

/**
 * Parses the command line (without `node` and the script). Usage mistakes become {@link UsageError};
 * `--help`/`--version` are printed by commander through `write`.
 */
export const parseCommandLine = (
  args: ReadonlyArray<string>,
  options: {
    readonly cwd: string
    readonly write: (text: string) => void
    readonly writeError: (text: string) => void
  },
): CliCommand => {
  const program = makeProgram()
    .exitOverride()
    .configureOutput({
      writeOut: options.write,
      writeErr: options.writeError,
      // One style for every mistake: commander's own messages get the prefix the sample's have.
      outputError: (text, write) => write(text.replace(/^error: /, "eventport-sample: ")),
    })
  try {
    // `pnpm sample -- --count 5` passes the `--` through; it separates nothing here.
    program.parse(args[0] === "--" ? args.slice(1) : [...args], { from: "user" })
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === "commander.helpDisplayed" ||
        error.code === "commander.version" ||
        error.code === "commander.help"
      )
        return { _tag: "Printed" }
      // commander already printed its message through writeErr.
      throw new UsageError(error.message, { cause: "reported" })
    }
    throw error
  }
  const flags = program.opts<Flags>()
  if (flags.generateCliSkeleton !== undefined) {
    if (flags.generateCliSkeleton !== true && flags.generateCliSkeleton !== "input")
      throw new UsageError(
        `--generate-cli-skeleton: only "input" is supported, got "${flags.generateCliSkeleton}"`,
      )
    return { _tag: "Skeleton" }
  }
  const request = flags.cliInputJson === undefined ? {} : loadSampleRequest(flags.cliInputJson)
  return { _tag: "Run", settings: resolveSettings(flags, request, options.cwd) }
}
