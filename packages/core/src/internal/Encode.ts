/**
 * Encoding one event for one destination, the only place an {@link Entry} is made. The adapter's
 * `encode` may reject the event (a `Rejected` outcome) or, being user code, throw: that is an
 * adapter bug, and the pair fails with a `DeliveryError` naming it while the publisher goes on.
 */
import type { Adapter, EncodeRejected } from "../Adapter.ts"
import { type DeliveryError, deliveryError } from "../DeliveryError.ts"
import type { Event } from "../Event.ts"
import type { Entry } from "./Job.ts"

/** A thrown value's name and message, for an error that must say what went wrong without leaking it whole. */
export const errorText = (error: unknown): { rawCode?: string; rawMessage: string } => {
  if (error instanceof Error) return { rawCode: error.name, rawMessage: error.message }
  return { rawMessage: String(error) }
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
  let encoded: ReturnType<Adapter<unknown>["encode"]>
  try {
    encoded = adapter.encode(event)
  } catch (error) {
    const text = errorText(error)
    return deliveryError("Unknown", {
      retryable: false,
      ...(text.rawCode === undefined ? {} : { rawCode: text.rawCode }),
      rawMessage: `adapter ${adapter.kind} encode threw: ${text.rawMessage}`,
      attempts: 0,
    })
  }
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
