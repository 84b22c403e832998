/**
 * The plug point. An adapter only translates: it declares its destination's limits, encodes one
 * event into one wire entry (or rejects it), and sends one batch in one API call. Packing,
 * retries, concurrency, timeouts, fan-out and buffering live in the core, once, for every adapter.
 */
import { Effect } from "effect"
import { classifyError, DeliveryError } from "./DeliveryError.ts"
import type { Event, Violation } from "./Event.ts"
import { registerDirectSend } from "./internal/DirectSend.ts"

/** A destination's request limits. Sizes are measured by the destination's own size rule. */
export interface AdapterLimits {
  /** Most entries one request may carry. */
  readonly maxEntries: number
  /**
   * Most bytes one request may carry: `requestOverheadBytes` plus the sum of each entry's
   * `bytes` as `encode` measured it. `Infinity` when the destination has no such limit.
   */
  readonly maxRequestBytes: number
  /** Most bytes one entry may have. Larger entries are `Rejected` with their size and the limit. */
  readonly maxEntryBytes: number
  /** Bytes a request costs before any entry (framing). Defaults to 0. */
  readonly requestOverheadBytes?: number
}

/** `encode` succeeded: one wire entry and its size. */
export interface Encoded<Entry> {
  readonly _tag: "Encoded"
  readonly entry: Entry
  /** Size of the entry by the destination's own size rule. */
  readonly bytes: number
  /** Entries with different keys never share a request (e.g. IoT Analytics' channelName). */
  readonly batchKey?: string
  /** The id actually sent when it differs from the event id (reported on the outcome). */
  readonly sentId?: string
}

/** `encode` refused the event: it would be refused by the destination. */
export interface EncodeRejected {
  readonly _tag: "Rejected"
  readonly violations: ReadonlyArray<Violation>
}

export type EncodeResult<Entry> = Encoded<Entry> | EncodeRejected

export const encoded = <Entry>(
  entry: Entry,
  bytes: number,
  options: { readonly batchKey?: string | undefined; readonly sentId?: string | undefined } = {},
): Encoded<Entry> => {
  const out: { -readonly [K in keyof Encoded<Entry>]: Encoded<Entry>[K] } = { _tag: "Encoded", entry, bytes }
  if (options.batchKey !== undefined) out.batchKey = options.batchKey
  if (options.sentId !== undefined) out.sentId = options.sentId
  return out
}

export const rejected = (...violations: ReadonlyArray<Violation>): EncodeRejected => ({
  _tag: "Rejected",
  violations,
})

/** One request's worth of entries, all with the same batch key. */
export interface Batch<Entry> {
  readonly entries: ReadonlyArray<Entry>
  readonly batchKey: string | undefined
  /** 1 for the first request that carries these entries, 2 for the first retry… */
  readonly attempt: number
}

/** The destination's answer for one entry. */
export type EntryResult =
  | { readonly ok: true; readonly receipt?: string | undefined }
  | { readonly ok: false; readonly error: DeliveryError }

export const entryOk = (receipt?: string): EntryResult =>
  receipt === undefined ? { ok: true } : { ok: true, receipt }
export const entryFailed = (error: DeliveryError): EntryResult => ({ ok: false, error })

/** Results index-aligned with `batch.entries`. A whole-request failure is the send's error instead. */
export type SendResult = ReadonlyArray<EntryResult>

const AdapterTypeId: unique symbol = Symbol.for("@eventport/core/Adapter") as never

/** A ready adapter, as `defineAdapter` makes it. Its `send` never throws: errors are `DeliveryError`s. */
export interface Adapter<Entry = unknown> {
  readonly [AdapterTypeId]: true
  /** The kind of destination, e.g. `eventbridge`; used in spans and metrics. */
  readonly kind: string
  readonly limits: AdapterLimits
  readonly encode: (event: Event) => EncodeResult<Entry>
  // Method syntax on purpose: methods are bivariant in their parameters, so an
  // `Adapter<PutEventsRequestEntry>` is assignable where an `Adapter<unknown>` is expected
  // (a destination record holds adapters of different entry types).
  send(batch: Batch<Entry>): Effect.Effect<SendResult, DeliveryError>
  /** Releases what the adapter holds (its SDK client when it made one). */
  readonly close: Effect.Effect<void>
}

