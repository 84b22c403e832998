/**
 * The neutral event: CloudEvents 1.0-aligned and free of any destination's fields.
 * Destination specifics (bus names, channels, application ids…) are adapter options.
 */
import { describeThrown } from "./internal/Thrown.ts"

/** Any value JSON can carry. */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | ReadonlyArray<JsonValue>
  | { readonly [key: string]: JsonValue }

/** An event payload: a JSON value, or raw bytes for binary data. */
export type EventData = JsonValue | Uint8Array

/** CloudEvents extension attribute values are scalars. */
export type ExtensionValue = string | number | boolean

/** A normalized event, as adapters and outcomes see it. */
export interface Event<Data extends EventData = EventData> {
  readonly id: string
  readonly type: string
  readonly source: string
  readonly time: Date
  readonly subject?: string
  readonly data: Data
  readonly dataContentType?: string
  readonly extensions?: Readonly<Record<string, ExtensionValue>>
}

/** What application code writes: `id` and `time` are filled in when absent. */
export interface EventInput<Data extends EventData = EventData> {
  readonly id?: string
  readonly type: string
  readonly source: string
  readonly time?: Date | string
  readonly subject?: string
  readonly data: Data
  readonly dataContentType?: string
  readonly extensions?: Readonly<Record<string, ExtensionValue>>
}

/** Why an event (or an event for one destination) cannot be sent: which field, which rule. */
export interface Violation {
  /** Dotted path of the offending field, e.g. `type`, `data.temp-01`, `extensions.traceparent`. */
  readonly field: string
  /** Short, stable name of the rule, e.g. `required`, `maxLength`, `pattern`. */
  readonly rule: string
  /** A sentence a person can act on. Never contains payload values. */
  readonly message: string
}

const EventErrorTypeId: unique symbol = Symbol.for("@eventport/core/InvalidEventError") as never

/** Thrown by {@link createEvent} for an event that breaks the event model's own rules. */
export class InvalidEventError extends Error {
  readonly [EventErrorTypeId] = true
  override readonly name = "InvalidEventError"
  readonly eventId: string | undefined
  readonly violations: ReadonlyArray<Violation>
  constructor(eventId: string | undefined, violations: ReadonlyArray<Violation>) {
    super(
      `Invalid event${eventId === undefined ? "" : ` ${eventId}`}: ${violations.map((v) => `${v.field}: ${v.message}`).join("; ")}`,
    )
    this.eventId = eventId
    this.violations = violations
  }
  /** `instanceof` that survives two copies of the package in one install. */
  static isInstance(u: unknown): u is InvalidEventError {
    return typeof u === "object" && u !== null && EventErrorTypeId in u
  }
}

/** CloudEvents 1.0 context attribute names (and the structured format's `data`/`data_base64`): no extension may take one. */
export const cloudEventContextAttributes: ReadonlySet<string> = new Set([
  "id",
  "type",
  "source",
  "specversion",
  "time",
  "subject",
  "data",
  "data_base64",
  "datacontenttype",
  "dataschema",
])

/** CloudEvents 1.0: extension names are lower-case ASCII letters and digits, at most 20 characters. */
const extensionName = /^[a-z0-9]{1,20}$/

/** ASCII codes of each byte's two lower-case hex digits. */
const hexHigh = new Uint8Array(256)
const hexLow = new Uint8Array(256)
for (let i = 0; i < 256; i++) {
  const digits = i.toString(16).padStart(2, "0")
  hexHigh[i] = digits.charCodeAt(0)
  hexLow[i] = digits.charCodeAt(1)
}
/** CSPRNG bytes for 256 ids, refilled when used up (as Node's own randomUUID pools them). */
const randomPool = new Uint8Array(16 * 256)
let randomAt = randomPool.length

/**
 * Lower-case hexadecimal UUIDv4 from the platform's CSPRNG. Built as one flat 36-character string:
 * `crypto.randomUUID()` (Node 24) concatenates it from 20 pieces, and the rope of ~480 bytes stays
 * behind every queued event until something flattens it; this one costs 56 bytes.
 */
