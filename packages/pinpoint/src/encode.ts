/**
 * One event → one Pinpoint Event under its endpoint id, or the reasons Pinpoint would refuse it.
 */
import type { Event as PinpointWireEvent, PublicEndpoint, Session } from "@aws-sdk/client-pinpoint"
import {
  checkRequiredString,
  describeValue,
  type EncodeResult,
  type Event,
  encoded,
  type HookResult,
  isJsonObject,
  jsonUtf8Length,
  rejected,
  resolveOption,
  runHook,
  utf8Length,
  type Violation,
  violation,
} from "@eventport/core"
import {
  channelTypes,
  maxAttributeAndMetricKeys,
  maxAttributeKeyLength,
  maxAttributeValueLength,
  maxEventBytes,
} from "./limits.ts"
import type { PinpointOptions } from "./PinpointOptions.ts"

/** One event as PutEvents carries it, with where it goes: application (batch key) and endpoint. */
export interface PinpointEntry {
  readonly applicationId: string
  readonly endpointId: string
  readonly endpoint: PublicEndpoint
  /** The key of the event in its EventsBatch: the event id. */
  readonly eventId: string
  readonly event: PinpointWireEvent
}

/** A resolved option's value, or `undefined` after noting why there is none. */
const resolvedValue = <T>(resolved: HookResult<T>, violations: Array<Violation>): T | undefined => {
  if (resolved.ok) return resolved.value
  violations.push(resolved.violation)
  return undefined
}

/** A string option that must be there and not be empty (`applicationId`, `endpointId`, `eventType`). */
export const checkRequiredOption =
  (field: string) =>
  (value: unknown): Violation | undefined =>
    checkRequiredString(field, value)

/** The first rule a constant Endpoint breaks, for the factory. */
export const checkEndpointOption = (value: unknown): Violation | undefined => checkEndpoint(value)[0]

/** The first rule a constant Session breaks, for the factory. */
export const checkSessionOption = (value: unknown): Violation | undefined => checkSession(value).violations[0]

const iso8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/

/** A timestamp as Pinpoint wants it: an ISO 8601 string (never a number). */
const isoTimestamp = (value: unknown, field: string, violations: Array<Violation>): string | undefined => {
  if (value instanceof Date) {
    if (!Number.isNaN(value.getTime())) return value.toISOString()
  } else if (typeof value === "string") {
    if (iso8601.test(value) && !Number.isNaN(Date.parse(value))) return value
  } else if (value === undefined) {
    violations.push(violation(field, "required", "is required"))
    return undefined
  }
  violations.push(violation(field, "timestamp", "must be a valid Date or an ISO 8601 date-time string"))
  return undefined
}

const endpointStringMembers = ["Address", "EffectiveDate", "EndpointStatus", "OptOut", "RequestId"] as const
const endpointObjectMembers = ["Demographic", "Location", "User"] as const

/**
 * Checks an Endpoint object against the model's `PublicEndpoint` shape. The request is validated as a
 * whole, so a bad Endpoint would fail every event in it: better to reject the one event.
 */
export const checkEndpoint = (value: unknown): ReadonlyArray<Violation> => {
  if (!isJsonObject(value))
    return [violation("endpoint", "type", `must be an object, got ${describeValue(value)}`)]
  const violations: Array<Violation> = []
  const channelType = value.ChannelType
  if (channelType !== undefined && (typeof channelType !== "string" || !channelTypes.has(channelType)))
    violations.push(
      violation("endpoint.ChannelType", "enum", `must be one of ${[...channelTypes].join(", ")}`),
    )
  for (const member of endpointStringMembers)
    if (value[member] !== undefined && typeof value[member] !== "string")
      violations.push(
        violation(`endpoint.${member}`, "type", `must be a string, got ${describeValue(value[member])}`),
      )
  for (const member of endpointObjectMembers)
    if (value[member] !== undefined && !isJsonObject(value[member]))
      violations.push(
        violation(`endpoint.${member}`, "type", `must be an object, got ${describeValue(value[member])}`),
      )
  const { Attributes: attributes, Metrics: metrics } = value
  if (
    attributes !== undefined &&
    !(
      isJsonObject(attributes) &&
      Object.values(attributes).every(
        (list) => Array.isArray(list) && list.every((item) => typeof item === "string"),
      )
    )
  )
    violations.push(violation("endpoint.Attributes", "type", "must map names to lists of strings"))
  if (
    metrics !== undefined &&
    !(
      isJsonObject(metrics) &&
      Object.values(metrics).every((n) => typeof n === "number" && Number.isFinite(n))
    )
  )
    violations.push(violation("endpoint.Metrics", "type", "must map names to finite numbers"))
  return violations
}

