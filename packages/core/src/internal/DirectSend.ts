/**
 * The definition behind an adapter made by `defineAdapter`, for the engine's own request path: it
 * calls the definition's `send` itself, so a Promise-returning send costs one async step per
 * request (timeout and abort handled around it) instead of an Effect pipeline. Kept in a WeakMap,
 * not on the adapter, so a copy of an adapter with its own `send` (`{ ...adapter, send }`) is sent
 * through that `send`, as written.
 */
import type { Adapter, Batch, SendResult } from "../Adapter.ts"
import type { DeliveryError } from "../DeliveryError.ts"

export interface DirectSend {
  readonly send: (
    batch: Batch<unknown>,
    context: { readonly signal: AbortSignal },
  ) => PromiseLike<SendResult> | unknown
  readonly toDeliveryError: (error: unknown) => DeliveryError
}

const directSends = new WeakMap<Adapter<unknown>, DirectSend>()

export const registerDirectSend = (adapter: Adapter<unknown>, direct: DirectSend): void => {
  directSends.set(adapter, direct)
}

export const directSendOf = (adapter: Adapter<unknown>): DirectSend | undefined => directSends.get(adapter)
