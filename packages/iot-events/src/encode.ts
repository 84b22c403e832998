/**
 * One neutral event → one BatchPutMessage message, or the reasons IoT Events would refuse it.
 */
import type { Message } from "@aws-sdk/client-iot-events-data"
import {
  checkHookData,
  checkString,
  deriveStableId,
  type EncodeResult,
  type Event,
  encoded,
  jsonPayload,
  rejected,
  resolveOption,
  runHook,
  type Violation,
  violation,
} from "@eventport/core"
import type { IotEventsOptions } from "./IotEventsOptions.ts"
import { inputName as inputNameRule, messageId as messageIdRule, minTimeInMillis } from "./limits.ts"

/** What `encode` needs of the options. */
export type EncodeOptions = Pick<IotEventsOptions, "inputName" | "payload">

/**
 * The event id when IoT Events accepts it as a messageId (1–64 of `[a-zA-Z0-9_-]`); otherwise core's
 * stable derived id (`sha256-` and 43 base64url characters), so a retry of the same event sends the
 * same messageId.
 */
export const messageIdFor = (eventId: string): string => deriveStableId(eventId, messageIdRule)

/** `inputName`: 1–128 characters, starting with a letter or digit, then letters, digits, `_`, `.`, `-`. */
export const checkInputName = (name: unknown): Violation | undefined =>
  checkString("inputName", name, inputNameRule)

/** The size rule: a message counts its payload bytes (before the SDK's transport base64). */
export const entryBytes = (message: Message): number => message.payload?.byteLength ?? 0

/**
 * The payload bytes: binary data or a hook's bytes as they are, any other value as its JSON text.
 * Never base64 here: the SDK does that for the transport.
 */
const payloadOf = (event: Event, options: EncodeOptions): Uint8Array | Violation => {
  if (options.payload === undefined)
    return event.data instanceof Uint8Array ? event.data : jsonPayload("data", event.data)
  const built = runHook("payload", options.payload, event)
  if (!built.ok) return built.violation
  if (built.value instanceof Uint8Array) return built.value
  return checkHookData("payload", built.value) ?? jsonPayload("payload", built.value)
}

/** Validates and translates one event. Never throws; hooks that throw reject the event. */
export const encode = (event: Event, options: EncodeOptions): EncodeResult<Message> => {
  const violations: Array<Violation> = []

  const name = resolveOption("inputName", options.inputName, event, checkInputName)
  if (!name.ok) violations.push(name.violation)

  const payload = payloadOf(event, options)
  if (!(payload instanceof Uint8Array)) violations.push(payload)

  const timeInMillis = event.time.getTime()
  if (timeInMillis < minTimeInMillis)
    violations.push(
      violation("time", "min", "must be after 1970-01-01T00:00:00.000Z (timeInMillis is at least 1)"),
    )

  if (violations.length > 0 || !name.ok || !(payload instanceof Uint8Array)) return rejected(...violations)
  const messageId = messageIdFor(event.id)
  const message: Message = { messageId, inputName: name.value, payload, timestamp: { timeInMillis } }
  return encoded(message, entryBytes(message), {
    sentId: messageId === event.id ? undefined : messageId,
  })
}
