/**
 * The sample's config file: named destinations, each with a `type`, that adapter's options and an
 * optional declarative `route`. Everything is checked before anything is sent; a mistake names the
 * file, the path of the bad field and what was expected.
 */
import { Result, Schema } from "effect"
import { format } from "effect/Formatter"
import { readJsonFile } from "./internal/JsonText.ts"
import { nearest } from "./internal/Nearest.ts"
import { type FieldProblem, schemaProblems } from "./internal/SchemaProblems.ts"
import { UsageError } from "./UsageError.ts"

export const destinationTypes = [
  "memory",
  "eventbridge",
  "iot-events",
  "iot-analytics",
  "pinpoint",
  "kinesis",
  "firehose",
  "sqs",
  "sns",
] as const
export type DestinationType = (typeof destinationTypes)[number]

/** Placeholders a name template may use; each is read from the event being sent. */
export const templateFields = ["id", "type", "source", "subject"] as const
const placeholder = /\{([^{}]*)\}/g
const extensionPlaceholder = /^extensions\.[a-z0-9]{1,20}$/

/** Checks `{…}` placeholders of a name template, e.g. `"{subject}"` or `"telemetry_{extensions.site}"`. */
const NameTemplate = Schema.NonEmptyString.check(
  Schema.makeFilter((text: string) => {
    for (const match of text.matchAll(placeholder)) {
      const name = match[1] ?? ""
      if (!(templateFields as ReadonlyArray<string>).includes(name) && !extensionPlaceholder.test(name))
        return `unknown placeholder {${name}}; expected ${templateFields.map((f) => `{${f}}`).join(", ")} or {extensions.<name>}`
    }
    return undefined
  }),
)

/**
 * One of `words`, like `Schema.Literals(words)`, but a near miss is told the word it resembles:
 * `Expected "cloudEvent" | "data", got "cloudevent" (did you mean "cloudEvent"?)`.
 */
const OneOf = <const Words extends ReadonlyArray<string>>(words: Words) => {
  const expected = words.map((word) => JSON.stringify(word)).join(" | ")
  const isWord = (input: unknown): input is Words[number] => words.includes(input as string)
  return Schema.Unknown.check(
    Schema.makeFilter((input) => {
      if (isWord(input)) return undefined
      const near = typeof input === "string" ? nearest(input, words) : undefined
      return `Expected ${expected}, got ${format(input)}${near === undefined ? "" : ` (did you mean "${near}"?)`}`
    }).abort(),
  ).pipe(Schema.refine(isWord))
}

const PositiveInt = Schema.Int.check(Schema.isGreaterThan(0))
const NonNegativeInt = Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))
const StringOrList = Schema.Union([
  Schema.NonEmptyString,
  Schema.Array(Schema.NonEmptyString).check(Schema.isMinLength(1)),
])

/**
 * Which events a destination takes. Every condition given must hold; a condition with a list holds
 * when any value matches. No route, or `{}`, takes every event.
 */
export const RouteSpec = Schema.Struct({
  type: Schema.optionalKey(StringOrList),
  typePrefix: Schema.optionalKey(StringOrList),
  source: Schema.optionalKey(StringOrList),
  sourcePrefix: Schema.optionalKey(StringOrList),
  subjectPrefix: Schema.optionalKey(StringOrList),
})
export type RouteSpec = typeof RouteSpec.Type

export const RetrySpec = Schema.Struct({
  maxAttempts: Schema.optionalKey(PositiveInt),
  baseDelayMs: Schema.optionalKey(NonNegativeInt),
  maxDelayMs: Schema.optionalKey(NonNegativeInt),
  throttledBaseDelayMs: Schema.optionalKey(NonNegativeInt),
  maxElapsedMs: Schema.optionalKey(NonNegativeInt),
})
export type RetrySpec = typeof RetrySpec.Type

/** Settings every destination may carry, whatever its type. */
const destinationSettings = {
  /** A route, or the name of one in the config's `routes`. */
  route: Schema.optionalKey(Schema.Union([Schema.NonEmptyString, RouteSpec])),
  concurrency: Schema.optionalKey(PositiveInt),
  requestTimeoutMs: Schema.optionalKey(PositiveInt),
  retry: Schema.optionalKey(RetrySpec),
}

export const MemoryDestination = Schema.Struct({
  type: Schema.Literal("memory"),
  /** Request limits the in-memory destination enforces, as a real one would. */
  limits: Schema.optionalKey(
    Schema.Struct({
      maxEntries: Schema.optionalKey(PositiveInt),
      maxRequestBytes: Schema.optionalKey(PositiveInt),
      maxEntryBytes: Schema.optionalKey(PositiveInt),
    }),
  ),
  ...destinationSettings,
})

export const EventBridgeDestination = Schema.Struct({
  type: Schema.Literal("eventbridge"),
  eventBusName: NameTemplate,
  ...destinationSettings,
})

