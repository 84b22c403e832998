/**
 * Small pieces every adapter needs, kept here so adapters stay translation only.
 */
import { createHash } from "node:crypto"
import type { EntryResult } from "./Adapter.ts"
import { entryFailed, entryOk } from "./Adapter.ts"
import {
  classifyError,
  credentialErrorNames,
  DeliveryError,
  type DeliveryErrorCode,
  deliveryError,
} from "./DeliveryError.ts"
import { checkData, type Event, maxDataDepth, type Violation } from "./Event.ts"
import { dropUnusedLogging } from "./internal/ClientLogging.ts"
import { type ClientSendOptions, routeRequestSignals, signalAsOption } from "./internal/ClientSignals.ts"
import { describeValue, shownValue } from "./internal/DescribeValue.ts"
import { jsonLength } from "./internal/JsonLength.ts"
import {
  isOptionsObject,
  notAnOptionMessage,
  type OptionNames,
  unknownOptionName,
} from "./internal/OptionChecks.ts"

export type { OptionNames } from "./internal/OptionChecks.ts"

/** An adapter option given as a constant or as a function of the event. */
export type PerEvent<T> = T | ((event: Event) => T)

export const resolvePerEvent = <T>(option: PerEvent<T>, event: Event): T =>
  typeof option === "function" ? (option as (event: Event) => T)(event) : option

/** UTF-8 length of a string, as destinations count bytes. */
export const utf8Length = (text: string): number => Buffer.byteLength(text, "utf8")

/**
 * UTF-8 bytes of `JSON.stringify(value)`, measured without building the text when `value` is plain
 * JSON (so a size rule that only needs the length makes no garbage per event); undefined when
 * `JSON.stringify` returns undefined. Throws what `JSON.stringify` throws.
 */
export const jsonUtf8Length = (value: unknown): number | undefined => jsonLength(value, true)

/** Builds a {@link Violation}. */
export const violation = (field: string, rule: string, message: string): Violation => ({
  field,
  rule,
  message,
})

export { describeValue } from "./internal/DescribeValue.ts"

/**
 * A service's rule for a string member, as adapters keep them in `limits.ts`: length bounds in
 * UTF-16 code units and a full-match pattern, with `patternText` to show users instead of the regex.
 */
export interface StringRule {
  readonly min?: number
  readonly max?: number
  readonly pattern?: RegExp
  readonly patternText?: string
}

/**
 * Checks that a value is a string within length bounds and matching a full-match pattern; returns
 * the first violation. The value is `unknown` because options and hooks are not trusted to give strings.
 */
export const checkString = (field: string, value: unknown, rules: StringRule): Violation | undefined => {
  if (typeof value !== "string")
    return violation(field, "type", `must be a string, got ${describeValue(value)}`)
  if (rules.min !== undefined && value.length < rules.min)
    return violation(field, "minLength", `must be at least ${rules.min} characters, got ${value.length}`)
  if (rules.max !== undefined && value.length > rules.max)
    return violation(field, "maxLength", `must be at most ${rules.max} characters, got ${value.length}`)
  if (rules.pattern !== undefined && !rules.pattern.test(value))
    return violation(field, "pattern", `must match ${rules.patternText ?? rules.pattern.source}`)
  return undefined
}

/** The event's data as JSON text, or its bytes when it is binary. */
export const payloadBytes = (event: Event): Uint8Array =>
  event.data instanceof Uint8Array ? event.data : Buffer.from(JSON.stringify(event.data), "utf8")

/**
 * A string that must be there and not be empty: `required` when absent, else the first of `type`
 * and `minLength` it breaks.
 */
export const checkRequiredString = (field: string, value: unknown): Violation | undefined =>
  value === undefined ? violation(field, "required", "is required") : checkString(field, value, { min: 1 })

// ---------------------------------------------------------------------------------------------
// JSON data

