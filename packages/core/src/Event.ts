/**
 * The neutral event: CloudEvents 1.0-aligned and free of any destination's fields.
 * Destination specifics (bus names, channels, application ids…) are adapter options.
 */

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

const isPlainObject = (u: unknown): u is Record<string, unknown> => {
  if (typeof u !== "object" || u === null) return false
  const proto = Object.getPrototypeOf(u)
  return proto === Object.prototype || proto === null
}

const describe = (u: unknown): string =>
  u === null ? "null" : Array.isArray(u) ? "array" : u instanceof Date ? "Date" : typeof u

/**
 * Allocation-free check of the usual case: small, shallow JSON. Answers `true` (valid JSON),
 * or `false` when it cannot tell cheaply (too deep, too big, or invalid): then the full walk runs
 * and names the offending field. Cycles exceed the depth budget, so they are never missed.
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

export const maxDataDepth = 1000

/**
 * Checks `data` is a JSON value (or bytes) without walking it recursively on the stack, so hostile
 * input (deep nesting, cycles, BigInt, NaN, class instances) is reported instead of crashing.
 */
export const checkData = (data: unknown, maxDepth = 10_000): Violation | undefined => {
  if (data instanceof Uint8Array) return undefined
  if (maxDepth >= 32) {
    quickBudget = 256
    if (quickJsonCheck(data, 0)) return undefined
  }
  const stack: Array<{ value: unknown; path: string; depth: number }> = [
    { value: data, path: "data", depth: 0 },
  ]
  const seen = new Set<object>()
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!
    if (depth > maxDepth)
      return { field: path, rule: "maxDepth", message: `nesting deeper than ${maxDepth} levels` }
    switch (typeof value) {
      case "string":
      case "boolean":
        continue
      case "number":
        if (!Number.isFinite(value))
          return { field: path, rule: "json", message: `${value} is not a JSON number` }
        continue
      case "object": {
        if (value === null) continue
        if (seen.has(value)) return { field: path, rule: "json", message: "cyclic reference" }
        seen.add(value)
        if (Array.isArray(value)) {
          for (let i = value.length - 1; i >= 0; i--)
            stack.push({ value: value[i], path: `${path}[${i}]`, depth: depth + 1 })
          continue
        }
        if (!isPlainObject(value))
          return {
            field: path,
            rule: "json",
            message: `${(value as object).constructor?.name ?? "object"} instance is not a plain JSON object`,
          }
        for (const key of Object.keys(value)) {
          stack.push({ value: value[key], path: `${path}.${key}`, depth: depth + 1 })
        }
        continue
      }
      default:
        return { field: path, rule: "json", message: `${typeof value} is not a JSON value` }
    }
  }
  return undefined
}

const nonEmptyString = (input: Record<string, unknown>, field: string, violations: Array<Violation>) => {
  const value = input[field]
  if (value === undefined) violations.push({ field, rule: "required", message: "is required" })
  else if (typeof value !== "string")
    violations.push({ field, rule: "type", message: `must be a string, got ${describe(value)}` })
  else if (value.length === 0) violations.push({ field, rule: "minLength", message: "must not be empty" })
}

const optionalString = (input: Record<string, unknown>, field: string, violations: Array<Violation>) => {
  const value = input[field]
  if (value !== undefined && typeof value !== "string")
    violations.push({ field, rule: "type", message: `must be a string, got ${describe(value)}` })
}

const isNonEmptyString = (u: unknown): u is string => typeof u === "string" && u.length > 0

/** The common case (valid, no extensions) without collecting violations; undefined means "check fully". */
const quickValidEvent = (raw: Record<string, unknown>, now: () => Date): Event | undefined => {
  const { id, type, source, subject, dataContentType } = raw
  if (
    !isNonEmptyString(type) ||
    !isNonEmptyString(source) ||
    (id !== undefined && !isNonEmptyString(id)) ||
    (subject !== undefined && typeof subject !== "string") ||
    (dataContentType !== undefined && typeof dataContentType !== "string") ||
    raw.extensions !== undefined ||
    !("data" in raw) ||
    checkData(raw.data) !== undefined
  )
    return undefined
  const t = raw.time
  const time =
    t === undefined ? now() : t instanceof Date ? t : typeof t === "string" ? new Date(t) : undefined
  if (time === undefined || Number.isNaN(time.getTime())) return undefined
  const event: { -readonly [K in keyof Event]: Event[K] } = {
    id: id ?? generateEventId(),
    type,
    source,
    time,
    data: raw.data as EventData,
  }
  if (subject !== undefined) event.subject = subject
  if (dataContentType !== undefined) event.dataContentType = dataContentType
  return event
}

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

