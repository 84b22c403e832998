/**
 * The plug point. An adapter only translates: it declares its destination's limits, encodes one
 * event into one wire entry (or rejects it), and sends one batch in one API call. Packing,
 * retries, concurrency, timeouts, fan-out and buffering live in the core, once, for every adapter.
 */
import * as Effect from "effect/Effect"
import { classifyError, DeliveryError } from "./DeliveryError.ts"
import type { Event, Violation } from "./Event.ts"

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
  /**
   * Entries with the same ordering key keep their input order when the destination's `ordering`
   * option asks for it (e.g. a Kinesis partition key, an SQS or SNS FIFO message group); ignored
   * otherwise. See `PublisherOptions.ordering`.
   */
  readonly orderingKey?: string
}

/** `encode` refused the event: it would be refused by the destination. */
export interface EncodeRejected {
  readonly _tag: "Rejected"
  readonly violations: ReadonlyArray<Violation>
}

export type EncodeResult<Entry> = Encoded<Entry> | EncodeRejected

/** The default of `encoded`'s options: one object, not an empty one per encoded entry. */
const noEncodedOptions = Object.freeze({})

export const encoded = <Entry>(
  entry: Entry,
  bytes: number,
  options: {
    readonly batchKey?: string | undefined
    readonly sentId?: string | undefined
    readonly orderingKey?: string | undefined
  } = noEncodedOptions,
): Encoded<Entry> => {
  const out: { -readonly [K in keyof Encoded<Entry>]: Encoded<Entry>[K] } = { _tag: "Encoded", entry, bytes }
  if (options.batchKey !== undefined) out.batchKey = options.batchKey
  if (options.sentId !== undefined) out.sentId = options.sentId
  if (options.orderingKey !== undefined) out.orderingKey = options.orderingKey
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

/** The version of this contract. It changes when the contract does, while packages are 0.x. */
export const adapterSpecificationVersion = "v1"

/**
 * The definition's own `send`, carried on the adapter so the engine can call it directly: a
 * Promise-returning send then costs one async step per request, with the engine's timeout and
 * abort around it, instead of the Effect pipeline of {@link Adapter.send}. It applies only while
 * the adapter's `send` is still `madeSend` (the one `defineAdapter` made from it): a copy of an
 * adapter with its own `send` (`{ ...adapter, send }`) is sent through that `send`, as written.
 */
export interface RawSend<Entry> {
  /** The `send` `defineAdapter` made around this one. */
  readonly madeSend: unknown
  // Method syntax on purpose, as for `Adapter.send`: it keeps `Adapter<Entry>` assignable to `Adapter<unknown>`.
  call(
    batch: Batch<Entry>,
    context: { readonly signal: AbortSignal },
  ): PromiseLike<SendResult> | Effect.Effect<SendResult, unknown>
  /** The definition's `classifyError` (or the core's), keeping `DeliveryError`s as they are. */
  toDeliveryError(error: unknown): DeliveryError
}

/** A ready adapter, as `defineAdapter` makes it. Its `send` never throws: errors are `DeliveryError`s. */
export interface Adapter<Entry = unknown> {
  readonly [AdapterTypeId]: true
  /** The contract version the adapter was made for ({@link adapterSpecificationVersion}). */
  readonly specificationVersion: typeof adapterSpecificationVersion
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
  /** The definition's own send, for the engine's request path (see {@link RawSend}). */
  readonly rawSend: RawSend<Entry>
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
  const send = (batch: Batch<Entry>): Effect.Effect<SendResult, DeliveryError> =>
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
    })
  return {
    [AdapterTypeId]: true,
    specificationVersion: adapterSpecificationVersion,
    kind: definition.kind,
    limits: definition.limits,
    encode: definition.encode,
    send,
    close:
      close === undefined
        ? Effect.void
        : Effect.tryPromise(async () => {
            const closed = close()
            if (Effect.isEffect(closed)) await Effect.runPromise(closed as Effect.Effect<void>)
            else await closed
          }).pipe(Effect.ignore),
    rawSend: {
      madeSend: send,
      call: (batch, context) => definition.send(batch, context),
      toDeliveryError,
    },
  }
}
