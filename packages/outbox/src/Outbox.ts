/**
 * The producer's side: `add(events)` validates every event as `publish` would, then stores it with
 * one pending pair per destination. Durable when it resolves; inside the caller's transaction,
 * durable when that commits.
 */
import {
  checkOptionNames,
  type Event,
  type EventInput,
  type OptionNames,
  type Violation,
  validateEvent,
} from "@eventport/core"
import { encodeEvent } from "./EventCodec.ts"
import type { OutboxStore, StoredEvent } from "./OutboxStore.ts"

/** One event `add` refused, with the same violations `publish` would report for it. */
export interface InvalidOutboxEvent {
  /** Its position in the input. */
  readonly index: number
  readonly eventId: string | undefined
  readonly violations: ReadonlyArray<Violation>
}

const InvalidEventsErrorTypeId: unique symbol = Symbol.for("@eventport/outbox/InvalidEventsError") as never

/** `add` stored nothing because some events are invalid; every one is listed. */
export class InvalidEventsError extends Error {
  readonly [InvalidEventsErrorTypeId] = true
  override readonly name = "InvalidEventsError"
  readonly invalid: ReadonlyArray<InvalidOutboxEvent>
  constructor(invalid: ReadonlyArray<InvalidOutboxEvent>) {
    const first = invalid[0]!
    super(
      `outbox add: ${invalid.length} invalid event${invalid.length === 1 ? "" : "s"}, nothing stored; ` +
        `first at index ${first.index}${first.eventId === undefined ? "" : ` (${first.eventId})`}: ` +
        first.violations.map((v) => `${v.field} ${v.message} (${v.rule})`).join("; "),
    )
    this.invalid = invalid
  }
  static isInstance(u: unknown): u is InvalidEventsError {
    return typeof u === "object" && u !== null && InvalidEventsErrorTypeId in u
  }
}

export interface OutboxOptions<Tx> {
  readonly store: OutboxStore<Tx>
  /** Names of the destinations every event gets a pair for (the relays' `destinations` keys). */
  readonly destinations: ReadonlyArray<string>
}

/** Every option's name, held to {@link OutboxOptions} by the compiler: `createOutbox` refuses any other. */
const outboxOptionNames = {
  store: true,
  destinations: true,
} as const satisfies OptionNames<OutboxOptions<unknown>>

export interface AddOptions<Tx> {
  /** Join the caller's transaction (a `pg` client for PostgreSQL, a `multi()` for Redis). */
  readonly transaction?: Tx
  /** Only these destinations, instead of all the outbox's. */
  readonly destinations?: ReadonlyArray<string>
}

/** Every name of {@link AddOptions}: `add` refuses any other (a misspelt `transaction` would store outside it). */
const addOptionNames = {
  transaction: true,
  destinations: true,
} as const satisfies OptionNames<AddOptions<unknown>>

export interface Outbox<Tx> {
  readonly store: OutboxStore<Tx>
  readonly destinations: ReadonlyArray<string>
  /**
   * Validates and stores the events. Rejects with {@link InvalidEventsError} (nothing stored) or
   * an `OutboxStoreError` (nothing stored). Resolves with the normalized events (ids filled in).
   */
  readonly add: (
    events: ReadonlyArray<EventInput | Event>,
    options?: AddOptions<Tx>,
  ) => Promise<ReadonlyArray<Event>>
  /** The validation and encoding `add` does, for callers that write the rows themselves. */
  readonly prepare: (events: ReadonlyArray<EventInput | Event>) => {
    readonly events: ReadonlyArray<Event>
    readonly stored: ReadonlyArray<StoredEvent>
  }
}

const checkDestinations = (names: ReadonlyArray<string>, known: ReadonlySet<string> | undefined) => {
  if (names.length === 0) throw new TypeError("outbox: at least one destination is needed")
  for (const name of names) {
    if (typeof name !== "string" || name.length === 0 || name.length > 200)
      throw new TypeError(`outbox: a destination name must be 1-200 characters, got ${JSON.stringify(name)}`)
    if (known !== undefined && !known.has(name))
      throw new TypeError(
        `outbox: unknown destination ${JSON.stringify(name)} (have ${[...known].join(", ")})`,
      )
  }
}

export const createOutbox = <Tx>(options: OutboxOptions<Tx>): Outbox<Tx> => {
  checkOptionNames("createOutbox", options, outboxOptionNames)
  const destinations = [...new Set(options.destinations)]
  checkDestinations(destinations, undefined)
  const known = new Set(destinations)
  const { store } = options

  const prepare = (input: ReadonlyArray<EventInput | Event>) => {
    const events: Array<Event> = []
    const invalid: Array<InvalidOutboxEvent> = []
    input.forEach((candidate, index) => {
      const result = validateEvent(candidate)
      if (result.ok) events.push(result.event)
      else invalid.push({ index, eventId: result.eventId, violations: result.violations })
    })
    if (invalid.length > 0) throw new InvalidEventsError(invalid)
    return { events, stored: events.map(encodeEvent) }
  }

  return {
    store,
    destinations,
    prepare,
    add: async (input, addOptions) => {
      // A misspelt `transaction` would store the rows outside the caller's transaction, so that a
      // rollback would leave them to be sent: refused, before anything is stored.
      if (addOptions !== undefined) checkOptionNames("outbox.add", addOptions, addOptionNames)
      const { events, stored } = prepare(input)
      const targets = addOptions?.destinations ?? destinations
      checkDestinations(targets, known)
      if (stored.length > 0) await store.add(stored, targets, addOptions?.transaction)
      return events
    },
  }
}
