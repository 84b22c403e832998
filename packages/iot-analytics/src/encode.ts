/**
 * One event → one IoT Analytics message, or the reasons the service would refuse it.
 */
import {
  checkHookData,
  checkString,
  deriveStableId,
  type EncodeResult,
  type Event,
  encoded,
  type JsonValue,
  jsonPayload,
  rejected,
  resolveOption,
  runHook,
  type Violation,
  violation,
} from "@eventport/core"
import type { FieldNameRule, IotAnalyticsOptions } from "./IotAnalyticsOptions.ts"
import {
  channelName as channelNameRule,
  fieldNameDocumentedPattern,
  fieldNameMaxLength,
  fieldNameProsePattern,
  messageId as messageIdRule,
} from "./limits.ts"

/** One message as BatchPutMessage takes it, with the channel it goes to (the batch key). */
export interface IotAnalyticsEntry {
  readonly channelName: string
  readonly messageId: string
  /** Raw bytes; the SDK adds the transport base64. */
  readonly payload: Uint8Array
}

/** The first rule `channelName` breaks, if any. */
export const checkChannelName = (channelName: unknown, field = "channelName"): Violation | undefined =>
  checkString(field, channelName, channelNameRule)

const checkChannelNameOption = (channelName: unknown) => checkChannelName(channelName)

/** The size rule: a message counts its payload bytes (before the SDK's transport base64). */
export const entryBytes = (entry: IotAnalyticsEntry): number => entry.payload.byteLength

/**
 * The event id when IoT Analytics accepts it as a messageId (1–128 ASCII characters); otherwise core's
 * stable derived id (`sha256-` and 43 base64url characters), so a retry of the same event sends the
 * same messageId.
 */
export const messageIdFor = (eventId: string): string => deriveStableId(eventId, messageIdRule)

const ruleText: Record<FieldNameRule, string> = {
  prose: "must contain only letters, digits and _, and begin with a letter or a single _",
  documentedRegex: `must match ${fieldNameDocumentedPattern.source}`,
}

/** Reporting stops here: one bad payload should not produce an unbounded message. */
const maxViolations = 10

/**
 * Every field-name rule a JSON payload breaks, in nested objects and arrays too: the pattern, the
 * 255-character limit, and case-insensitive duplicates within one object. Walks with an explicit
 * stack so deep payloads cannot overflow the call stack.
 */
export const checkFieldNames = (
  value: JsonValue,
  root: string,
  rule: FieldNameRule = "prose",
): ReadonlyArray<Violation> => {
  const pattern = rule === "prose" ? fieldNameProsePattern : fieldNameDocumentedPattern
  const violations: Array<Violation> = []
  const stack: Array<{ readonly value: JsonValue; readonly path: string }> = [{ value, path: root }]
  while (stack.length > 0 && violations.length < maxViolations) {
    const { value: current, path } = stack.pop()!
    if (typeof current !== "object" || current === null) continue
    if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push({ value: current[i]!, path: `${path}[${i}]` })
      continue
    }
    const seen = new Map<string, string>()
    const children: Array<{ readonly value: JsonValue; readonly path: string }> = []
    for (const [key, child] of Object.entries(current as { readonly [key: string]: JsonValue })) {
      const field = `${path}.${key}`
      if (key.length > fieldNameMaxLength)
        violations.push(
          violation(
            `${path}.${key.slice(0, 40)}…`,
            "fieldNameLength",
            `field name must be at most ${fieldNameMaxLength} characters, got ${key.length}`,
          ),
        )
      else if (!pattern.test(key))
        violations.push(violation(field, "fieldName", `field name ${ruleText[rule]} (IoT Analytics rule)`))
      const folded = key.toLowerCase()
      const first = seen.get(folded)
      if (first !== undefined)
        violations.push(
          violation(
            field,
            "duplicateFieldName",
            `duplicates field ${first}: IoT Analytics field names are case-insensitive`,
          ),
        )
      else seen.set(folded, key)
      children.push({ value: child, path: field })
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!)
  }
  return violations.slice(0, maxViolations)
}

/** What `encode` needs of the options. */
export interface EncodeOptions {
  readonly channelName: IotAnalyticsOptions["channelName"]
  readonly payload?: IotAnalyticsOptions["payload"]
  readonly fieldNameRule?: FieldNameRule
}

/** @deprecated The former name of {@link EncodeOptions}. */
export type EncodeSettings = EncodeOptions

/** A JSON payload's bytes, or every field-name rule it breaks, or why it cannot be serialized. */
const jsonPayloadOf = (
  value: JsonValue,
  field: string,
  rule: FieldNameRule | undefined,
): Uint8Array | ReadonlyArray<Violation> => {
  // The field-name walk is iterative; the depth rule is checked before JSON.stringify recurses.
  const badNames = checkFieldNames(value, field, rule)
  if (badNames.length > 0) return badNames
  const payload = jsonPayload(field, value)
  return payload instanceof Uint8Array ? payload : [payload]
}

/**
 * Validates and translates one event. The entry's `bytes` is the payload's byte length (the size the
 * per-message limit is about); the engine rejects entries over `limits.maxEntryBytes`.
 */
export const encode = (event: Event, options: EncodeOptions): EncodeResult<IotAnalyticsEntry> => {
  const violations: Array<Violation> = []

  const channel = resolveOption("channelName", options.channelName, event, checkChannelNameOption)
  if (!channel.ok) violations.push(channel.violation)

  let payload: Uint8Array | undefined
  const field = options.payload === undefined ? "data" : "payload"
  const built =
    options.payload === undefined
      ? { ok: true as const, value: event.data }
      : runHook("payload", options.payload, event)
  if (!built.ok) violations.push(built.violation)
  else if (built.value instanceof Uint8Array) payload = built.value
  else {
    // A hook's result is not validated by the event model: check it is JSON before walking it.
    const notJson = options.payload === undefined ? undefined : checkHookData("payload", built.value)
    const json = notJson ?? jsonPayloadOf(built.value, field, options.fieldNameRule)
    if (json instanceof Uint8Array) payload = json
    else violations.push(...("rule" in json ? [json] : json))
  }

  if (violations.length > 0 || !channel.ok || payload === undefined) return rejected(...violations)
  const messageId = messageIdFor(event.id)
  const entry: IotAnalyticsEntry = { channelName: channel.value, messageId, payload }
  return encoded(entry, entryBytes(entry), {
    batchKey: channel.value,
    sentId: messageId === event.id ? undefined : messageId,
  })
}
