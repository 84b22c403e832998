/**
 * aws-cli conventions: `--cli-input-json` takes the whole request as JSON (inline, or `file://path`),
 * flags given on the command line override its fields, and `--generate-cli-skeleton input` prints
 * a request to start from. Events follow the neutral event model (EventInput).
 */
import type { EventInput } from "@eventport/core"
import { Result, Schema } from "effect"
import { checkEventInput } from "./EventSource.ts"
import { parseJsonText, readJsonFile } from "./internal/JsonText.ts"
import { type FieldProblem, schemaProblems } from "./internal/SchemaProblems.ts"
import { UsageError } from "./UsageError.ts"

const PositiveInt = Schema.Int.check(Schema.isGreaterThan(0))

/** The request's fields besides `events`; each has a flag of the same meaning. */
export const SampleRequestOptions = Schema.Struct({
  to: Schema.optionalKey(Schema.Array(Schema.NonEmptyString).check(Schema.isMinLength(1))),
  config: Schema.optionalKey(Schema.NonEmptyString),
  input: Schema.optionalKey(Schema.NonEmptyString),
  replay: Schema.optionalKey(Schema.NonEmptyString),
  deadLetter: Schema.optionalKey(Schema.NonEmptyString),
  count: Schema.optionalKey(PositiveInt),
  seed: Schema.optionalKey(Schema.Int),
  rate: Schema.optionalKey(Schema.Finite.check(Schema.isGreaterThan(0))),
  faults: Schema.optionalKey(Schema.String),
  endpoint: Schema.optionalKey(Schema.NonEmptyString),
  aws: Schema.optionalKey(Schema.Boolean),
  region: Schema.optionalKey(Schema.NonEmptyString),
  drainTimeoutMs: Schema.optionalKey(Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))),
  strict: Schema.optionalKey(Schema.Boolean),
})
export type SampleRequestOptions = typeof SampleRequestOptions.Type

export interface SampleRequest extends SampleRequestOptions {
  /** Events to send instead of generating them, already checked against the event model. */
  readonly events?: ReadonlyArray<EventInput>
}

export class CliInputError extends UsageError {
  readonly problems: ReadonlyArray<FieldProblem>
  constructor(source: string, problems: ReadonlyArray<FieldProblem>) {
    super(
      `Invalid --cli-input-json (${source}):\n${problems.map((p) => `  ${p.path}: ${p.message}`).join("\n")}`,
    )
    this.problems = problems
  }
}

const isRecord = (u: unknown): u is Record<string, unknown> =>
  typeof u === "object" && u !== null && !Array.isArray(u)

/**
 * Checks a parsed request. Every bad field is reported by path (`events[3].type: is required`);
 * event payload values are never echoed.
 */
export const decodeSampleRequest = (json: unknown, source: string): SampleRequest => {
  if (!isRecord(json)) throw new CliInputError(source, [{ path: "(root)", message: "Expected an object" }])
  const { events, ...rest } = json
  const problems: Array<FieldProblem> = []
  const options = Schema.decodeUnknownResult(SampleRequestOptions)(rest, {
    errors: "all",
    onExcessProperty: "error",
    reportInput: true,
  })
  if (Result.isFailure(options)) problems.push(...schemaProblems(options.failure))
  const checked: Array<EventInput> = []
  if (events !== undefined) {
    if (!Array.isArray(events)) problems.push({ path: "events", message: "Expected an array of events" })
    else
      events.forEach((raw, index) => {
        const item = checkEventInput(raw, `events[${index}]`)
        if (item._tag === "Event") checked.push(item.event)
        else problems.push({ path: `events[${index}].${item.problem.field}`, message: item.problem.message })
      })
  }
  if (events !== undefined && rest.input !== undefined)
    problems.push({ path: "input", message: "give either events or input, not both" })
  if (events !== undefined && rest.replay !== undefined)
    problems.push({ path: "replay", message: "give either events or replay, not both" })
  if (problems.length > 0 || Result.isFailure(options)) throw new CliInputError(source, problems)
  return events === undefined ? options.success : { ...options.success, events: checked }
}

/** Reads `--cli-input-json`: `file://path` or the JSON text itself. */
export const loadSampleRequest = (value: string): SampleRequest => {
  const fromFile = value.startsWith("file://")
  const source = fromFile ? value : "inline JSON"
  const json = fromFile ? readJsonFile(value.slice("file://".length)) : parseJsonText(value)
  if (!json.ok)
    throw new CliInputError(source, [
      { path: json.part === "file" ? "(file)" : "(root)", message: json.problem },
    ])
  return decodeSampleRequest(json.value, source)
}

/** What `--generate-cli-skeleton input` prints: a request that runs as it is, to edit from. */
export const sampleRequestSkeleton = (): Record<string, unknown> => ({
  events: [
    {
      id: "3f1c2a9e-0b7d-4c55-9a1e-5d2f7c8b9a10",
      type: "device.telemetry.reported",
      source: "urn:eventport:sample:fleet",
      subject: "dev-0007",
      time: "2026-11-02T09:30:00.000Z",
      data: {
        device_id: "dev-0007",
        temperature_c: 22.4,
        humidity_pct: 41.5,
        battery_pct: 87,
        rssi_dbm: -61,
      },
      extensions: { site: "plant-berlin" },
    },
    {
      type: "app.order.placed",
      source: "urn:eventport:sample:shop",
      subject: "user-00042",
      data: { user_id: "user-00042", order_id: "ord-480151", total_eur: 129.9 },
    },
  ],
  to: ["memory", "eventbridge", "iot-events", "iot-analytics", "pinpoint"],
  faults: "",
  strict: false,
  drainTimeoutMs: 5000,
})
