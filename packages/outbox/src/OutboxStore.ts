/**
 * The store contract: what a durable outbox needs from an engine. One implementation per engine
 * (`postgresStore`, `redisStore`), every one checked by the same shared suite. A store keeps one
 * record per event and one per (event, destination) pair; the pair carries the whole delivery
 * state, so any relay process can pick up where another stopped.
 *
 * Times are the store's own clock (PostgreSQL `now()`, Redis `TIME`), never a relay's, so relays on
 * machines with skewed clocks still agree on leases and retry times.
 */

/** An event as the outbox stores it: its id and its serialized form (see EventCodec). */
export interface StoredEvent {
  readonly id: string
  readonly body: string
}

/** Where a pair stands. `pending` covers ready, in flight (leased) and waiting for a retry. */
export type PairState = "pending" | "delivered" | "dead"

/** Why a pair is waiting for a retry or is dead: the engine's error, without payload values. */
export interface PairError {
  /** Normalized code (`Throttled`, `Unavailable`…), or `Rejected` for an event the destination refuses. */
  readonly code: string
  readonly retryable: boolean
  readonly message: string
  readonly rawCode?: string
  readonly httpStatus?: number
  readonly outcomeUnknown?: boolean
  /** With code `Rejected`: which field broke which rule. */
  readonly violations?: ReadonlyArray<{
    readonly field: string
    readonly rule: string
    readonly message: string
  }>
}

/** A pair handed to a relay under a lease. */
export interface ClaimedPair {
  readonly eventId: string
  readonly destination: string
  readonly event: StoredEvent
  /** How many times the pair was claimed, this claim included: the fencing token of the lease. */
  readonly claim: number
  /** Requests that carried the pair before this claim, over every relay. */
  readonly attempts: number
  /** Retries scheduled before this claim (the durable backoff continues from here). */
  readonly retries: number
  /**
   * The destination may already hold the event: an earlier lease ran out unsettled (its relay died
   * or stalled after sending), or an earlier request ended with an unknown outcome.
   */
  readonly possibleDuplicate: boolean
}

interface SettlementBase {
  readonly eventId: string
  readonly destination: string
  /** The claim being settled; a settlement of an older claim (lease lost) is ignored. */
  readonly claim: number
  /** Requests that carried the pair, all claims included. */
  readonly attempts: number
  readonly possibleDuplicate: boolean
}

export type PairSettlement =
  | (SettlementBase & { readonly kind: "delivered"; readonly receipt?: string })
  | (SettlementBase & {
      readonly kind: "retry"
      /** Wait before the next claim, measured on the store's clock. */
      readonly delayMs: number
      readonly retries: number
      readonly error: PairError
    })
  | (SettlementBase & { readonly kind: "dead"; readonly error: PairError })

/** The lease a relay holds on one claimed pair: the pair and the claim that took it. */
export interface PairLease {
  readonly eventId: string
  readonly destination: string
  /** The claim number the lease was taken with (`ClaimedPair.claim`). */
  readonly claim: number
}

export interface ClaimRequest {
  readonly destination: string
  /** Who holds the lease (one id per relay instance). */
  readonly owner: string
  readonly limit: number
  readonly leaseMs: number
}

/** Counts of one destination, as the CLI's `status` shows them. */
export interface DestinationStats {
  readonly destination: string
  /** Not yet delivered nor dead: ready, in flight and retrying together. */
  readonly pending: number
  /** Pending pairs under a live lease. */
  readonly inFlight: number
  /** Pending pairs, not in flight, with at least one retry scheduled. */
  readonly retrying: number
  readonly delivered: number
  readonly dead: number
  /** Age of the oldest pending pair, in ms; 0 when none is pending. */
  readonly oldestPendingAgeMs: number
}

/** Everything the store knows of one pair (for `dead show`, tests and audits). */
export interface PairRecord {
  readonly eventId: string
  readonly destination: string
  readonly state: PairState
  readonly addedAt: Date
  readonly nextAttemptAt: Date | undefined
  readonly claims: number
  readonly attempts: number
  readonly retries: number
  readonly possibleDuplicate: boolean
  readonly receipt: string | undefined
  readonly error: PairError | undefined
  readonly settledAt: Date | undefined
  readonly event: StoredEvent
}

