/**
 * One event → one Pinpoint Event under its endpoint id, or the reasons Pinpoint would refuse it.
 */
import type { Event as PinpointWireEvent, PublicEndpoint, Session } from "@aws-sdk/client-pinpoint"
import {
  describeValue,
  type EncodeResult,
  type Event,
  encoded,
  type HookResult,
  type PerEvent,
  rejected,
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

const isPlainRecord = (u: unknown): u is Readonly<Record<string, unknown>> =>
  typeof u === "object" && u !== null && !Array.isArray(u) && !(u instanceof Uint8Array)

/** Resolves an option for the event (core `runHook`), noting the violation when its function throws. */
const resolveOption = <T>(
  option: PerEvent<T>,
  event: Event,
  field: string,
  violations: Array<Violation>,
): HookResult<T> => {
  const resolved = runHook(field, option, event)
  if (!resolved.ok) violations.push(resolved.violation)
  return resolved
}

const nonEmptyString = (value: unknown, field: string, violations: Array<Violation>): string | undefined => {
  if (value === undefined) violations.push(violation(field, "required", "is required"))
  else if (typeof value !== "string")
    violations.push(violation(field, "type", `must be a string, got ${describeValue(value)}`))
  else if (value.length === 0) violations.push(violation(field, "minLength", "must not be empty"))
  else return value
  return undefined
}

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
 * Checks an Endpoint object against the model's shape (FACTS §4.2). The request is validated as a
 * whole, so a bad Endpoint would fail every event in it: better to reject the one event.
 */
export const checkEndpoint = (value: unknown): ReadonlyArray<Violation> => {
  if (!isPlainRecord(value))
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
    if (value[member] !== undefined && !isPlainRecord(value[member]))
      violations.push(
        violation(`endpoint.${member}`, "type", `must be an object, got ${describeValue(value[member])}`),
      )
  const { Attributes: attributes, Metrics: metrics } = value
  if (
    attributes !== undefined &&
    !(
      isPlainRecord(attributes) &&
      Object.values(attributes).every(
        (list) => Array.isArray(list) && list.every((item) => typeof item === "string"),
      )
    )
  )
    violations.push(violation("endpoint.Attributes", "type", "must map names to lists of strings"))
  if (
    metrics !== undefined &&
    !(
      isPlainRecord(metrics) &&
      Object.values(metrics).every((n) => typeof n === "number" && Number.isFinite(n))
    )
  )
    violations.push(violation("endpoint.Metrics", "type", "must map names to finite numbers"))
  return violations
}

/** Validates a session option: `Id` and `StartTimestamp` are required by the model (FACTS §4.2). */
export const checkSession = (
  value: unknown,
): { readonly session?: Session; readonly violations: ReadonlyArray<Violation> } => {
  if (value === undefined) return { violations: [] }
  const violations: Array<Violation> = []
  if (!isPlainRecord(value)) {
    violations.push(violation("session", "type", `must be an object, got ${describeValue(value)}`))
    return { violations }
  }
  const id = nonEmptyString(value.Id, "session.Id", violations)
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
 * Attributes and metrics of one event with the documented quotas enforced (FACTS §4.3): at most 40
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
  if (!isPlainRecord(data)) return { attributes: {}, metrics: {} }
  const entries = Object.entries(data)
  return {
    // fromEntries defines own properties, so a `__proto__` key stays a plain key.
    attributes: Object.fromEntries(entries.filter((e): e is [string, string] => typeof e[1] === "string")),
    metrics: Object.fromEntries(
      entries.filter((e): e is [string, number] => typeof e[1] === "number" && Number.isFinite(e[1])),
    ),
  }
}

/** Settings `encode` needs, as the factory resolved them. */
export type EncodeSettings = Pick<
  PinpointOptions,
  "applicationId" | "endpointId" | "endpoint" | "eventType" | "attributes" | "metrics" | "session"
>

/** JSON text size in UTF-8 bytes, as the SDK serializes the body. */
const jsonBytes = (value: unknown): number => utf8Length(JSON.stringify(value))

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
export const encode = (event: Event, settings: EncodeSettings): EncodeResult<PinpointEntry> => {
  const violations: Array<Violation> = []

  const app = resolveOption(settings.applicationId, event, "applicationId", violations)
  const applicationId = app.ok ? nonEmptyString(app.value, "applicationId", violations) : undefined

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
    const resolved = resolveOption(settings.endpointId, event, "endpointId", violations)
    if (resolved.ok) endpointId = nonEmptyString(resolved.value, "endpointId", violations)
  }
  checkResultKey(endpointId, settings.endpointId === undefined ? "subject" : "endpointId", violations)
  checkResultKey(event.id, "id", violations)

  let endpoint: PublicEndpoint = {}
  if (settings.endpoint !== undefined) {
    const resolved = resolveOption(settings.endpoint, event, "endpoint", violations)
    if (resolved.ok) {
      const bad = checkEndpoint(resolved.value)
      if (bad.length === 0) endpoint = resolved.value
      else violations.push(...bad)
    }
  }

  const type =
    settings.eventType === undefined
      ? { ok: true as const, value: event.type }
      : resolveOption(settings.eventType, event, "eventType", violations)
  const eventType = type.ok ? nonEmptyString(type.value, "eventType", violations) : undefined

  const defaults =
    settings.attributes === undefined || settings.metrics === undefined ? fromData(event.data) : undefined
  let attributes: Readonly<Record<string, unknown>> = defaults?.attributes ?? {}
  let metrics: Readonly<Record<string, unknown>> = defaults?.metrics ?? {}
  if (settings.attributes !== undefined) {
    const resolved = resolveOption(settings.attributes, event, "attributes", violations)
    if (resolved.ok && isPlainRecord(resolved.value)) attributes = resolved.value
    else if (resolved.ok)
      violations.push(
        violation("attributes", "type", `must be an object, got ${describeValue(resolved.value)}`),
      )
  }
  if (settings.metrics !== undefined) {
    const resolved = resolveOption(settings.metrics, event, "metrics", violations)
    if (resolved.ok && isPlainRecord(resolved.value)) metrics = resolved.value
    else if (resolved.ok)
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
    const resolved = resolveOption(settings.session, event, "session", violations)
    if (resolved.ok) {
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