export const generateEventId = (): string => {
  if (randomAt >= randomPool.length) {
    globalThis.crypto.getRandomValues(randomPool)
    randomAt = 0
  }
  const b = randomAt
  randomAt += 16
  const p = randomPool
  const v6 = (p[b + 6]! & 0x0f) | 0x40 // version 4
  const v8 = (p[b + 8]! & 0x3f) | 0x80 // variant 10xx
  const h = hexHigh
  const l = hexLow
  // biome-ignore format: one line per group of the UUID
  return String.fromCharCode(
    h[p[b]!]!, l[p[b]!]!, h[p[b + 1]!]!, l[p[b + 1]!]!, h[p[b + 2]!]!, l[p[b + 2]!]!, h[p[b + 3]!]!, l[p[b + 3]!]!,
    45,
    h[p[b + 4]!]!, l[p[b + 4]!]!, h[p[b + 5]!]!, l[p[b + 5]!]!,
    45,
    h[v6]!, l[v6]!, h[p[b + 7]!]!, l[p[b + 7]!]!,
    45,
    h[v8]!, l[v8]!, h[p[b + 9]!]!, l[p[b + 9]!]!,
    45,
    h[p[b + 10]!]!, l[p[b + 10]!]!, h[p[b + 11]!]!, l[p[b + 11]!]!, h[p[b + 12]!]!, l[p[b + 12]!]!,
    h[p[b + 13]!]!, l[p[b + 13]!]!, h[p[b + 14]!]!, l[p[b + 14]!]!, h[p[b + 15]!]!, l[p[b + 15]!]!,
  )
}

/**
 * The deepest `data` may nest: objects and arrays at most this many levels inside one another, the
 * outermost being level 1. It is EventBridge's rule ("nesting is processed to at most 1000 levels",
 * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html, Detail), the
 * strictest of the destinations, so data that validates can be carried by every adapter; the check
 * is iterative, so deeper data is a `maxDepth` violation, never a stack overflow.
 */
export const maxDataDepth = 1000

const isPlainObject = (u: unknown): u is Record<string, unknown> => {
  if (typeof u !== "object" || u === null) return false
  const proto = Object.getPrototypeOf(u)
  return proto === Object.prototype || proto === null
}

const describe = (u: unknown): string => {
  try {
    return u === null ? "null" : Array.isArray(u) ? "array" : u instanceof Date ? "Date" : typeof u
  } catch {
    return "a revoked or hostile proxy"
  }
}

/**
 * Allocation-free check of the usual case: small, shallow JSON. Answers `true` (valid JSON),
 * or `false` when it cannot tell cheaply (too deep, too big, or invalid): then the full walk runs
 * and names the offending field. Cycles exceed the depth budget, so they are never missed. It may
 * throw (a getter, a proxy trap): the caller then runs the full walk, which names the field.
 */
let quickBudget = 0
const quickJsonCheck = (value: unknown, depth: number): boolean => {
  switch (typeof value) {
    case "string":
    case "boolean":
      return true
    case "number":
      return Number.isFinite(value)
    case "object": {
      if (value === null) return true
      if (depth > 32 || --quickBudget < 0) return false
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!quickJsonCheck(value[i], depth + 1)) return false
        return true
      }
      if (!isPlainObject(value)) return false
      for (const key in value) {
        if (!Object.hasOwn(value, key)) return false
        if (!quickJsonCheck((value as Record<string, unknown>)[key], depth + 1)) return false
      }
      return true
    }
    default:
      return false
  }
}

/** One object or array on the walk's current path, and where the walk is inside it. */
interface Container {
  readonly value: object
  /** Own enumerable keys of an object; `undefined` for an array. */
  readonly keys: ReadonlyArray<string> | undefined
  readonly length: number
  next: number
}

/** A path through 1,000 levels would make a message of thousands of characters: keep both ends. */
const maxPathSegments = 12

const pathOf = (root: string, segments: ReadonlyArray<string | number>): string => {
  const parts = segments.map((key) => (typeof key === "number" ? `[${key}]` : `.${key}`))
  if (parts.length > maxPathSegments)
    return `${root}${parts.slice(0, 4).join("")}…(${parts.length - 8} levels)…${parts.slice(-4).join("")}`
  return root + parts.join("")
}

const constructorName = (value: object): string => {
  try {
    const name = Object.getPrototypeOf(value)?.constructor?.name
    return typeof name === "string" && name.length > 0 ? name : "object"
  } catch {
    return "object"
  }
}