export const IotEventsDestination = Schema.Struct({
  type: Schema.Literal("iot-events"),
  inputName: NameTemplate,
  ...destinationSettings,
})

export const IotAnalyticsDestination = Schema.Struct({
  type: Schema.Literal("iot-analytics"),
  channelName: NameTemplate,
  ...destinationSettings,
})

export const PinpointDestination = Schema.Struct({
  type: Schema.Literal("pinpoint"),
  applicationId: NameTemplate,
  /** The Pinpoint endpoint each event belongs to; the adapter's default is the event's `subject`. */
  endpointId: Schema.optionalKey(NameTemplate),
  ...destinationSettings,
})

/** What a Kinesis or Firehose record's `Data` carries: the whole event as CloudEvents JSON, or its data alone. */
const RecordData = OneOf(["cloudEvent", "data"])

export const KinesisDestination = Schema.Struct({
  type: Schema.Literal("kinesis"),
  /** Give exactly one of `streamName` and `streamArn` (the adapter's factory checks it). */
  streamName: Schema.optionalKey(Schema.NonEmptyString),
  streamArn: Schema.optionalKey(Schema.NonEmptyString),
  /** The adapter's default is the event's `subject`, else its id. */
  partitionKey: Schema.optionalKey(NameTemplate),
  explicitHashKey: Schema.optionalKey(NameTemplate),
  data: Schema.optionalKey(RecordData),
  maxEntryBytes: Schema.optionalKey(PositiveInt),
  maxRequestBytes: Schema.optionalKey(PositiveInt),
  ...destinationSettings,
})

export const FirehoseDestination = Schema.Struct({
  type: Schema.Literal("firehose"),
  deliveryStreamName: Schema.NonEmptyString,
  data: Schema.optionalKey(RecordData),
  /** Appended to every record; `""` for none. The adapter's default is a newline. */
  recordDelimiter: Schema.optionalKey(Schema.String),
  maxRequestBytes: Schema.optionalKey(PositiveInt),
  requestSize: Schema.optionalKey(OneOf(["base64", "raw"])),
  ...destinationSettings,
})

/** What an SQS or SNS message carries: the event's CloudEvents JSON, or its data as JSON text. */
const MessageText = OneOf(["cloudEvent", "data"])

/** Constant message attributes (JSON has no bytes, so `Binary` ones are left to code). */
const MessageAttributes = Schema.Record(
  Schema.NonEmptyString,
  Schema.Struct({ DataType: Schema.NonEmptyString, StringValue: Schema.String }),
)

/** Settings SQS and SNS share: attributes, FIFO group and de-duplication, byte limits. */
const messageSettings = {
  messageAttributes: Schema.optionalKey(MessageAttributes),
  cloudEventAttributes: Schema.optionalKey(Schema.Boolean),
  /** Required by FIFO queues and topics (names ending in `.fifo`). */
  messageGroupId: Schema.optionalKey(NameTemplate),
  /** FIFO only; the adapter's default is the event id. */
  deduplicationId: Schema.optionalKey(NameTemplate),
  maxEntryBytes: Schema.optionalKey(PositiveInt),
  maxRequestBytes: Schema.optionalKey(PositiveInt),
}

export const SqsDestination = Schema.Struct({
  type: Schema.Literal("sqs"),
  queueUrl: NameTemplate,
  body: Schema.optionalKey(MessageText),
  delaySeconds: Schema.optionalKey(NonNegativeInt),
  ...messageSettings,
  ...destinationSettings,
})

export const SnsDestination = Schema.Struct({
  type: Schema.Literal("sns"),
  topicArn: NameTemplate,
  message: Schema.optionalKey(MessageText),
  subject: Schema.optionalKey(NameTemplate),
  ...messageSettings,
  ...destinationSettings,
})

export const DestinationSpec = Schema.Union([
  MemoryDestination,
  EventBridgeDestination,
  IotEventsDestination,
  IotAnalyticsDestination,
  PinpointDestination,
  KinesisDestination,
  FirehoseDestination,
  SqsDestination,
  SnsDestination,
])
export type DestinationSpec = typeof DestinationSpec.Type

export const SampleConfig = Schema.Struct({
  $schema: Schema.optionalKey(Schema.String),
  description: Schema.optionalKey(Schema.String),
  /** Named routes that destinations can refer to by name, so several share one definition. */
  routes: Schema.optionalKey(Schema.Record(Schema.NonEmptyString, RouteSpec)),
  destinations: Schema.Record(Schema.NonEmptyString, DestinationSpec).check(
    Schema.isMinProperties(1, { message: "Expected at least one destination" }),
  ),
  concurrency: Schema.optionalKey(PositiveInt),
  requestTimeoutMs: Schema.optionalKey(PositiveInt),
  retry: Schema.optionalKey(RetrySpec),
  /** NDJSON file for Rejected and Failed events, relative to the config file. `--dead-letter` overrides it. */
  deadLetter: Schema.optionalKey(Schema.NonEmptyString),
})
export type SampleConfig = typeof SampleConfig.Type

