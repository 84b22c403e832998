/**
 * One neutral event → one PutEvents entry, or the reasons EventBridge would refuse it. Everything
 * the service would reject per entry (or worse, per request) is caught here, before any request.
 */
import type { PutEventsRequestEntry } from "@aws-sdk/client-eventbridge"
import {
  checkHookData,
  checkJsonTree,
  checkString,
  describeValue,
  type EncodeResult,
  type Event,
  encoded,
  isJsonObject,
  type JsonNumberRule,
  type JsonTreeRules,
  rejected,
  resolveOption,
  runHook,
  utf8Length,
  type Violation,
  violation,
} from "@eventport/core"
import type { EventBridgeOptions } from "./EventBridgeOptions.ts"
import {
  eventBusName,
  maxDetailDepth,
  maxDetailTypeLength,
  maxResourceLength,
  timeEntryBytes,
  traceHeader,
} from "./limits.ts"

/** What `encode` needs of the options, with the defaults the factory applied. */
export type EncodeOptions = Pick<
  EventBridgeOptions,
  "eventBusName" | "resources" | "traceHeader" | "detail" | "wrapNonObjectData"
>

/**
 * AWS's PutEvents entry size (the user guide's `getSize`,
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/calculate-putevents-entry-size.html):
 * 14 bytes if `Time` is set, plus the UTF-8 bytes of Source, DetailType, Detail and each Resources
 * string. EventBusName and TraceHeader do not count.
 */
export const entryBytes = (entry: PutEventsRequestEntry): number => {
  let size = entry.Time === undefined ? 0 : timeEntryBytes
  if (entry.Source !== undefined) size += utf8Length(entry.Source)
  if (entry.DetailType !== undefined) size += utf8Length(entry.DetailType)
  if (entry.Detail !== undefined) size += utf8Length(entry.Detail)
  const resources = entry.Resources
  if (resources !== undefined) for (const resource of resources) size += utf8Length(resource)
  return size
}

/** @deprecated Use {@link entryBytes}, the name every adapter gives its size rule. */
export const putEventsEntrySize: (entry: PutEventsRequestEntry) => number = entryBytes

const int64Min = -(2n ** 63n)
const int64Max = 2n ** 63n - 1n

/**
 * Detail integers must fit int64 as the JSON text carries them: `JSON.stringify(-(2 ** 63))` is
 * `-9223372036854776000`, outside int64, though the JS number itself is in range. Numbers in
 * exponent form (1e21 and up) are read as floats by JSON parsers, so they are not integers here.
 */
const int64: JsonNumberRule = (value) => {
  if (!Number.isInteger(value) || (value < 2 ** 53 && value > -(2 ** 53))) return undefined
  const text = JSON.stringify(value)
  if (text.includes("e")) return undefined
  const integer = BigInt(text)
  return integer < int64Min || integer > int64Max
    ? { rule: "int64", message: `is ${text} in JSON, outside the int64 range EventBridge accepts` }
    : undefined
}

/** The Detail object, or why there is none. */
const detailOf = (event: Event, options: EncodeOptions): { detail: object; field: string } | Violation => {
  if (options.detail !== undefined) {
    const built = runHook("detail", options.detail, event)
    if (!built.ok) return built.violation
    const notJson = checkHookData("detail", built.value)
    if (notJson !== undefined) return notJson
    if (!isJsonObject(built.value))
      return violation("detail", "jsonObject", `must return a JSON object, got ${describeValue(built.value)}`)
    return { detail: built.value, field: "detail" }
  }
  const data = event.data
  if (isJsonObject(data)) return { detail: data, field: "data" }
  if (options.wrapNonObjectData !== true)
    return violation(
      "data",
      "jsonObject",
      `must be a JSON object to become the EventBridge Detail, got ${describeValue(data)} (set wrapNonObjectData to send it wrapped)`,
    )
  return data instanceof Uint8Array
    ? { detail: { data_base64: Buffer.from(data).toString("base64") }, field: "data" }
    : { detail: { data }, field: "data" }
}