/**
 * The full walk: depth-first over an explicit stack of the containers on the current path, so it
 * cannot overflow the call stack however deep the data, and a value met twice on different paths
 * (a shared reference, which JSON carries as two copies) is not taken for a cycle: only a value that
 * contains itself is. Every read is guarded, so a throwing getter or proxy trap names its field.
 * Longer than most functions on purpose: `visit` and the loop share the explicit stack (`path`,
 * `onPath`), which split-out functions would have to be handed for every value walked.
 */
const walkData = (data: unknown, root: string, maxDepth: number): Violation | undefined => {
  const path: Array<Container> = []
  const onPath = new Set<object>()
  const segmentsTo = (): Array<string | number> => {
    const segments: Array<string | number> = []
    for (let i = 0; i < path.length; i++) {
      const c = path[i]!
      const at = c.next - 1
      segments.push(c.keys === undefined ? at : c.keys[at]!)
    }
    return segments
  }
  // The value is `data` itself, or the child the innermost container's `next` just passed.
  const visit = (value: unknown): Violation | undefined => {
    const field = () => pathOf(root, segmentsTo())
    switch (typeof value) {
      case "string":
      case "boolean":
        return undefined
      case "number":
        return Number.isFinite(value)
          ? undefined
          : { field: field(), rule: "json", message: `${value} is not a JSON number` }
      case "object": {
        if (value === null) return undefined
        if (onPath.has(value)) {
          const at = path.findIndex((c) => c.value === value)
          const ancestor = pathOf(root, segmentsTo().slice(0, at))
          return {
            field: field(),
            rule: "json",
            message: `cyclic reference: contains ${ancestor}, which JSON cannot carry`,
          }
        }
        const level = path.length + 1
        if (level > maxDepth)
          return {
            field: field(),
            rule: "maxDepth",
            message: `is at nesting level ${level}; event data may nest at most ${maxDepth} levels (maxDataDepth)`,
          }
        let container: Container
        try {
          if (Array.isArray(value)) container = { value, keys: undefined, length: value.length, next: 0 }
          else if (isPlainObject(value)) {
            const keys = Object.keys(value)
            container = { value, keys, length: keys.length, next: 0 }
          } else
            return {
              field: field(),
              rule: "json",
              message: `${constructorName(value)} instance is not a plain JSON object`,
            }
        } catch (error) {
          return {
            field: field(),
            rule: "access",
            message: `reading it threw ${describeThrown(error)}`,
          }
        }
        path.push(container)
        onPath.add(value)
        return undefined
      }
      default:
        return { field: field(), rule: "json", message: `${typeof value} is not a JSON value` }
    }
  }
  const first = visit(data)
  if (first !== undefined) return first
  while (path.length > 0) {
    const top = path[path.length - 1]!
    if (top.next >= top.length) {
      path.pop()
      onPath.delete(top.value)
      continue
    }
    const key = top.keys === undefined ? top.next : top.keys[top.next]!
    top.next++
    let child: unknown
    try {
      child = (top.value as Record<string | number, unknown>)[key]
    } catch (error) {
      return {
        field: pathOf(root, segmentsTo()),
        rule: "access",
        message: `reading it threw ${describeThrown(error)}`,
      }
    }
    const violation = visit(child)
    if (violation !== undefined) return violation
  }
  return undefined
}

/**
 * Checks `data` is a JSON value (or bytes) nested at most `maxDepth` levels ({@link maxDataDepth}),
 * naming the offending field and rule. Never throws and never recurses on the stack, so hostile
 * input (deep nesting, cycles, BigInt, NaN, class instances, throwing getters, proxies) is reported
 * instead of crashing. Shared references are fine (JSON carries them as copies); cycles are not.
 */
export const checkData = (data: unknown, maxDepth: number = maxDataDepth): Violation | undefined => {
  try {
    if (data instanceof Uint8Array) return undefined
    if (maxDepth >= 32) {
      quickBudget = 256
      try {
        if (quickJsonCheck(data, 0)) return undefined
      } catch {
        // A getter or proxy trap threw: the full walk finds and names it.
      }
    }
    return walkData(data, "data", maxDepth)
  } catch (error) {
    // Only a proxy hostile to `instanceof` gets here: the walk guards its own reads.
    return { field: "data", rule: "access", message: `reading it threw ${describeThrown(error)}` }
  }
}