/** A JSON object: not null, not an array, not binary data. */
export const isJsonObject = (u: unknown): u is Readonly<Record<string, unknown>> =>
  typeof u === "object" && u !== null && !Array.isArray(u) && !(u instanceof Uint8Array)

/**
 * Checks what a mapping hook (`detail`, `payload`…) returned is JSON data: the core checked the
 * event's data, never a hook's result. Violations name the hook (`payload.a[2]`), not `data`.
 */
export const checkHookData = (field: string, value: unknown): Violation | undefined => {
  const bad = checkData(value)
  return bad === undefined ? undefined : { ...bad, field: field + bad.field.slice("data".length) }
}

/** A rule on each number of JSON data, as the JSON text will carry it; `undefined` when kept. */
export type JsonNumberRule = (
  value: number,
) => { readonly rule: string; readonly message: string } | undefined

/** What {@link checkJsonTree} enforces. */
export interface JsonTreeRules {
  /** Deepest nesting allowed; the value itself is level 1. Default core's {@link maxDataDepth}. */
  readonly maxDepth?: number
  /** Who sets the depth limit, for the message (e.g. `EventBridge`). Default `Eventport`. */
  readonly depthLimitBy?: string
  /** A rule every number must keep. */
  readonly number?: JsonNumberRule
}

/** A path through 1,000 levels would make a message of thousands of characters: keep both ends. */
const maxPathSegments = 12

/** Containers the quick check visits before it leaves the data to the full walk. */
const quickTreeBudget = 256
/** Nesting the quick check recurses into; deeper data goes to the full walk (which has no stack limit). */
const quickTreeDepth = 32

/**
 * The usual case of {@link checkJsonTree} without allocating: small, shallow data that keeps every
 * rule. Returns the budget of containers left, or -1 when it cannot tell cheaply (too deep, too
 * big) or something breaks a rule: the full walk then finds and names it. It visits what the full
 * walk visits: own enumerable keys of objects (data is plain JSON here), every item of arrays.
 */
const quickTreeCheck = (
  value: unknown,
  level: number,
  maxDepth: number,
  numberRule: JsonNumberRule | undefined,
  budget: number,
): number => {
  if (typeof value === "number")
    return numberRule === undefined || numberRule(value) === undefined ? budget : -1
  if (typeof value !== "object" || value === null || value instanceof Uint8Array) return budget
  if (level > maxDepth || level > quickTreeDepth || --budget < 0) return -1
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length && budget >= 0; i++)
      budget = quickTreeCheck(value[i], level + 1, maxDepth, numberRule, budget)
    return budget
  }
  for (const key in value) {
    if (!Object.hasOwn(value, key)) return -1
    budget = quickTreeCheck((value as Record<string, unknown>)[key], level + 1, maxDepth, numberRule, budget)
    if (budget < 0) return -1
  }
  return budget
}

/**
 * Checks JSON data (already known to be JSON: no cycles, no class instances) for nesting deeper
 * than `maxDepth` (rule `maxDepth`, naming the depth found and the limit) and for numbers that
 * break `number`. Iterative, so hostile depth is reported, never a stack overflow. It runs on
 * every event, so small data that keeps the rules is checked without allocating anything, and
 * the full walk allocates no path while all is well: each value remembers its parent and key,
 * and the path is spelled out only for a violation.
 */
export const checkJsonTree = (
  value: unknown,
  field: string,
  rules: JsonTreeRules = {},
): Violation | undefined => {
  const maxDepth = rules.maxDepth ?? maxDataDepth
  const numberRule = rules.number
  try {
    if (quickTreeCheck(value, 1, maxDepth, numberRule, quickTreeBudget) >= 0) return undefined
  } catch {
    // A number rule or a getter threw: the full walk below meets it again where it belongs.
  }
  return fullTreeCheck(value, field, maxDepth, numberRule, rules.depthLimitBy)
}