/** Validates a session option: `Id` and `StartTimestamp` are required by the model (`Session`). */
export const checkSession = (
  value: unknown,
): { readonly session?: Session; readonly violations: ReadonlyArray<Violation> } => {
  if (value === undefined) return { violations: [] }
  const violations: Array<Violation> = []
  if (!isJsonObject(value)) {
    violations.push(violation("session", "type", `must be an object, got ${describeValue(value)}`))
    return { violations }
  }
  const badId = checkRequiredString("session.Id", value.Id)
  if (badId !== undefined) violations.push(badId)
  const id = badId === undefined ? (value.Id as string) : undefined
  const start = isoTimestamp(value.StartTimestamp, "session.StartTimestamp", violations)
  const stop =
    value.StopTimestamp === undefined
      ? undefined
      : isoTimestamp(value.StopTimestamp, "session.StopTimestamp", violations)
  const duration = value.Duration
  if (duration !== undefined && !(Number.isSafeInteger(duration) && (duration as number) >= 0))
    violations.push(violation("session.Duration", "type", "must be a non-negative integer (milliseconds)"))
  if (violations.length > 0 || id === undefined || start === undefined) return { violations }
  return {
    session: {
      Id: id,
      StartTimestamp: start,
      ...(stop === undefined ? {} : { StopTimestamp: stop }),
      ...(duration === undefined ? {} : { Duration: duration as number }),
    },
    violations,
  }
}

/**
 * Attributes and metrics of one event with the documented quotas enforced (`limits`): at most 40
 * keys in all, attribute keys up to 50 characters and values up to 200. `source` names where the
 * values came from in violations (`data` by default, or the option).
 */
const checkAttributesAndMetrics = (
  attributes: Readonly<Record<string, unknown>>,
  metrics: Readonly<Record<string, unknown>>,
  sources: { readonly attributes: string; readonly metrics: string },
  violations: Array<Violation>,
): void => {
  const attributeKeys = Object.keys(attributes)
  const metricKeys = Object.keys(metrics)
  const keyCount = attributeKeys.length + metricKeys.length
  if (keyCount > maxAttributeAndMetricKeys) {
    const field =
      sources.attributes === sources.metrics ? sources.attributes : `${sources.attributes}+${sources.metrics}`
    violations.push(
      violation(
        field,
        "maxKeys",
        `gives ${keyCount} attribute and metric keys; Pinpoint allows ${maxAttributeAndMetricKeys} per event`,
      ),
    )
  }
  for (const key of attributeKeys) {
    const value = attributes[key]
    const field = `${sources.attributes}.${key}`
    if (key.length > maxAttributeKeyLength)
      violations.push(
        violation(
          field,
          "attributeKeyLength",
          `attribute key must be at most ${maxAttributeKeyLength} characters, got ${key.length}`,
        ),
      )
    if (typeof value !== "string")
      violations.push(
        violation(field, "type", `attribute value must be a string, got ${describeValue(value)}`),
      )
    else if (value.length > maxAttributeValueLength)
      violations.push(
        violation(
          field,
          "attributeValueLength",
          `attribute value must be at most ${maxAttributeValueLength} characters, got ${value.length}`,
        ),
      )
  }
  for (const key of metricKeys) {
    const value = metrics[key]
    if (typeof value !== "number" || !Number.isFinite(value))
      violations.push(
        violation(
          `${sources.metrics}.${key}`,
          "type",
          `metric value must be a finite number, got ${describeValue(value)}`,
        ),
      )
  }
}

