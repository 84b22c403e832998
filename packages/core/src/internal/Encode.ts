/**
 * Encoding one event for one destination, the only place an {@link Entry} is made. The adapter's
 * `encode` may reject the event (a `Rejected` outcome) or, being user code, throw: that is an
 * adapter bug, and the pair fails with a `DeliveryError` naming it while the publisher goes on.
 */
import type { Adapter, Encoded, EncodeRejected } from "../Adapter.ts"
import { type DeliveryError, deliveryError } from "../DeliveryError.ts"
import type { Event, Violation } from "../Event.ts"
import type { Entry } from "./Job.ts"
import { describeThrown } from "./Thrown.ts"

/**
 * A thrown value's name and message, for an error that must say what went wrong without leaking it
 * whole. Never throws, whatever was thrown (a proxy, an error whose `message` getter throws).
 */
export const errorText = (error: unknown): { rawCode?: string; rawMessage: string } => {
  try {
    if (error instanceof Error) {
      const { name, message } = error
      if (typeof name === "string" && typeof message === "string")
        return { rawCode: name, rawMessage: message }
    }
  } catch {}
  return { rawMessage: describeThrown(error) }
}

const encodeBug = (adapter: Adapter<unknown>, what: string): DeliveryError =>
  deliveryError("Unknown", {
    retryable: false,
    rawCode: "AdapterBug",
    rawMessage: `adapter ${adapter.kind} bug: encode returned ${what} (expected encoded(...) or rejected(...))`,
    attempts: 0,
  })

/** The parts of what `encode` returned, read once and checked: it is user code's value. */
const encodeResultOf = (
  result: unknown,
):
  | { readonly _tag: "Rejected"; readonly violations: ReadonlyArray<Violation> }
  | Encoded<unknown>
  | string => {
  try {
    if (typeof result !== "object" || result === null) return result === null ? "null" : typeof result
    const r = result as Record<string, unknown>
    const tag = r._tag
    if (tag === "Rejected") {
      const violations = r.violations
      if (!Array.isArray(violations) || violations.length === 0) return "a rejection without violations"
      for (const v of violations as ReadonlyArray<Partial<Violation> | null>)
        if (typeof v?.field !== "string" || typeof v.rule !== "string" || typeof v.message !== "string")
          return "a rejection with a violation lacking field, rule or message"
      return r as unknown as EncodeRejected
    }
    if (tag !== "Encoded") return "an object that is neither Encoded nor Rejected"
    const { bytes, batchKey, sentId } = r
    if (typeof bytes !== "number" || !(bytes >= 0)) return "an entry whose bytes is not a number >= 0"
    if (batchKey !== undefined && typeof batchKey !== "string") return "a batchKey that is not a string"
    if (sentId !== undefined && typeof sentId !== "string") return "a sentId that is not a string"
    return r as unknown as Encoded<unknown>
  } catch {
    return "a value that throws when read"
  }
}

/**
 * Encodes `event` with `adapter`. `generatedId`: the engine generated the event's id, so it
 * cannot collide and the packer need not check it for duplicates (unless the adapter sends another id).
 */
export const encodeEntry = (
  adapter: Adapter<unknown>,
  event: Event,
  generatedId: boolean,
): Entry | EncodeRejected | DeliveryError => {
  let result: unknown
  try {
    result = adapter.encode(event)
  } catch (error) {
    const text = errorText(error)
    return deliveryError("Unknown", {
      retryable: false,
      ...(text.rawCode === undefined ? {} : { rawCode: text.rawCode }),
      rawMessage: `adapter ${adapter.kind} encode threw: ${text.rawMessage}`,
      attempts: 0,
    })
  }
  const encoded = encodeResultOf(result)
  if (typeof encoded === "string") return encodeBug(adapter, encoded)
  if (encoded._tag === "Rejected") return encoded
  const sentId = encoded.sentId
  return {
    _tag: "Entry",
    event,
    entry: encoded.entry,
    bytes: encoded.bytes,
    id: sentId ?? event.id,
    batchKey: encoded.batchKey,
    orderingKey: encoded.orderingKey,
    sentId,
    uniqueId: generatedId && sentId === undefined,
  }
}