const fullTreeCheck = (
  value: unknown,
  field: string,
  maxDepth: number,
  numberRule: JsonNumberRule | undefined,
  depthLimitBy: string | undefined,
): Violation | undefined => {
  const values: Array<unknown> = [value]
  const levels: Array<number> = [1]
  const parents: Array<number> = [-1]
  const keys: Array<string | number> = [""]
  const pathOf = (at: number): string => {
    const parts: Array<string> = []
    for (let i = at; i > 0; i = parents[i]!) {
      const key = keys[i]!
      parts.push(typeof key === "number" ? `[${key}]` : `.${key}`)
    }
    parts.reverse()
    if (parts.length > maxPathSegments)
      return `${field}${parts.slice(0, 4).join("")}…(${parts.length - 8} levels)…${parts.slice(-4).join("")}`
    return field + parts.join("")
  }
  // Depth-first over a stack of indexes into the parallel arrays above.
  const stack: Array<number> = [0]
  while (stack.length > 0) {
    const at = stack.pop()!
    const current = values[at]
    if (typeof current === "number") {
      const broken = numberRule?.(current)
      if (broken !== undefined) return violation(pathOf(at), broken.rule, broken.message)
      continue
    }
    if (typeof current !== "object" || current === null || current instanceof Uint8Array) continue
    const level = levels[at]!
    if (level > maxDepth)
      return violation(
        pathOf(at),
        "maxDepth",
        `nests ${jsonDepth(value)} levels deep; ${depthLimitBy ?? "Eventport"} takes at most ${maxDepth}`,
      )
    const visit = (key: string | number, child: unknown) => {
      // Only numbers (under a number rule) and containers can break a rule.
      if (typeof child === "number" ? numberRule === undefined : typeof child !== "object" || child === null)
        return
      stack.push(values.length)
      values.push(child)
      levels.push(level + 1)
      parents.push(at)
      keys.push(key)
    }
    if (Array.isArray(current)) for (let i = 0; i < current.length; i++) visit(i, current[i])
    else for (const key of Object.keys(current)) visit(key, (current as Record<string, unknown>)[key])
  }
  return undefined
}

/** How deep JSON data nests (an object or array is level 1, a scalar 0). Iterative. */
export const jsonDepth = (value: unknown): number => {
  let deepest = 0
  const stack: Array<{ readonly value: unknown; readonly level: number }> = [{ value, level: 1 }]
  while (stack.length > 0) {
    const { value: current, level } = stack.pop()!
    if (typeof current !== "object" || current === null || current instanceof Uint8Array) continue
    if (level > deepest) deepest = level
    for (const child of Array.isArray(current) ? current : Object.values(current))
      if (typeof child === "object" && child !== null) stack.push({ value: child, level: level + 1 })
  }
  return deepest
}

/**
 * The UTF-8 JSON text of data a destination carries whole, or why it cannot be sent: nesting
 * deeper than core's {@link maxDataDepth} (`JSON.stringify` recurses, so it would overflow the
 * stack long before a service refused it). `field` names the data in violations.
 */
export const jsonPayload = (field: string, value: unknown): Uint8Array | Violation => {
  const tooDeep = checkJsonTree(value, field)
  return tooDeep ?? Buffer.from(JSON.stringify(value), "utf8")
}

// ---------------------------------------------------------------------------------------------
// Options and hooks

/** A user option resolved for one event, or the violation that rejects that event. */
export type HookResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly violation: Violation }

/**
 * Resolves a user option for one event: a constant as it is, a function (a mapping hook such as
 * `detail`, `payload`, `attributes`, or a per-event name) called with the event. A hook that
 * throws rejects that one event (`violation(field, "hook", …)`) instead of breaking the batch.
 */
export const runHook = <T>(field: string, option: PerEvent<T>, event: Event): HookResult<T> => {
  try {
    return { ok: true, value: resolvePerEvent(option, event) }
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
    return { ok: false, violation: violation(field, "hook", `the ${field} option threw ${reason}`) }
  }
}

/**
 * The error an adapter factory throws for a constant option that can never work: the caller's bug,
 * reported once at construction, e.g. `eventBridge: option eventBusName must be … (pattern)`.
 */