/**
 * Default attributes and metrics: the flat string fields of an object `data` become Attributes, its
 * finite number fields Metrics; everything else (booleans, null, objects, arrays, bytes) is not sent.
 */
const fromData = (
  data: Event["data"],
): { readonly attributes: Record<string, string>; readonly metrics: Record<string, number> } => {
  if (!isJsonObject(data)) return { attributes: {}, metrics: {} }
  const entries = Object.entries(data)
  return {
    // fromEntries defines own properties, so a `__proto__` key stays a plain key.
    attributes: Object.fromEntries(entries.filter((e): e is [string, string] => typeof e[1] === "string")),
    metrics: Object.fromEntries(
      entries.filter((e): e is [string, number] => typeof e[1] === "number" && Number.isFinite(e[1])),
    ),
  }
}

/**
 * What `encode` needs of the options. Constant `applicationId`, `endpointId`, `endpoint` and
 * `eventType` are checked by the factory, not per event.
 */
export type EncodeOptions = Pick<
  PinpointOptions,
  "applicationId" | "endpointId" | "endpoint" | "eventType" | "attributes" | "metrics" | "session"
>

/** @deprecated The former name of {@link EncodeOptions}. */
export type EncodeSettings = EncodeOptions

/**
 * JSON text size in UTF-8 bytes, as the SDK serializes the body; measured without building the
 * text. Every value measured here is a string or a plain object, so JSON has a text for it.
 */
const jsonBytes = (value: unknown): number => jsonUtf8Length(value) ?? 0

/**
 * Bytes one entry adds to a request: its event's JSON with its key, plus a full share of its
 * endpoint's EventsBatch framing (`"<endpointId>":{"Endpoint":{…},"Events":{…}},`). Endpoints shared
 * by several entries are counted once per entry, so the figure is an upper bound: requests stay
 * under 4 MB whatever the grouping.
 */
export const entryBytes = (entry: PinpointEntry): number =>
  jsonBytes(entry.eventId) +
  1 +
  jsonBytes(entry.event) +
  1 +
  jsonBytes(entry.endpointId) +
  jsonBytes(entry.endpoint) +
  utf8Length(':{"Endpoint":,"Events":{}},')

/**
 * The AWS SDK reads PutEvents results (maps keyed by endpoint id, then event id) into plain objects,
 * where a `__proto__` key loses its value: an event sent under one would be stored but reported with
 * no result (outcome unknown). So such an id is refused up front.
 */
const checkResultKey = (key: string | undefined, field: string, violations: Array<Violation>): void => {
  if (key === "__proto__")
    violations.push(
      violation(
        field,
        "resultKey",
        "must not be __proto__: the AWS SDK cannot read a PutEvents result keyed by it",
      ),
    )
}