/**
 * A durable outbox store. `Tx` is what `add` can join: a `pg` client inside the caller's
 * transaction for PostgreSQL, an ioredis `multi()` for Redis.
 */
export interface OutboxStore<Tx = never> {
  /** Engine name, for messages: `postgres`, `redis`. */
  readonly kind: string
  /** Creates the schema (tables, indexes) or checks the server. Idempotent; never run implicitly. */
  readonly setup: () => Promise<void>
  /** Removes everything this store keeps (its schema or its keys). For tests and teardown. */
  readonly drop: () => Promise<void>
  /**
   * Stores events and one pending pair per destination, all or nothing. An id already stored is
   * kept as it is (the event id is the idempotency key). Durable when the promise resolves; inside
   * `tx`, durable when the caller's transaction commits, and never stored if it rolls back.
   */
  readonly add: (
    events: ReadonlyArray<StoredEvent>,
    destinations: ReadonlyArray<string>,
    tx?: Tx,
  ) => Promise<void>
  /** Leases up to `limit` due pairs of one destination, oldest due first. */
  readonly claim: (request: ClaimRequest) => Promise<ReadonlyArray<ClaimedPair>>
  /**
   * Extends the leases of pairs still leased to `owner` under the given claims to `leaseMs` from
   * now; returns how many were extended. A pair settled meanwhile, or claimed by another relay
   * after the lease ran out, is left as it is (fenced like `settle`). The claimed pairs themselves
   * may be passed: only their event id, destination and claim are read.
   */
  readonly renew: (owner: string, leases: ReadonlyArray<PairLease>, leaseMs: number) => Promise<number>
  /** Records outcomes of pairs still leased to `owner`; returns how many were applied. */
  readonly settle: (owner: string, settlements: ReadonlyArray<PairSettlement>) => Promise<number>
  /** Counts per destination that has pairs. */
  readonly stats: () => Promise<ReadonlyArray<DestinationStats>>
  readonly pair: (destination: string, eventId: string) => Promise<PairRecord | undefined>
  /** Dead pairs of a destination, oldest first. */
  readonly deadLetters: (destination: string, limit: number) => Promise<ReadonlyArray<PairRecord>>
  /** Makes dead pairs pending again (all of the destination's, or the given ids); returns how many. */
  readonly replayDead: (destination: string, eventIds?: ReadonlyArray<string>) => Promise<number>
  /**
   * Deletes delivered pairs settled `olderThanMs` or more ago (0: every delivered pair), and events
   * left without pairs.
   */
  readonly purgeDelivered: (olderThanMs: number) => Promise<number>
  /** Closes connections the store opened itself (never a client the caller passed in). */
  readonly close: () => Promise<void>
}

const OutboxStoreErrorTypeId: unique symbol = Symbol.for("@eventport/outbox/OutboxStoreError") as never

/** The store could not be reached or refused an operation. Never carries credentials or payloads. */
export class OutboxStoreError extends Error {
  readonly [OutboxStoreErrorTypeId] = true
  override readonly name = "OutboxStoreError"
  readonly store: string
  readonly operation: string
  constructor(store: string, operation: string, cause: unknown) {
    super(`${store} outbox store: ${operation} failed: ${describeCause(cause)}`, { cause })
    this.store = store
    this.operation = operation
  }
  static isInstance(u: unknown): u is OutboxStoreError {
    return typeof u === "object" && u !== null && OutboxStoreErrorTypeId in u
  }
}

const describeCause = (cause: unknown): string => {
  if (cause instanceof AggregateError && cause.errors.length > 0) return describeCause(cause.errors[0])
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code
    const text = cause.message || cause.name
    return typeof code === "string" && !text.includes(code) ? `${code} ${text}` : text
  }
  return String(cause)
}

/** Runs one store operation, turning whatever it throws into an {@link OutboxStoreError}. */
export const storeOperation = async <A>(
  store: string,
  operation: string,
  run: () => Promise<A>,
): Promise<A> => {
  try {
    return await run()
  } catch (cause) {
    if (OutboxStoreError.isInstance(cause)) throw cause
    throw new OutboxStoreError(store, operation, cause)
  }
}
