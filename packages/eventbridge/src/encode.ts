/**
 * One neutral event → one PutEvents entry, or the reasons EventBridge would refuse it. Everything
 * the service would reject per entry (or worse, per request) is caught here, before any request.
 */
import type { PutEventsRequestEntry } from "@aws-sdk/client-eventbridge"
import {
  checkData,
  checkString,
  describeValue,
  type EncodeResult,
  type Event,
  encoded,
  rejected,
  runHook,
  utf8Length,
  type Violation,
  violation,
} from "@eventport/core"
import type { EventBridgeOptions } from "./EventBridgeOptions.ts"
import {
  eventBusName,
  int64Bound,
  maxDetailDepth,
  maxDetailTypeLength,
  maxResourceLength,
  timeEntryBytes,
  traceHeader,
} from "./limits.ts"

/** What `encode` needs of the options. */
export type EncodeOptions = Pick<
  EventBridgeOptions,
  "eventBusName" | "resources" | "traceHeader" | "detail" | "wrapNonObjectData"
>

/**
 * AWS's PutEvents entry size (FACTS §1.3, the user guide's `getSize`): 14 bytes if `Time` is set,
 * plus the UTF-8 bytes of Source, DetailType, Detail and each Resources string. EventBusName and
 * TraceHeader do not count.
 */
export const putEventsEntrySize = (entry: PutEventsRequestEntry): number => {
  let size = entry.Time === undefined ? 0 : timeEntryBytes
  if (entry.Source !== undefined) size += utf8Length(entry.Source)
  if (entry.DetailType !== undefined) size += utf8Length(entry.DetailType)
  if (entry.Detail !== undefined) size += utf8Length(entry.Detail)
  for (const resource of entry.Resources ?? []) size += utf8Length(resource)
  return size
}

const isJsonObject = (u: unknown): u is Record<string, unknown> =>
  typeof u === "object" && u !== null && !Array.isArray(u) && !(u instanceof Uint8Array)

/**
 * Nesting (the object itself is level 1, each nested object or array one more, as the emulator
 * counts) and int64 range of the integers the JSON text will hold. Iterative: hostile depth is
 * reported, never a stack overflow. Runs on every event, so it allocates no path while all is
 * well: each value remembers its parent and key, and the path is spelled out only for a violation.
 */
const detailShapeViolation = (detail: object, field: string): Violation | undefined => {
  const values: Array<unknown> = [detail]
  const levels: Array<number> = [1]
  const parents: Array<number> = [-1]
  const keys: Array<string | number> = [""]
  const maxPathSegments = 12
  const pathOf = (at: number): string => {
    const parts: Array<string> = []
    for (let i = at; i > 0; i = parents[i]!) {
      const key = keys[i]!
      parts.push(typeof key === "number" ? `[${key}]` : `.${key}`)
    }
    parts.reverse()
    // A path through 1,000 levels would make a message of thousands of characters: keep both ends.
    if (parts.length > maxPathSegments)
      return `${field}${parts.slice(0, 4).join("")}…(${parts.length - 8} levels)…${parts.slice(-4).join("")}`
    return field + parts.join("")
  }
  // Depth-first over a stack of indexes into the parallel arrays above.
  const stack: Array<number> = [0]
  while (stack.length > 0) {
    const at = stack.pop()!
    const value = values[at]
    if (typeof value === "number") {
      // 1e21 and up serialize in exponent form, which JSON parsers read as a float, not an integer.
      if (
        Number.isInteger(value) &&
        (value >= int64Bound || value < -int64Bound) &&
        !String(value).includes("e")
      )
        return violation(pathOf(at), "int64", "is an integer outside the int64 range EventBridge accepts")
      continue
    }
    if (typeof value !== "object" || value === null) continue
    const level = levels[at]!
    if (level > maxDetailDepth)
      return violation(
        pathOf(at),
        "maxDepth",
        `nests deeper than the ${maxDetailDepth} levels EventBridge processes`,
      )
    const push = (key: string | number, child: unknown) => {
      // Only numbers and containers can break a rule: strings, booleans and null need no visit.
      if (typeof child !== "number" && (typeof child !== "object" || child === null)) return
      stack.push(values.length)
      values.push(child)
      levels.push(level + 1)
      parents.push(at)
      keys.push(key)
    }
    if (Array.isArray(value)) for (let i = 0; i < value.length; i++) push(i, value[i])
    else for (const key of Object.keys(value)) push(key, (value as Record<string, unknown>)[key])
  }
  return undefined
}