export const invalidOption = (factory: string, bad: Violation): TypeError =>
  new TypeError(`${factory}: option ${bad.field} ${bad.message} (${bad.rule})`)

/**
 * Checks the constant options of an adapter factory, once, at construction: throws
 * {@link invalidOption} for the first violation. Per-event options that are functions are checked
 * per event instead (see {@link resolveOption}).
 */
export const checkConstantOptions = (
  factory: string,
  violations: ReadonlyArray<Violation | undefined>,
): void => {
  for (const bad of violations) if (bad !== undefined) throw invalidOption(factory, bad)
}

/**
 * Checks a {@link PerEvent} option at construction when it is a constant (absent is fine); a
 * function's results are checked per event by {@link resolveOption}.
 */
export const checkConstantOption = <T>(
  option: PerEvent<T> | undefined,
  check: (value: T) => Violation | undefined,
): Violation | undefined =>
  option === undefined || typeof option === "function" ? undefined : check(option as T)

/** Checks an option is one of `allowed` (absent is fine). */
export const checkOneOf = (
  field: string,
  value: unknown,
  allowed: ReadonlyArray<string>,
): Violation | undefined =>
  value === undefined || allowed.includes(value as string)
    ? undefined
    : violation(field, "enum", `must be one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}`)

/**
 * Resolves a per-event option for one event, like {@link runHook}, and checks a function's result
 * with `check`. A constant was checked once at construction ({@link checkConstantOption}), so it
 * is not checked again for every event.
 */
export const resolveOption = <T>(
  field: string,
  option: PerEvent<T>,
  event: Event,
  check: (value: T) => Violation | undefined,
): HookResult<T> => {
  if (typeof option !== "function") return { ok: true, value: option }
  const resolved = runHook(field, option, event)
  if (!resolved.ok) return resolved
  const bad = check(resolved.value)
  return bad === undefined ? resolved : { ok: false, violation: bad }
}

/**
 * Checks, once at construction, that an adapter factory's `options` are an object carrying only the
 * names in `known`: throws {@link invalidOption} (a `TypeError`) for the first other name with a
 * value, e.g. `eventBridge: option eventBusname is not an option, did you mean eventBusName?`. Such a
 * name would otherwise be ignored and its default used in silence (events sent to the default bus).
 * Write `known` as `{ … } as const satisfies OptionNames<YourOptions>`: the compiler then fails when
 * an option is added to the type but not to the list, or the list names one the type lacks. For
 * an object option's own names, `at` is its name: `memory: option limits.maxEntrie is not an option…`.
 */
export const checkOptionNames = <T extends object>(
  factory: string,
  options: T,
  known: OptionNames<T>,
  at?: string,
): void => {
  if (!isOptionsObject(options))
    throw new TypeError(
      `${factory}: ${at === undefined ? "options" : `option ${at}`} must be an object, got ${shownValue(options)}`,
    )
  const unknown = unknownOptionName(options, known)
  if (unknown !== undefined) {
    const field = at === undefined ? unknown.name : `${at}.${unknown.name}`
    throw invalidOption(factory, violation(field, "optionName", notAnOptionMessage(unknown)))
  }
}

/** Throws a `RangeError` unless a numeric option is absent or a positive number (`Infinity` allowed). */
export const checkPositiveOption = (factory: string, name: string, value: number | undefined): void => {
  if (value !== undefined && !(value > 0))
    throw new RangeError(`${factory}: option ${name} must be a positive number, got ${value}`)
}

// ---------------------------------------------------------------------------------------------
// Message ids

/** A service's rule for a caller-chosen id (messageId…): length bounds and a full-match pattern. */
export interface IdRule {
  readonly min?: number
  readonly max: number
  readonly pattern: RegExp
}

/** Prefix of a derived id; the rest is the base64url SHA-256 of the event id (43 characters). */
const derivedIdPrefix = "sha256-"