const nonEmptyString = (input: EventFields, field: keyof EventFields, violations: Array<Violation>) => {
  const value = input[field]
  if (value === undefined) violations.push({ field, rule: "required", message: "is required" })
  else if (typeof value !== "string")
    violations.push({ field, rule: "type", message: `must be a string, got ${describe(value)}` })
  else if (value.length === 0) violations.push({ field, rule: "minLength", message: "must not be empty" })
}

const optionalString = (input: EventFields, field: keyof EventFields, violations: Array<Violation>) => {
  const value = input[field]
  if (value !== undefined && typeof value !== "string")
    violations.push({ field, rule: "type", message: `must be a string, got ${describe(value)}` })
}

const isNonEmptyString = (u: unknown): u is string => typeof u === "string" && u.length > 0

/**
 * The common case (valid, no extensions) without collecting violations; undefined means "check
 * fully". Reads each field once, so a getter cannot show validation one value and the event another.
 * May throw (a getter, a proxy trap): the caller then checks fully, with every read guarded.
 */
const quickValidEvent = (raw: Record<string, unknown>, now: () => Date): Event | undefined => {
  const { id, type, source, subject, dataContentType, extensions, time: t, data } = raw
  if (
    !isNonEmptyString(type) ||
    !isNonEmptyString(source) ||
    (id !== undefined && !isNonEmptyString(id)) ||
    (subject !== undefined && typeof subject !== "string") ||
    (dataContentType !== undefined && typeof dataContentType !== "string") ||
    extensions !== undefined ||
    (data === undefined && !("data" in raw)) ||
    checkData(data) !== undefined
  )
    return undefined
  const time =
    t === undefined ? now() : t instanceof Date ? t : typeof t === "string" ? new Date(t) : undefined
  if (time === undefined || Number.isNaN(time.getTime())) return undefined
  const event: { -readonly [K in keyof Event]: Event[K] } = {
    id: id ?? generateEventId(),
    type,
    source,
    time,
    data: data as EventData,
  }
  if (subject !== undefined) event.subject = subject
  if (dataContentType !== undefined) event.dataContentType = dataContentType
  return event
}

/** The fields of an input, each read once; a read that threw is a violation instead. */
interface EventFields {
  id?: unknown
  type?: unknown
  source?: unknown
  time?: unknown
  subject?: unknown
  data?: unknown
  dataContentType?: unknown
  extensions?: unknown
}

const eventFieldNames = [
  "id",
  "type",
  "source",
  "time",
  "subject",
  "data",
  "dataContentType",
  "extensions",
] as const

const unreadable = (field: string, error: unknown): Violation => ({
  field,
  rule: "access",
  message: `reading it threw ${describeThrown(error)}`,
})

/** The default clock of {@link validateEvent}; one function, not a new closure per call. */
const currentTime = () => new Date()

/** Result of {@link validateEvent}: the normalized event, or every violation found. */
export type EventValidation =
  | { readonly ok: true; readonly event: Event }
  | {
      readonly ok: false
      readonly eventId: string | undefined
      readonly violations: ReadonlyArray<Violation>
    }

const notAnEvent = (message: string, rule = "type"): EventValidation => ({
  ok: false,
  eventId: undefined,
  violations: [{ field: "(event)", rule, message }],
})

/**
 * Validates an {@link EventInput} (or anything claiming to be one) and normalizes it:
 * generates `id`, defaults `time` to `now`, parses string times. Never throws: a getter or proxy
 * trap that throws, a revoked proxy, an unreadable `time` become violations (rule `access` naming
 * the field and what was thrown, or the field's own rule).
 */
export const validateEvent = (input: unknown, now: () => Date = currentTime): EventValidation => {
  if (typeof input !== "object" || input === null)
    return notAnEvent(`an event must be an object, got ${describe(input)}`)
  const raw = input as Record<string, unknown>
  try {
    const quick = quickValidEvent(raw, now)
    if (quick !== undefined) return { ok: true, event: quick }
  } catch {
    // A hostile member: the full check below reads each field guarded and names it.
  }
  try {
    return validateFully(raw, now)
  } catch (error) {
    // Only `now` throwing, or an engine-level surprise, gets here: the walk guards its reads.
    return notAnEvent(`validating the event threw ${describeThrown(error)}`, "access")
  }
}