/** The Detail object, or why there is none. */
const detailOf = (event: Event, options: EncodeOptions): { detail: object; field: string } | Violation => {
  if (options.detail !== undefined) {
    const built = runHook("detail", options.detail, event)
    if (!built.ok) return built.violation
    // Event data was checked by the core; a hook's result was not.
    const notJson = checkData(built.value)
    if (notJson !== undefined) return { ...notJson, field: notJson.field.replace(/^data/, "detail") }
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

/** `Resources`: strings (never null), each at most 2048 characters. */
export const resourcesViolations = (resources: unknown): ReadonlyArray<Violation> => {
  if (!Array.isArray(resources))
    return [violation("resources", "type", `must be an array of strings, got ${describeValue(resources)}`)]
  const found: Array<Violation> = []
  resources.forEach((resource: unknown, i) => {
    const field = `resources[${i}]`
    // A null resource made the service fail the whole request with a "retryable" InternalFailure.
    const bad = checkString(field, resource, { max: maxResourceLength })
    if (bad !== undefined) found.push(bad)
  })
  return found
}

/** Validates and translates one event. Never throws; hooks that throw reject the event. */
export const encode = (event: Event, options: EncodeOptions): EncodeResult<PutEventsRequestEntry> => {
  const violations: Array<Violation> = []
  const note = (v: Violation | undefined) => {
    if (v !== undefined) violations.push(v)
  }

  note(checkString("source", event.source, { min: 1 }))
  // Characters counted as UTF-16 code units: the stricter reading of "128 characters".
  note(checkString("type", event.type, { min: 1, max: maxDetailTypeLength }))

  let detailText: string | undefined
  const detail = detailOf(event, options)
  if ("rule" in detail) note(detail)
  else {
    const shape = detailShapeViolation(detail.detail, detail.field)
    if (shape !== undefined) note(shape)
    else detailText = JSON.stringify(detail.detail)
  }

  const entry: PutEventsRequestEntry = {
    Time: event.time,
    Source: event.source,
    DetailType: event.type,
    ...(detailText === undefined ? {} : { Detail: detailText }),
  }

  if (options.resources !== undefined) {
    const resources = runHook("resources", options.resources, event)
    if (!resources.ok) note(resources.violation)
    else if (resources.value !== undefined) {
      const bad = resourcesViolations(resources.value)
      violations.push(...bad)
      if (bad.length === 0 && resources.value.length > 0) entry.Resources = [...resources.value]
    }
  }

  if (options.eventBusName !== undefined) {
    const name = runHook("eventBusName", options.eventBusName, event)
    if (!name.ok) note(name.violation)
    else if (name.value !== undefined) {
      note(checkedEventBusName(name.value))
      entry.EventBusName = name.value
    }
  }

  if (options.traceHeader !== undefined) {
    const header = runHook("traceHeader", options.traceHeader, event)
    if (!header.ok) note(header.violation)
    else if (header.value !== undefined) {
      note(traceHeaderViolation(header.value))
      entry.TraceHeader = header.value
    }
  }

  if (violations.length > 0) return rejected(...violations)
  return encoded(entry, putEventsEntrySize(entry))
}

/** `EventBusName`: 1–1600 characters, a bus name or an event-bus ARN (anchored pattern). */
export const eventBusNameViolation = (name: unknown): Violation | undefined =>
  checkString("eventBusName", name, {
    ...eventBusName,
    patternText: "a bus name ([.\\-_A-Za-z0-9]+) or an event-bus ARN",
  })

/**
 * The last bus name found valid: a publisher sends to one bus (or a few), so the pattern needs
 * checking once, not for every event (it was a tenth of encode's time on small events).
 */
let validEventBusName: string | undefined

const checkedEventBusName = (name: unknown): Violation | undefined => {
  if (name === validEventBusName) return undefined
  const bad = eventBusNameViolation(name)
  if (bad === undefined && typeof name === "string") validEventBusName = name
  return bad
}

/** `TraceHeader`: 1–500 characters. */
export const traceHeaderViolation = (header: unknown): Violation | undefined =>
  checkString("traceHeader", header, traceHeader)