/**
 * The event id when it fits the service's id rule; otherwise `sha256-` and the base64url SHA-256 of
 * the event id (50 characters of `[A-Za-z0-9_-]`). Stable, so a retry of the same event sends the
 * same id. Throws a `RangeError` for a rule no derived id can fit: that is the adapter's bug.
 */
export const deriveStableId = (eventId: string, rule: IdRule): string => {
  if (fitsIdRule(eventId, rule)) return eventId
  const derived = `${derivedIdPrefix}${createHash("sha256").update(eventId, "utf8").digest("base64url")}`
  if (!fitsIdRule(derived, rule))
    throw new RangeError(
      `deriveStableId: the id rule (max ${rule.max}, ${rule.pattern}) admits no derived id`,
    )
  return derived
}

const fitsIdRule = (id: string, rule: IdRule): boolean =>
  id.length >= (rule.min ?? 1) && id.length <= rule.max && rule.pattern.test(id)

// ---------------------------------------------------------------------------------------------
// SDK clients

/** What the adapters need of an SDK client: it can be destroyed (AWS SDK v3 clients can). */
export interface DestroyableClient {
  destroy(): void
}

export type { ClientSendOptions }

/** A client for an adapter, how to send with it, and how to release it on the adapter's close. */
export interface AdapterClient<Client> {
  readonly client: Client
  /** Destroys the client if the adapter made it; leaves a user's client alone. */
  readonly close: () => void
  /**
   * The options of `client.send(command, sendOptions(command, signal))`: whatever lets `signal`
   * (the request's, from `send`'s context) end the request. For a user's client that is
   * `{ abortSignal: signal }`. For a client the adapter made (middleware cache on) it is `undefined`:
   * the signal goes to the client's request handler by the command's `input`, so the SDK keeps its
   * resolved middleware stack (a frozen `input` cannot carry it: then it is `{ abortSignal }` too).
   * Call it once per request, with a command made for that request.
   */
  readonly sendOptions: ClientSendOptions
}

/**
 * The client an adapter sends with: the user's `client`, used as given and never destroyed, or one
 * made from `clientConfig` with `maxAttempts: 1` forced (the engine retries only the failed entries,
 * so SDK retries would multiply requests) and destroyed on close. Both given is a `TypeError`.
 *
 * A client made here without a `logger` in `clientConfig` loses the SDK's logger middleware, whose
 * only work would be for a logger that drops everything (internal/ClientLogging.ts).
 *
 * A client made here also gets `cacheMiddleware: true` unless `clientConfig` sets it: the SDK then
 * resolves each command's middleware stack once instead of on every request (about 8% of its
 * instructions per request for a 10-entry PutEvents). Send with {@link AdapterClient.sendOptions}
 * so the request's signal still reaches the request handler.
 */
export const adapterClient = <Client extends DestroyableClient, Config extends object>(
  factory: string,
  options: { readonly client?: Client | undefined; readonly clientConfig?: Config | undefined },
  make: (config: Config & { readonly maxAttempts: 1; readonly cacheMiddleware: boolean }) => Client,
): AdapterClient<Client> => {
  if (options.client !== undefined && options.clientConfig !== undefined)
    throw new TypeError(`${factory}: give either client or clientConfig, not both`)
  if (options.client !== undefined)
    return { client: options.client, close: () => {}, sendOptions: signalAsOption }
  const config = (options.clientConfig ?? {}) as Config & {
    readonly cacheMiddleware?: unknown
    readonly logger?: unknown
  }
  const cacheMiddleware = typeof config.cacheMiddleware === "boolean" ? config.cacheMiddleware : true
  const client = make({ ...config, maxAttempts: 1, cacheMiddleware })
  if (config.logger === undefined) dropUnusedLogging(client)
  return { client, close: () => client.destroy(), sendOptions: routeRequestSignals(client) }
}

// ---------------------------------------------------------------------------------------------
// Error tables

