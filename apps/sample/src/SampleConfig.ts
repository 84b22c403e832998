/**
 * The sample's config file: named destinations, each with a `type`, that adapter's options and an
 * optional declarative `route`. Everything is checked before anything is sent; a mistake names the
 * file, the path of the bad field and what was expected.
 */
import { Result, Schema } from "effect"
import { readJsonFile } from "./internal/JsonText.ts"
import { type FieldProblem, schemaProblems } from "./internal/SchemaProblems.ts"
import { UsageError } from "./UsageError.ts"

export const destinationTypes = ["memory", "eventbridge", "iot-events", "iot-analytics", "pinpoint"] as const
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

export const DestinationSpec = Schema.Union([
  MemoryDestination,
  EventBridgeDestination,
  IotEventsDestination,
  IotAnalyticsDestination,
  PinpointDestination,
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
}).check(
  Schema.makeFilter((config) => {
    const issues: Array<Schema.FilterIssue> = []
    const known = Object.keys(config.routes ?? {})
    for (const [name, destination] of Object.entries(config.destinations)) {
      const route = destination.route
      if (typeof route === "string" && !known.includes(route))
        issues.push({
          path: ["destinations", name, "route"],
          issue:
            known.length === 0
              ? `unknown route "${route}": the config defines no routes`
              : `unknown route "${route}"; the config's routes are ${known.join(", ")}`,
        })
    }
    return issues
  }),
)
export type SampleConfig = typeof SampleConfig.Type

/** The route of a destination, with a named route looked up. */
export const destinationRoute = (config: SampleConfig, spec: DestinationSpec): RouteSpec | undefined =>
  typeof spec.route === "string" ? config.routes?.[spec.route] : spec.route

/** Checked first, so a wrong `type` is reported as such rather than as "matches no destination kind". */
const DestinationTypes = Schema.Struct({
  destinations: Schema.Record(Schema.String, Schema.Struct({ type: Schema.Literals(destinationTypes) })),
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

const parseOptions = { errors: "all", onExcessProperty: "error", reportInput: true } as const

/** Validates parsed JSON as a {@link SampleConfig}; `file` names the source in errors. */
export const decodeSampleConfig = (json: unknown, file: string): SampleConfig => {
  const types = Schema.decodeUnknownResult(DestinationTypes)(json, { errors: "all", reportInput: true })
  if (Result.isFailure(types)) throw new ConfigError(file, schemaProblems(types.failure))
  const config = Schema.decodeUnknownResult(SampleConfig)(json, parseOptions)
  if (Result.isFailure(config)) throw new ConfigError(file, schemaProblems(config.failure))
  return config.success
}

/** Reads and validates a config file. */
export const loadSampleConfig = (file: string): SampleConfig => {
  const json = readJsonFile(file)
  if (!json.ok) throw new ConfigError(file, [{ path: "(file)", message: json.problem }])
  return decodeSampleConfig(json.value, file)
}