/** `Resources`: strings (never null), each at most 2048 characters. Every violation. */
export const checkResources = (resources: unknown): ReadonlyArray<Violation> => {
  if (!Array.isArray(resources))
    return [violation("resources", "type", `must be an array of strings, got ${describeValue(resources)}`)]
  const found: Array<Violation> = []
  resources.forEach((resource: unknown, i) => {
    // A null resource made the service fail the whole request with a "retryable" InternalFailure.
    const bad = checkString(`resources[${i}]`, resource, { max: maxResourceLength })
    if (bad !== undefined) found.push(bad)
  })
  return found
}

/** `EventBusName`: 1–1600 characters, a bus name or an event-bus ARN (anchored pattern). */
export const checkEventBusName = (name: unknown): Violation | undefined =>
  checkString("eventBusName", name, eventBusName)

/** `TraceHeader`: 1–500 characters. */
export const checkTraceHeader = (header: unknown): Violation | undefined =>
  checkString("traceHeader", header, traceHeader)

const sourceRule = { min: 1 }
const detailTypeRule = { min: 1, max: maxDetailTypeLength }

const checkOptionalEventBusName = (name: string | undefined) =>
  name === undefined ? undefined : checkEventBusName(name)
const checkOptionalTraceHeader = (header: string | undefined) =>
  header === undefined ? undefined : checkTraceHeader(header)

/** The Detail rules: EventBridge's nesting limit and int64 integers. */
const detailRules: JsonTreeRules = { maxDepth: maxDetailDepth, depthLimitBy: "EventBridge", number: int64 }

/** `list` with `v` added (made on the first violation: an event that is fine allocates none). */
const noted = (
  list: Array<Violation> | undefined,
  v: Violation | undefined,
): Array<Violation> | undefined => {
  if (v === undefined) return list
  if (list === undefined) return [v]
  list.push(v)
  return list
}

/** Validates and translates one event. Never throws; hooks that throw reject the event. */
export const encode = (event: Event, options: EncodeOptions): EncodeResult<PutEventsRequestEntry> => {
  const source = event.source
  const type = event.type
  let violations = noted(undefined, checkString("source", source, sourceRule))
  // Characters counted as UTF-16 code units: the stricter reading of "128 characters".
  violations = noted(violations, checkString("type", type, detailTypeRule))

  let detailText: string | undefined
  // The usual case (data is the Detail object) without the intermediate result of detailOf.
  let root: object | undefined
  let rootField = "data"
  if (options.detail === undefined && isJsonObject(event.data)) root = event.data
  else {
    const detail = detailOf(event, options)
    if ("rule" in detail) violations = noted(violations, detail)
    else {
      root = detail.detail
      rootField = detail.field
    }
  }
  if (root !== undefined) {
    const shape = checkJsonTree(root, rootField, detailRules)
    if (shape !== undefined) violations = noted(violations, shape)
    else detailText = JSON.stringify(root)
  }

  let resources: ReadonlyArray<string> | undefined
  if (options.resources !== undefined) {
    const resolved = runHook("resources", options.resources, event)
    if (!resolved.ok) violations = noted(violations, resolved.violation)
    else if (resolved.value !== undefined) {
      // A constant list was checked at construction; a function's is checked here, every resource.
      const bad = typeof options.resources === "function" ? checkResources(resolved.value) : []
      for (const v of bad) violations = noted(violations, v)
      if (bad.length === 0 && resolved.value.length > 0) resources = resolved.value
    }
  }

  let busName: string | undefined
  const busOption = options.eventBusName
  // A constant was checked at construction.
  if (typeof busOption === "string") busName = busOption
  else if (busOption !== undefined) {
    const name = resolveOption("eventBusName", busOption, event, checkOptionalEventBusName)
    if (!name.ok) violations = noted(violations, name.violation)
    else busName = name.value
  }

  let header: string | undefined
  if (options.traceHeader !== undefined) {
    const resolved = resolveOption("traceHeader", options.traceHeader, event, checkOptionalTraceHeader)
    if (!resolved.ok) violations = noted(violations, resolved.violation)
    else header = resolved.value
  }

  if (violations !== undefined) return rejected(...violations)
  const entry: PutEventsRequestEntry = {
    Time: event.time,
    Source: source,
    DetailType: type,
    Detail: detailText,
  }
  if (resources !== undefined) entry.Resources = [...resources]
  if (busName !== undefined) entry.EventBusName = busName
  if (header !== undefined) entry.TraceHeader = header
  return encoded(entry, entryBytes(entry))
}