/** How one of a service's error codes maps onto a {@link DeliveryError}. */
export interface ErrorMapping {
  readonly code: DeliveryErrorCode
  readonly retryable: boolean
}

/** A service's error codes as data, so READMEs and tests read the same mapping as the adapter. */
export type ErrorTable = Readonly<Record<string, ErrorMapping>>

const unknownCode: ErrorMapping = { code: "Unknown", retryable: false }

/** The table's own mapping for a code (never one inherited from `Object.prototype`). */
export const lookupErrorCode = <M>(table: Readonly<Record<string, M>>, code: string): M | undefined =>
  Object.hasOwn(table, code) ? table[code] : undefined

const credentialRefused: ErrorMapping = { code: "AccessDenied", retryable: false }

/**
 * What every AWS service means alike: the credential errors (core `credentialErrorNames`) are
 * `AccessDenied`, not retryable, whichever service answers them.
 */
export const sharedErrorCode = (code: string): ErrorMapping | undefined =>
  credentialErrorNames.has(code) ? credentialRefused : undefined

/**
 * Classifies one failed entry by the service's table, keeping the raw code and message. A code the
 * table does not list goes to `fallback`, then to {@link sharedErrorCode}, then is `Unknown` and
 * not retried; so is a missing code.
 */
export const classifyByTable = (
  table: ErrorTable,
  code: string | undefined,
  message: string | undefined,
  fallback?: (code: string) => ErrorMapping | undefined,
): DeliveryError => {
  const mapping =
    code === undefined
      ? unknownCode
      : (lookupErrorCode(table, code) ?? fallback?.(code) ?? sharedErrorCode(code) ?? unknownCode)
  return deliveryError(mapping.code, {
    retryable: mapping.retryable,
    ...(code === undefined ? {} : { rawCode: code }),
    ...(message === undefined ? {} : { rawMessage: message }),
  })
}

/**
 * Classifies what the SDK threw for a whole request: the service's errors by name from the table,
 * keeping what core's {@link classifyError} read (raw code and message, HTTP status); anything the
 * table does not list (network errors, timeouts, unmodelled statuses) as {@link classifyError} says.
 */
export const classifyRequestByTable = (table: ErrorTable, error: unknown): DeliveryError => {
  if (DeliveryError.isInstance(error)) return error
  const general = classifyError(error)
  const name = (error as { name?: unknown } | null)?.name
  const mapping = typeof name === "string" ? lookupErrorCode(table, name) : undefined
  return mapping === undefined ? general : general.with({ code: mapping.code, retryable: mapping.retryable })
}

/**
 * A response that cannot be matched to its request, in part: the entries it puts in doubt may or
 * may not have been applied, so they are `Unknown` with `outcomeUnknown`, not retried.
 */
export const inconsistentResponse = (rawMessage: string): DeliveryError =>
  deliveryError("Unknown", {
    retryable: false,
    outcomeUnknown: true,
    rawCode: "InconsistentResponse",
    rawMessage,
  })

// ---------------------------------------------------------------------------------------------
// Results keyed by id

/** One failure a response reports by key (e.g. a messageId) instead of by position. */
export interface KeyedFailure {
  /** The key the response names; `undefined` when it names none. */
  readonly key: string | undefined
  readonly error: DeliveryError
}

/**
 * Index-aligned results for a request whose response lists only the failures, by key (`keys` are
 * the keys sent, in order, all different). Entries not listed were accepted, unless the response
 * names a key that was not sent (or none): then it cannot be matched to the request, and the
 * entries it does not list as failed have an unknown outcome instead of being taken as accepted.
 */
