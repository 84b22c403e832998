/**
 * Dead letters: a `Rejected` or `Failed` outcome wrapped as an ordinary {@link Event}, so any
 * adapter can store it (a file, a queue, a bus) and {@link originalEvent} can take it back out for
 * replay. The envelope carries the original event as a CloudEvent, the destination and the reason;
 * an input that was not even a valid event is described, never copied.
 */
import { describeValue } from "./AdapterSupport.ts"
import { type CloudEvent, fromCloudEvent, toCloudEvent } from "./CloudEvent.ts"
import type { DeliveryErrorCode } from "./DeliveryError.ts"
import {
  type Event,
  generateEventId,
  InvalidEventError,
  type JsonValue,
  type Violation,
  validateEvent,
} from "./Event.ts"
import type { Failed, Rejected } from "./Outcome.ts"

/** `type` of every dead-letter event. */
export const deadLetterType = "eventport.deadletter"
/** `source` of every dead-letter event. */
export const deadLetterSource = "eventport"

/** Why the pair was not delivered. */
export interface DeadLetterReason {
  /** The normalized {@link DeliveryErrorCode} (Failed only). */
  readonly code?: DeliveryErrorCode
  readonly retryable?: boolean
  /** The destination's own error code (Failed only, when it gave one). */
  readonly rawCode?: string
  /** The rejection message, or the delivery error's message. */
  readonly message: string
  /** What the event broke (Rejected only). */
  readonly violations?: ReadonlyArray<Violation>
  /** The destination may hold the event anyway (a request timed out after sending). */
  readonly outcomeUnknown?: boolean
  /** Requests that carried the event. */
  readonly attempts?: number
  /** With code `RetryBudgetExhausted`: the last code the destination gave. */
  readonly lastCode?: DeliveryErrorCode
}

/** The `data` of a dead-letter event. */
export interface DeadLetterData {
  /** The destination's name in the publisher's `destinations`. */
  readonly destination: string
  /**
   * The outcome's event id: the event's own id, or `input[<index>]` for an input that was not a
   * valid event, so every dead letter can be matched to its outcome, even without the original.
   */
  readonly eventId: string
  readonly outcome: "Rejected" | "Failed"
  readonly reason: DeadLetterReason
  /** The original event, or a description of an input that was not a valid event. */
  readonly event: CloudEvent | { readonly invalidInput: string }
}

const reasonOf = (outcome: Rejected | Failed): DeadLetterReason => {
  if (outcome._tag === "Rejected")
    return { message: outcome.message, violations: outcome.violations.map((v) => ({ ...v })) }
  const e = outcome.error
  const reason: { -readonly [K in keyof DeadLetterReason]: DeadLetterReason[K] } = {
    code: e.code,
    retryable: e.retryable,
    message: e.message,
    attempts: outcome.attempts,
  }
  if (e.rawCode !== undefined) reason.rawCode = e.rawCode
  if (e.outcomeUnknown === true) reason.outcomeUnknown = true
  if (e.lastCode !== undefined) reason.lastCode = e.lastCode
  return reason
}

/** The outcome's event as a CloudEvent, or a description when the input was not a valid event. */
const originalOf = (outcome: Rejected | Failed): DeadLetterData["event"] => {
  const input = outcome.event
  try {
    const validation = validateEvent(input)
    // Only a valid event with its own id is the original: anything else was rejected as input.
    if (validation.ok && (input as { id?: unknown }).id === validation.event.id)
      return toCloudEvent(validation.event)
    return { invalidInput: `${describeValue(input)} that is not a valid event (see reason.violations)` }
  } catch {
    // An input whose getters or proxy traps throw: the reason's violations say which.
    return { invalidInput: "an input that throws when read, not a valid event (see reason.violations)" }
  }
}

/** Wraps a `Rejected` or `Failed` outcome as a dead-letter event (`type` {@link deadLetterType}). */
export const deadLetterEvent = (outcome: Rejected | Failed): Event => {
  const data: DeadLetterData = {
    destination: outcome.destination,
    eventId: outcome.eventId,
    outcome: outcome._tag,
    reason: reasonOf(outcome),
    event: originalOf(outcome),
  }
  return {
    id: generateEventId(),
    type: deadLetterType,
    source: deadLetterSource,
    time: new Date(),
    subject: outcome.destination,
    dataContentType: "application/json",
    data: data as unknown as JsonValue,
  }
}

/** Whether an event is a dead letter made by {@link deadLetterEvent}. */
export const isDeadLetter = (event: Event): boolean =>
  event.type === deadLetterType &&
  event.source === deadLetterSource &&
  typeof event.data === "object" &&
  event.data !== null &&
  !(event.data instanceof Uint8Array) &&
  !Array.isArray(event.data) &&
  typeof (event.data as Record<string, unknown>).event === "object"

/** The envelope of a dead letter. Throws {@link InvalidEventError} when `deadLetter` is not one. */
export const deadLetterData = (deadLetter: Event): DeadLetterData => {
  if (!isDeadLetter(deadLetter))
    throw new InvalidEventError(deadLetter.id, [
      {
        field: "type",
        rule: "deadLetter",
        message: `must be a dead letter (type ${deadLetterType}, source ${deadLetterSource}, data.event an object)`,
      },
    ])
  return deadLetter.data as unknown as DeadLetterData
}

/**
 * The original event inside a dead letter, for replay (the same id, so destinations that
 * deduplicate by id see a resend). Throws {@link InvalidEventError} when `deadLetter` is not a dead
 * letter, or when it holds no event because the input was not a valid event.
 */
export const originalEvent = (deadLetter: Event): Event => {
  const original = deadLetterData(deadLetter).event
  if ("invalidInput" in original)
    throw new InvalidEventError(deadLetter.id, [
      {
        field: "data.event",
        rule: "invalidInput",
        message: "holds no event: the input was not a valid event, so only its description was kept",
      },
    ])
  return fromCloudEvent(original as CloudEvent)
}