/** The route of a destination, with a named route looked up. */
export const destinationRoute = (config: SampleConfig, spec: DestinationSpec): RouteSpec | undefined =>
  typeof spec.route === "string" ? config.routes?.[spec.route] : spec.route

/** Checked apart, so a wrong `type` is reported as such rather than as "matches no destination kind". */
const DestinationTypes = Schema.Struct({
  destinations: Schema.Record(Schema.String, Schema.Struct({ type: OneOf(destinationTypes) })),
})

export class ConfigError extends UsageError {
  readonly file: string
  readonly problems: ReadonlyArray<FieldProblem>
  constructor(file: string, problems: ReadonlyArray<FieldProblem>) {
    super(`Invalid config file ${file}:\n${problems.map((p) => `  ${p.path}: ${p.message}`).join("\n")}`)
    this.file = file
    this.problems = problems
  }
}

/**
 * A check of one destination beyond its schema (e.g. what its adapter's factory refuses, such as a
 * bus name outside the service's pattern): the problem, or undefined. Run for each destination whose
 * own fields are well-formed, so every mistake of a config is reported in one run.
 */
export type DestinationCheck = (name: string, spec: DestinationSpec) => string | undefined

const parseOptions = { errors: "all", onExcessProperty: "error", reportInput: true } as const

const isRecord = (u: unknown): u is Record<string, unknown> =>
  typeof u === "object" && u !== null && !Array.isArray(u)

/** `route: "name"` must name one of the config's `routes`; read from the raw JSON, whatever else is wrong. */
const routeReferenceProblems = (json: Record<string, unknown>): Array<FieldProblem> => {
  if (!isRecord(json.destinations)) return []
  const known = isRecord(json.routes) ? Object.keys(json.routes) : []
  const problems: Array<FieldProblem> = []
  for (const [name, destination] of Object.entries(json.destinations)) {
    const route = isRecord(destination) ? destination.route : undefined
    if (typeof route === "string" && route !== "" && !known.includes(route))
      problems.push({
        path: `destinations.${name}.route`,
        message:
          known.length === 0
            ? `unknown route "${route}": the config defines no routes`
            : `unknown route "${route}"; the config's routes are ${known.join(", ")}`,
      })
  }
  return problems
}

/**
 * Validates parsed JSON as a {@link SampleConfig}; `file` names the source in errors. Every mistake
 * is reported at once: wrong destination types, the other fields, route names, and `check` on each
 * destination whose own fields are well-formed.
 */
export const decodeSampleConfig = (json: unknown, file: string, check?: DestinationCheck): SampleConfig => {
  const problems: Array<FieldProblem> = []
  const badTypes = new Set<string>()
  const types = Schema.decodeUnknownResult(DestinationTypes)(json, { errors: "all", reportInput: true })
  if (Result.isFailure(types)) {
    problems.push(...schemaProblems(types.failure))
    if (isRecord(json) && isRecord(json.destinations))
      for (const [name, destination] of Object.entries(json.destinations))
        if (
          !isRecord(destination) ||
          !(destinationTypes as ReadonlyArray<unknown>).includes(destination.type)
        )
          badTypes.add(name)
  }
  // Destinations of an unknown type are left out of the full check: "matches no destination kind"
  // would only repeat the type problem.
  const checked =
    badTypes.size === 0 || !isRecord(json) || !isRecord(json.destinations)
      ? json
      : {
          ...json,
          destinations: Object.fromEntries(
            Object.entries(json.destinations).filter(([name]) => !badTypes.has(name)),
          ),
        }
  const config = Schema.decodeUnknownResult(SampleConfig)(checked, parseOptions)
  if (Result.isFailure(config))
    for (const problem of schemaProblems(config.failure)) {
      const emptiedByBadTypes = badTypes.size > 0 && problem.path === "destinations"
      if (
        !emptiedByBadTypes &&
        !problems.some((p) => p.path === problem.path && p.message === problem.message)
      )
        problems.push(problem)
    }
  if (isRecord(json)) problems.push(...routeReferenceProblems(json))
  if (check !== undefined && isRecord(json) && isRecord(json.destinations))
    for (const [name, destination] of Object.entries(json.destinations)) {
      if (badTypes.has(name)) continue
      const spec = Schema.decodeUnknownResult(DestinationSpec)(destination, parseOptions)
      if (Result.isFailure(spec)) continue
      const problem = check(name, spec.success)
      if (problem !== undefined) problems.push({ path: `destinations.${name}`, message: problem })
    }
  if (problems.length > 0 || Result.isFailure(config)) throw new ConfigError(file, problems)
  return config.success
}

/** Reads and validates a config file (see {@link decodeSampleConfig}). */
export const loadSampleConfig = (file: string, check?: DestinationCheck): SampleConfig => {
  const json = readJsonFile(file)
  if (!json.ok) throw new ConfigError(file, [{ path: "(file)", message: json.problem }])
  return decodeSampleConfig(json.value, file, check)
}