export const resultsByKey = (
  keys: ReadonlyArray<string>,
  failures: Iterable<KeyedFailure>,
  keyName = "key",
): ReadonlyArray<EntryResult> => {
  const indexOf = new Map(keys.map((key, i) => [key, i]))
  const results: Array<EntryResult> = keys.map(() => entryOk())
  const strays: Array<string> = []
  for (const failure of failures) {
    const index = failure.key === undefined ? undefined : indexOf.get(failure.key)
    if (index === undefined) strays.push(failure.key ?? `(no ${keyName})`)
    else results[index] = entryFailed(failure.error)
  }
  if (strays.length === 0) return results
  const unknown = entryFailed(
    inconsistentResponse(
      `the response reports failures for ${keyName}s that were not sent: ${strays.join(", ")}`,
    ),
  )
  return results.map((result) => (result.ok ? unknown : result))
}

/** One failed message as the IoT-style batch APIs list it: keyed by messageId, with a code and message. */
export interface MessageFailure {
  readonly messageId?: string | undefined
  readonly errorCode?: string | undefined
  readonly errorMessage?: string | undefined
}

/**
 * Index-aligned results for a request whose response lists only its failed messages, by messageId
 * (`messageIds` are the ids sent, in order, all different): {@link resultsByKey} with each failure
 * classified by the service's `classify`.
 */
export const resultsByMessageId = (
  messageIds: ReadonlyArray<string>,
  failures: ReadonlyArray<MessageFailure> | undefined,
  classify: (code: string | undefined, message?: string) => DeliveryError,
): ReadonlyArray<EntryResult> =>
  resultsByKey(
    messageIds,
    (failures ?? []).map((failure) => ({
      key: failure.messageId,
      error: classify(failure.errorCode, failure.errorMessage),
    })),
    "messageId",
  )

// ---------------------------------------------------------------------------------------------
// Results by position

/** One answer of a response whose entries answer the request's entries by position. */
export interface PositionalAnswer {
  /** The service's receipt for an accepted entry (an EventId, a SequenceNumber, a RecordId). */
  readonly receipt?: string | undefined
  readonly errorCode?: string | undefined
  readonly errorMessage?: string | undefined
}

/** How a response names its parts, for the messages of {@link positionalResults}. */
export interface PositionalResponseNames {
  /** e.g. `PutRecords`. */
  readonly operation: string
  /** e.g. `record`. */
  readonly entry: string
  /** e.g. `SequenceNumber`. */
  readonly receipt: string
  /** e.g. `FailedRecordCount`. */
  readonly failedCount: string
}

/**
 * Index-aligned results for a response whose `answers[i]` answers request entry `i`, with a count of
 * failures beside them (PutRecords, PutRecordBatch). An entry the response does not answer, or
 * answers with neither a receipt nor an error code, has an unknown outcome. When the count disagrees
 * with the answers, the side it puts in doubt is reported: if it counts more failures than listed,
 * the listed successes are unknown; if fewer, the listed failures may have been applied.
 */
export const positionalResults = (
  sent: number,
  answers: ReadonlyArray<PositionalAnswer>,
  failedCount: number | undefined,
  classifyEntry: (code: string, message: string | undefined) => DeliveryError,
  names: PositionalResponseNames,
): ReadonlyArray<EntryResult> => {
  const unknownOutcome = (rawMessage: string): EntryResult => entryFailed(inconsistentResponse(rawMessage))
  const results: Array<EntryResult> = []
  let listedFailures = 0
  for (let i = 0; i < sent; i++) {
    const answer = answers[i]
    if (answer === undefined) {
      listedFailures++
      results.push(
        unknownOutcome(
          `the ${names.operation} response has ${answers.length} ${names.entry}s for ${sent} sent`,
        ),
      )
    } else if (answer.errorCode !== undefined) {
      listedFailures++
      results.push(entryFailed(classifyEntry(answer.errorCode, answer.errorMessage)))
    } else if (answer.receipt !== undefined) results.push(entryOk(answer.receipt))
    else {
      listedFailures++
      results.push(
        unknownOutcome(
          `the ${names.operation} response ${names.entry} has neither ${names.receipt} nor ErrorCode`,
        ),
      )
    }
  }
  const counted = failedCount ?? 0
  if (counted === listedFailures) return results
  const disagreement = `${names.failedCount} is ${counted} but the response lists ${listedFailures} failed of ${sent} ${names.entry}s`
  return results.map((result) => {
    if (counted > listedFailures) return result.ok ? unknownOutcome(disagreement) : result
    return result.ok
      ? result
      : entryFailed(
          result.error.with({
            outcomeUnknown: true,
            rawMessage: `${result.error.rawMessage ?? ""} (${disagreement})`.trimStart(),
          }),
        )
  })
}