/** Validates and translates one event. */
export const encode = (event: Event, settings: EncodeOptions): EncodeResult<PinpointEntry> => {
  const violations: Array<Violation> = []

  const applicationId = resolvedValue(
    resolveOption("applicationId", settings.applicationId, event, checkRequiredOption("applicationId")),
    violations,
  )

  let endpointId: string | undefined
  if (settings.endpointId === undefined) {
    if (event.subject === undefined || event.subject.length === 0)
      violations.push(
        violation(
          "subject",
          "required",
          "is needed as the Pinpoint endpoint id (or set the adapter's endpointId option)",
        ),
      )
    else endpointId = event.subject
  } else {
    endpointId = resolvedValue(
      resolveOption("endpointId", settings.endpointId, event, checkRequiredOption("endpointId")),
      violations,
    )
  }
  checkResultKey(endpointId, settings.endpointId === undefined ? "subject" : "endpointId", violations)
  checkResultKey(event.id, "id", violations)

  let endpoint: PublicEndpoint = {}
  if (settings.endpoint !== undefined) {
    const resolved = runHook("endpoint", settings.endpoint, event)
    if (!resolved.ok) violations.push(resolved.violation)
    else {
      // A constant was checked by the factory; a function's result is checked here, every rule.
      const bad = typeof settings.endpoint === "function" ? checkEndpoint(resolved.value) : []
      if (bad.length === 0) endpoint = resolved.value
      else violations.push(...bad)
    }
  }

  const eventType =
    settings.eventType === undefined
      ? event.type
      : resolvedValue(
          resolveOption("eventType", settings.eventType, event, checkRequiredOption("eventType")),
          violations,
        )

  const defaults =
    settings.attributes === undefined || settings.metrics === undefined ? fromData(event.data) : undefined
  let attributes: Readonly<Record<string, unknown>> = defaults?.attributes ?? {}
  let metrics: Readonly<Record<string, unknown>> = defaults?.metrics ?? {}
  if (settings.attributes !== undefined) {
    const resolved = runHook("attributes", settings.attributes, event)
    if (!resolved.ok) violations.push(resolved.violation)
    else if (isJsonObject(resolved.value)) attributes = resolved.value
    else
      violations.push(
        violation("attributes", "type", `must be an object, got ${describeValue(resolved.value)}`),
      )
  }
  if (settings.metrics !== undefined) {
    const resolved = runHook("metrics", settings.metrics, event)
    if (!resolved.ok) violations.push(resolved.violation)
    else if (isJsonObject(resolved.value)) metrics = resolved.value
    else
      violations.push(violation("metrics", "type", `must be an object, got ${describeValue(resolved.value)}`))
  }
  checkAttributesAndMetrics(
    attributes,
    metrics,
    {
      attributes: settings.attributes === undefined ? "data" : "attributes",
      metrics: settings.metrics === undefined ? "data" : "metrics",
    },
    violations,
  )

  let session: Session | undefined
  if (settings.session !== undefined) {
    const resolved = runHook("session", settings.session, event)
    if (!resolved.ok) violations.push(resolved.violation)
    else {
      const checked = checkSession(resolved.value)
      violations.push(...checked.violations)
      session = checked.session
    }
  }

  // toISOString gives a 6-digit signed year outside 0000–9999, which is not an ISO 8601 date-time.
  const year = event.time.getUTCFullYear()
  if (year < 0 || year > 9999)
    violations.push(
      violation("time", "timestamp", "must be between years 0000 and 9999 for an ISO 8601 Timestamp"),
    )

  if (
    violations.length > 0 ||
    applicationId === undefined ||
    endpointId === undefined ||
    eventType === undefined
  )
    return rejected(...violations)

  const wire: PinpointWireEvent = {
    EventType: eventType,
    Timestamp: event.time.toISOString(),
    ...(Object.keys(attributes).length === 0 ? {} : { Attributes: attributes as Record<string, string> }),
    ...(Object.keys(metrics).length === 0 ? {} : { Metrics: metrics as Record<string, number> }),
    ...(session === undefined ? {} : { Session: session }),
  }
  const eventSize = jsonBytes(wire)
  if (eventSize > maxEventBytes)
    return rejected(
      violation(
        "(event)",
        "maxEventBytes",
        `is ${eventSize} bytes as JSON; Pinpoint takes at most ${maxEventBytes}`,
      ),
    )
  const entry: PinpointEntry = { applicationId, endpointId, endpoint, eventId: event.id, event: wire }
  return encoded(entry, entryBytes(entry), { batchKey: applicationId })
}