/**
 * Validates an {@link EventInput} (or anything claiming to be one) and normalizes it:
 * generates `id`, defaults `time` to `now`, parses string times. Never throws.
 */
export const validateEvent = (input: unknown, now: () => Date = currentTime): EventValidation => {
  if (!isPlainObject(input) && !(typeof input === "object" && input !== null)) {
    return {
      ok: false,
      eventId: undefined,
      violations: [
        { field: "(event)", rule: "type", message: `an event must be an object, got ${describe(input)}` },
      ],
    }
  }
  const raw = input as Record<string, unknown>
  const quick = quickValidEvent(raw, now)
  if (quick !== undefined) return { ok: true, event: quick }
  const violations: Array<Violation> = []
  if (raw.id !== undefined) nonEmptyString(raw, "id", violations)
  const id = typeof raw.id === "string" && raw.id.length > 0 ? raw.id : undefined
  nonEmptyString(raw, "type", violations)
  nonEmptyString(raw, "source", violations)
  optionalString(raw, "subject", violations)
  optionalString(raw, "dataContentType", violations)

  let time: Date | undefined
  if (raw.time === undefined) time = now()
  else if (raw.time instanceof Date) time = raw.time
  else if (typeof raw.time === "string") time = new Date(raw.time)
  if (time === undefined || Number.isNaN(time.getTime())) {
    violations.push({ field: "time", rule: "timestamp", message: "must be a valid Date or RFC 3339 string" })
  }

  if (!("data" in raw))
    violations.push({ field: "data", rule: "required", message: "is required (use null for none)" })
  else {
    const dataViolation = checkData(raw.data)
    if (dataViolation) violations.push(dataViolation)
  }

  let extensions: Record<string, ExtensionValue> | undefined
  if (raw.extensions !== undefined) {
    if (!isPlainObject(raw.extensions)) {
      violations.push({ field: "extensions", rule: "type", message: "must be a plain object of scalars" })
    } else {
      extensions = {}
      for (const [name, value] of Object.entries(raw.extensions)) {
        const field = `extensions.${name}`
        if (!extensionName.test(name))
          violations.push({
            field,
            rule: "extensionName",
            message: "must be 1-20 lower-case letters or digits",
          })
        else if (cloudEventContextAttributes.has(name))
          violations.push({ field, rule: "reserved", message: "is a CloudEvents context attribute name" })
        else if (
          typeof value === "string" ||
          typeof value === "boolean" ||
          (typeof value === "number" && Number.isSafeInteger(value))
        )
          extensions[name] = value
        else violations.push({ field, rule: "type", message: "must be a string, boolean or safe integer" })
      }
    }
  }

  if (violations.length > 0) return { ok: false, eventId: id, violations }
  const event: {
    -readonly [K in keyof Event]: Event[K]
  } = {
    id: id ?? generateEventId(),
    type: raw.type as string,
    source: raw.source as string,
    time: time!,
    data: raw.data as EventData,
  }
  if (raw.subject !== undefined) event.subject = raw.subject as string
  if (raw.dataContentType !== undefined) event.dataContentType = raw.dataContentType as string
  // No extensions and an empty extensions object are the same event (and the same CloudEvent).
  if (extensions !== undefined && Object.keys(extensions).length > 0) event.extensions = extensions
  return { ok: true, event }
}

/** Builds a normalized event, throwing {@link InvalidEventError} with every violation. */
export const createEvent = <Data extends EventData>(input: EventInput<Data>): Event<Data> => {
  const result = validateEvent(input)
  if (!result.ok) throw new InvalidEventError(result.eventId, result.violations)
  return result.event as Event<Data>
}