/**
 * Sends a batch to a service that refuses a whole request when two of its entries share a key (a
 * messageId): the first entry of each key is sent, the later ones fail retryably without being
 * sent (raw code `Duplicate<KeyName>`, e.g. `DuplicateMessageId`), so the engine puts them in a
 * later request. Results stay index-aligned with `entries`.
 */
export const sendWithDistinctKeys = async <Entry>(
  entries: ReadonlyArray<Entry>,
  keyOf: (entry: Entry) => string,
  keyName: string,
  send: (distinct: ReadonlyArray<Entry>) => Promise<ReadonlyArray<EntryResult>>,
): Promise<ReadonlyArray<EntryResult>> => {
  const held: Array<EntryResult | undefined> = []
  const distinct: Array<Entry> = []
  const seen = new Set<string>()
  for (const entry of entries) {
    const key = keyOf(entry)
    if (seen.has(key))
      held.push(
        entryFailed(
          deliveryError("InvalidRequest", {
            retryable: true,
            rawCode: `Duplicate${keyName.charAt(0).toUpperCase()}${keyName.slice(1)}`,
            rawMessage: `${keyName} ${key} is already in this request; resend it in another one`,
          }),
        ),
      )
    else {
      seen.add(key)
      distinct.push(entry)
      held.push(undefined)
    }
  }
  if (distinct.length === entries.length) return send(distinct)
  const sentResults = await send(distinct)
  let next = 0
  return held.map((result) => result ?? sentResults[next++]!)
}

/** One entry a response reports as accepted, by key, with the destination's receipt. */
export interface KeyedSuccess {
  readonly key: string | undefined
  readonly receipt?: string | undefined
}

/**
 * Index-aligned results for a request whose response lists every entry by key, successes and
 * failures apart (SQS SendMessageBatch, SNS PublishBatch: `Successful` and `Failed` by `Id`); `keys`
 * are the keys sent, in order, all different. An entry listed in neither list, or in both, has an
 * unknown outcome; a key that was not sent (or none) puts the listed successes in doubt too, since
 * the response cannot be matched to the request.
 */
export const resultsByEntryKey = (
  keys: ReadonlyArray<string>,
  successes: Iterable<KeyedSuccess>,
  failures: Iterable<KeyedFailure>,
  keyName = "key",
): ReadonlyArray<EntryResult> => {
  const indexOf = new Map(keys.map((key, i) => [key, i]))
  const results: Array<EntryResult | undefined> = keys.map(() => undefined)
  const strays: Array<string> = []
  const twice: Array<number> = []
  const place = (key: string | undefined, result: EntryResult) => {
    const index = key === undefined ? undefined : indexOf.get(key)
    if (index === undefined) strays.push(key ?? `(no ${keyName})`)
    else if (results[index] !== undefined) twice.push(index)
    else results[index] = result
  }
  for (const success of successes) place(success.key, entryOk(success.receipt))
  for (const failure of failures) place(failure.key, entryFailed(failure.error))
  for (const index of twice)
    results[index] = entryFailed(
      inconsistentResponse(`the response lists ${keyName} ${keys[index]} more than once`),
    )
  const straysNote =
    strays.length === 0
      ? undefined
      : `the response reports results for ${keyName}s that were not sent: ${strays.join(", ")}`
  return results.map((result, i) => {
    if (result === undefined)
      return entryFailed(inconsistentResponse(`the response does not mention ${keyName} ${keys[i]}`))
    if (straysNote !== undefined && result.ok) return entryFailed(inconsistentResponse(straysNote))
    return result
  })
}