const validateFully = (raw: Record<string, unknown>, now: () => Date): EventValidation => {
  const violations: Array<Violation> = []
  const input: EventFields = {}
  for (const name of eventFieldNames) {
    try {
      input[name] = raw[name]
    } catch (error) {
      violations.push(unreadable(name, error))
    }
  }
  const unread = new Set(violations.map((v) => v.field))
  if (input.id !== undefined) nonEmptyString(input, "id", violations)
  const id = typeof input.id === "string" && input.id.length > 0 ? input.id : undefined
  if (!unread.has("type")) nonEmptyString(input, "type", violations)
  if (!unread.has("source")) nonEmptyString(input, "source", violations)
  optionalString(input, "subject", violations)
  optionalString(input, "dataContentType", violations)

  let time: Date | undefined
  if (!unread.has("time")) {
    try {
      const t = input.time
      if (t === undefined) time = now()
      else if (t instanceof Date) time = t
      else if (typeof t === "string") time = new Date(t)
      if (time !== undefined && Number.isNaN(time.getTime())) time = undefined
    } catch {
      // A Date proxy or a subclass whose getTime throws: not a valid Date.
      time = undefined
    }
    if (time === undefined)
      violations.push({
        field: "time",
        rule: "timestamp",
        message: "must be a valid Date or RFC 3339 string",
      })
  }

  if (!unread.has("data")) {
    let present: boolean | undefined = input.data !== undefined
    if (!present) {
      try {
        present = "data" in raw
      } catch (error) {
        violations.push(unreadable("data", error))
        present = undefined
      }
    }
    if (present === false)
      violations.push({ field: "data", rule: "required", message: "is required (use null for none)" })
    else if (present === true) {
      const dataViolation = checkData(input.data)
      if (dataViolation) violations.push(dataViolation)
    }
  }

  let extensions: Record<string, ExtensionValue> | undefined
  if (input.extensions !== undefined) {
    try {
      extensions = checkExtensions(input.extensions, violations)
    } catch (error) {
      violations.push(unreadable("extensions", error))
    }
  }

  if (violations.length > 0) return { ok: false, eventId: id, violations }
  const event: {
    -readonly [K in keyof Event]: Event[K]
  } = {
    id: id ?? generateEventId(),
    type: input.type as string,
    source: input.source as string,
    time: time!,
    data: input.data as EventData,
  }
  if (input.subject !== undefined) event.subject = input.subject as string
  if (input.dataContentType !== undefined) event.dataContentType = input.dataContentType as string
  // No extensions and an empty extensions object are the same event (and the same CloudEvent).
  if (extensions !== undefined && Object.keys(extensions).length > 0) event.extensions = extensions
  return { ok: true, event }
}

/** The extensions as a fresh object of scalars; may throw on a hostile object (the caller reports it). */
const checkExtensions = (
  value: unknown,
  violations: Array<Violation>,
): Record<string, ExtensionValue> | undefined => {
  if (!isPlainObject(value)) {
    violations.push({ field: "extensions", rule: "type", message: "must be a plain object of scalars" })
    return undefined
  }
  const extensions: Record<string, ExtensionValue> = {}
  for (const [name, item] of Object.entries(value)) {
    const field = `extensions.${name}`
    if (!extensionName.test(name))
      violations.push({ field, rule: "extensionName", message: "must be 1-20 lower-case letters or digits" })
    else if (cloudEventContextAttributes.has(name))
      violations.push({ field, rule: "reserved", message: "is a CloudEvents context attribute name" })
    else if (
      typeof item === "string" ||
      typeof item === "boolean" ||
      (typeof item === "number" && Number.isSafeInteger(item))
    )
      extensions[name] = item
    else violations.push({ field, rule: "type", message: "must be a string, boolean or safe integer" })
  }
  return extensions
}

/** Builds a normalized event, throwing {@link InvalidEventError} with every violation. */
export const createEvent = <Data extends EventData>(input: EventInput<Data>): Event<Data> => {
  const result = validateEvent(input)
  if (!result.ok) throw new InvalidEventError(result.eventId, result.violations)
  return result.event as Event<Data>
}