export const isAdapter = (u: unknown): u is Adapter =>
  typeof u === "object" && u !== null && AdapterTypeId in u

/** What an adapter author writes. `send` may return a Promise or an Effect. */
export interface AdapterDefinition<Entry> {
  readonly kind: string
  readonly limits: AdapterLimits
  readonly encode: (event: Event) => EncodeResult<Entry>
  /**
   * One API call for the batch. Return one {@link EntryResult} per entry, in order. Throw (reject,
   * or fail the Effect) for a whole-request error; `classifyError` turns what you throw into a
   * {@link DeliveryError}. The signal aborts when the engine's request timeout fires.
   */
  readonly send: (
    batch: Batch<Entry>,
    context: { readonly signal: AbortSignal },
  ) => PromiseLike<SendResult> | Effect.Effect<SendResult, unknown>
  /** Turns a whole-request error into a {@link DeliveryError}. Defaults to the core's {@link classifyError}. */
  readonly classifyError?: (error: unknown) => DeliveryError
  readonly close?: () => PromiseLike<void> | Effect.Effect<void> | void
}

const checkLimits = (kind: string, limits: AdapterLimits) => {
  const positive = (name: keyof AdapterLimits, value: number | undefined, integer: boolean) => {
    if (value === undefined) return
    if (!(value > 0) || (integer && !Number.isInteger(value)))
      throw new RangeError(
        `adapter ${kind}: limits.${name} must be a positive ${integer ? "integer" : "number"}, got ${value}`,
      )
  }
  positive("maxEntries", limits.maxEntries, true)
  positive("maxRequestBytes", limits.maxRequestBytes, false)
  positive("maxEntryBytes", limits.maxEntryBytes, false)
  if (limits.requestOverheadBytes !== undefined && !(limits.requestOverheadBytes >= 0))
    throw new RangeError(`adapter ${kind}: limits.requestOverheadBytes must be >= 0`)
}

/** Makes an {@link Adapter} from a definition, with either a Promise- or an Effect-returning `send`. */
export const defineAdapter = <Entry>(definition: AdapterDefinition<Entry>): Adapter<Entry> => {
  checkLimits(definition.kind, definition.limits)
  const classify = definition.classifyError ?? classifyError
  const toDeliveryError = (error: unknown): DeliveryError =>
    DeliveryError.isInstance(error) ? error : classify(error)
  const close = definition.close
  const adapter: Adapter<Entry> = {
    [AdapterTypeId]: true,
    kind: definition.kind,
    limits: definition.limits,
    encode: definition.encode,
    send: (batch) =>
      Effect.suspend(() => {
        const controller = new AbortController()
        let sent: PromiseLike<SendResult> | Effect.Effect<SendResult, unknown>
        try {
          sent = definition.send(batch, { signal: controller.signal })
        } catch (error) {
          return Effect.fail(toDeliveryError(error))
        }
        if (Effect.isEffect(sent))
          return (sent as Effect.Effect<SendResult, unknown>).pipe(Effect.mapError(toDeliveryError))
        const promise = sent
        return Effect.tryPromise({ try: () => promise, catch: toDeliveryError }).pipe(
          Effect.onInterrupt(() => Effect.sync(() => controller.abort())),
        )
      }),
    close:
      close === undefined
        ? Effect.void
        : Effect.tryPromise(async () => {
            const closed = close()
            if (Effect.isEffect(closed)) await Effect.runPromise(closed as Effect.Effect<void>)
            else await closed
          }).pipe(Effect.ignore),
  }
  registerDirectSend(adapter as Adapter<unknown>, {
    send: definition.send as (batch: Batch<unknown>, context: { readonly signal: AbortSignal }) => unknown,
    toDeliveryError,
  })
  return adapter
}
