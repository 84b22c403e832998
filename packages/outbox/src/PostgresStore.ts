/**
 * The PostgreSQL store. Claims use `SELECT … FOR UPDATE SKIP LOCKED`, so any number of relays take
 * disjoint batches without waiting on each other; the lease is a time in the row, so a relay that
 * dies holds nothing once its lease ends. Each statement is a single SQL statement (data-modifying
 * CTEs), atomic by itself, so no client-side transaction is needed outside the caller's own.
 */

import { checkOptionNames, type OptionNames } from "@eventport/core"
import pg from "pg"
import {
  type ClaimedPair,
  type DestinationStats,
  type OutboxStore,
  type PairError,
  type PairRecord,
  type PairSettlement,
  type PairState,
  storeOperation,
} from "./OutboxStore.ts"

/** Anything that runs a parameterized query: a `pg` Pool, Client or PoolClient. */
export interface PgQueryable {
  query(text: string, values?: ReadonlyArray<unknown>): Promise<{ rows: Array<Record<string, unknown>> }>
}

export interface PostgresStoreOptions {
  /** A pool the caller owns (never closed by the store). */
  readonly pool?: pg.Pool
  /** Or a connection string; the store then owns its pool. */
  readonly connectionString?: string
  /** Schema holding the outbox tables. Default `eventport_outbox`. */
  readonly schema?: string
  /** Pool size when the store makes its pool. Default 4. */
  readonly maxConnections?: number
}

/** Every option's name, held to {@link PostgresStoreOptions} by the compiler: the store refuses any other. */
const postgresStoreOptionNames = {
  pool: true,
  connectionString: true,
  schema: true,
  maxConnections: true,
} as const satisfies OptionNames<PostgresStoreOptions>

const identifier = /^[a-z_][a-z0-9_]{0,62}$/

/** The statements of one schema; shared by the `pg` store and the Effect `SqlClient` add. */
export const postgresStatements = (schema: string) => {
  if (!identifier.test(schema))
    throw new TypeError(`postgresStore: schema must match ${identifier}, got ${JSON.stringify(schema)}`)
  const s = `"${schema}"`
  return {
    setup: [
      `CREATE SCHEMA IF NOT EXISTS ${s}`,
      `CREATE TABLE IF NOT EXISTS ${s}.outbox_event (
        id text PRIMARY KEY,
        body text NOT NULL,
        added_at timestamptz NOT NULL DEFAULT now())`,
      `CREATE TABLE IF NOT EXISTS ${s}.outbox_pair (
        destination text NOT NULL,
        event_id text NOT NULL REFERENCES ${s}.outbox_event (id) ON DELETE CASCADE,
        state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'dead')),
        added_at timestamptz NOT NULL DEFAULT now(),
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        lease_owner text,
        lease_until timestamptz,
        claims integer NOT NULL DEFAULT 0,
        attempts integer NOT NULL DEFAULT 0,
        retries integer NOT NULL DEFAULT 0,
        possible_duplicate boolean NOT NULL DEFAULT false,
        receipt text,
        error jsonb,
        settled_at timestamptz,
        PRIMARY KEY (destination, event_id))`,
      `CREATE INDEX IF NOT EXISTS outbox_pair_due ON ${s}.outbox_pair (destination, next_attempt_at) WHERE state = 'pending'`,
      `CREATE INDEX IF NOT EXISTS outbox_pair_settled ON ${s}.outbox_pair (state, settled_at) WHERE state <> 'pending'`,
      `CREATE INDEX IF NOT EXISTS outbox_pair_event ON ${s}.outbox_pair (event_id)`,
    ],
    drop: `DROP SCHEMA IF EXISTS ${s} CASCADE`,
    /** $1: JSON array of {id, body}; $2: JSON array of destination names. One statement. */
    add: `WITH input AS (
        SELECT * FROM json_to_recordset($1::json) AS x(id text, body text)),
      added AS (
        INSERT INTO ${s}.outbox_event (id, body) SELECT id, body FROM input
        ON CONFLICT (id) DO NOTHING RETURNING id)
      INSERT INTO ${s}.outbox_pair (destination, event_id)
      SELECT d.value, added.id FROM added CROSS JOIN json_array_elements_text($2::json) AS d`,
    /**
     * A pair whose lease ran out unsettled gets `possible_duplicate`: its relay may have sent it.
     * The lease end is also the next due time, so one index serves ready and expired pairs.
     */
    claim: `WITH due AS (
        SELECT destination, event_id FROM ${s}.outbox_pair
        WHERE destination = $1 AND state = 'pending' AND next_attempt_at <= now()
        ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED)
      UPDATE ${s}.outbox_pair p SET
        possible_duplicate = p.possible_duplicate OR p.lease_owner IS NOT NULL,
        lease_owner = $2,
        lease_until = now() + $4::double precision * interval '1 millisecond',
        next_attempt_at = now() + $4::double precision * interval '1 millisecond',
        claims = p.claims + 1
      FROM due, ${s}.outbox_event e
      WHERE p.destination = due.destination AND p.event_id = due.event_id AND e.id = p.event_id
      RETURNING p.event_id, p.destination, p.claims, p.attempts, p.retries, p.possible_duplicate, e.body`,
    /** $1: owner; $2: JSON array of leases; $3: lease ms. Fenced by owner and claim number, as settle is. */
    renew: `WITH l AS (
        SELECT * FROM json_to_recordset($2::json) AS x("eventId" text, destination text, claim integer))
      UPDATE ${s}.outbox_pair p SET
        lease_until = now() + $3::double precision * interval '1 millisecond',
        next_attempt_at = now() + $3::double precision * interval '1 millisecond'
      FROM l
      WHERE p.destination = l.destination AND p.event_id = l."eventId"
        AND p.state = 'pending' AND p.lease_owner = $1 AND p.claims = l.claim`,
    /** $1: owner; $2: JSON array of settlements. Fenced by owner and claim number. */
    settle: `WITH s AS (
        SELECT * FROM json_to_recordset($2::json) AS x(
          "eventId" text, destination text, claim integer, kind text, attempts integer,
          "possibleDuplicate" boolean, receipt text, "delayMs" double precision, retries integer, error jsonb))
      UPDATE ${s}.outbox_pair p SET
        state = CASE s.kind WHEN 'delivered' THEN 'delivered' WHEN 'dead' THEN 'dead' ELSE 'pending' END,
        attempts = s.attempts,
        retries = COALESCE(s.retries, p.retries),
        possible_duplicate = p.possible_duplicate OR s."possibleDuplicate",
        receipt = CASE WHEN s.kind = 'delivered' THEN s.receipt ELSE p.receipt END,
        error = CASE WHEN s.kind = 'delivered' THEN p.error ELSE s.error END,
        next_attempt_at = CASE WHEN s.kind = 'retry' THEN now() + s."delayMs" * interval '1 millisecond' ELSE p.next_attempt_at END,
        settled_at = CASE WHEN s.kind = 'retry' THEN NULL ELSE now() END,
        lease_owner = NULL,
        lease_until = NULL
      FROM s
      WHERE p.destination = s.destination AND p.event_id = s."eventId"
        AND p.state = 'pending' AND p.lease_owner = $1 AND p.claims = s.claim`,
    stats: `SELECT destination,
        count(*) FILTER (WHERE state = 'pending') AS pending,
        count(*) FILTER (WHERE state = 'pending' AND lease_until > now()) AS in_flight,
        count(*) FILTER (WHERE state = 'pending' AND retries > 0 AND (lease_until IS NULL OR lease_until <= now())) AS retrying,
        count(*) FILTER (WHERE state = 'delivered') AS delivered,
        count(*) FILTER (WHERE state = 'dead') AS dead,
        COALESCE(EXTRACT(EPOCH FROM now() - min(added_at) FILTER (WHERE state = 'pending')) * 1000, 0) AS oldest_ms
      FROM ${s}.outbox_pair GROUP BY destination ORDER BY destination`,
    pair: `SELECT p.*, e.body FROM ${s}.outbox_pair p JOIN ${s}.outbox_event e ON e.id = p.event_id
      WHERE p.destination = $1 AND p.event_id = $2`,
    deadLetters: `SELECT p.*, e.body FROM ${s}.outbox_pair p JOIN ${s}.outbox_event e ON e.id = p.event_id
      WHERE p.destination = $1 AND p.state = 'dead' ORDER BY p.settled_at, p.event_id LIMIT $2`,
    replayDead: `UPDATE ${s}.outbox_pair SET state = 'pending', retries = 0, next_attempt_at = now(),
        settled_at = NULL, lease_owner = NULL, lease_until = NULL
      WHERE destination = $1 AND state = 'dead' AND ($2::text[] IS NULL OR event_id = ANY($2::text[]))`,
    purgeDelivered: `DELETE FROM ${s}.outbox_pair WHERE state = 'delivered'
        AND settled_at <= now() - $1::double precision * interval '1 millisecond'`,
    /** Events left without any pair (all purged). */
    purgeOrphans: `DELETE FROM ${s}.outbox_event e
      WHERE NOT EXISTS (SELECT 1 FROM ${s}.outbox_pair p WHERE p.event_id = e.id)`,
  }
}

export type PostgresStatements = ReturnType<typeof postgresStatements>

/** Parameters of the `add` statement. */
export const addParameters = (
  events: ReadonlyArray<{ readonly id: string; readonly body: string }>,
  destinations: ReadonlyArray<string>,
): [string, string] => [
  JSON.stringify(events.map((e) => ({ id: e.id, body: e.body }))),
  JSON.stringify(destinations),
]

const date = (u: unknown): Date | undefined =>
  u === null || u === undefined ? undefined : new Date(u as string)

const toRecord = (row: Record<string, unknown>): PairRecord => ({
  eventId: row.event_id as string,
  destination: row.destination as string,
  state: row.state as PairState,
  addedAt: new Date(row.added_at as string),
  nextAttemptAt: row.state === "pending" ? date(row.next_attempt_at) : undefined,
  claims: Number(row.claims),
  attempts: Number(row.attempts),
  retries: Number(row.retries),
  possibleDuplicate: row.possible_duplicate === true,
  receipt: (row.receipt as string | null) ?? undefined,
  error: (row.error as PairError | null) ?? undefined,
  settledAt: date(row.settled_at),
  event: { id: row.event_id as string, body: row.body as string },
})

/**
 * A PostgreSQL outbox store. `add`'s transaction is a `pg` client (or anything with `query`) on
 * which the caller ran `BEGIN`: the rows commit or roll back with the caller's own writes.
 */
export const postgresStore = (options: PostgresStoreOptions): OutboxStore<PgQueryable> => {
  checkOptionNames("postgresStore", options, postgresStoreOptionNames)
  if ((options.pool === undefined) === (options.connectionString === undefined))
    throw new TypeError("postgresStore: give exactly one of pool and connectionString")
  const sql = postgresStatements(options.schema ?? "eventport_outbox")
  const ownPool = options.pool === undefined
  const pool =
    options.pool ??
    new pg.Pool({
      connectionString: options.connectionString,
      max: options.maxConnections ?? 4,
      connectionTimeoutMillis: 5_000,
    })
  // An idle pooled connection that breaks (server restart) emits 'error': without a listener
  // Node would crash the process. The next query gets a fresh connection and its own error.
  if (ownPool) pool.on("error", () => {})
  const op = <A>(operation: string, run: () => Promise<A>) =>
    storeOperation("postgres", operation, () =>
      run().catch((error: unknown) => {
        // undefined_table: the schema was never set up (it is never created implicitly).
        if ((error as { code?: unknown }).code === "42P01")
          throw new Error(
            `${(error as Error).message} (run the store's setup, or \`eventport-outbox setup\`)`,
            {
              cause: error,
            },
          )
        throw error
      }),
    )

  return {
    kind: "postgres",
    setup: () =>
      op("setup", async () => {
        for (const statement of sql.setup) await pool.query(statement)
      }),
    drop: () => op("drop", async () => void (await pool.query(sql.drop))),
    add: (events, destinations, tx) =>
      op("add", async () => {
        await (tx ?? pool).query(sql.add, addParameters(events, destinations))
      }),
    claim: ({ destination, owner, limit, leaseMs }) =>
      op("claim", async () => {
        const { rows } = await pool.query(sql.claim, [destination, owner, limit, Math.ceil(leaseMs)])
        return rows.map(
          (row): ClaimedPair => ({
            eventId: row.event_id as string,
            destination: row.destination as string,
            event: { id: row.event_id as string, body: row.body as string },
            claim: Number(row.claims),
            attempts: Number(row.attempts),
            retries: Number(row.retries),
            possibleDuplicate: row.possible_duplicate === true,
          }),
        )
      }),
    renew: (owner, leases, leaseMs) =>
      op("renew", async () => {
        if (leases.length === 0) return 0
        const rows = leases.map(({ eventId, destination, claim }) => ({ eventId, destination, claim }))
        const result = await pool.query(sql.renew, [owner, JSON.stringify(rows), Math.ceil(leaseMs)])
        return result.rowCount ?? 0
      }),
    settle: (owner, settlements) =>
      op("settle", async () => {
        if (settlements.length === 0) return 0
        const result = await pool.query(sql.settle, [owner, JSON.stringify(settlements.map(settlementRow))])
        return result.rowCount ?? 0
      }),
    stats: () =>
      op("stats", async () => {
        const { rows } = await pool.query(sql.stats)
        return rows.map(
          (row): DestinationStats => ({
            destination: row.destination as string,
            pending: Number(row.pending),
            inFlight: Number(row.in_flight),
            retrying: Number(row.retrying),
            delivered: Number(row.delivered),
            dead: Number(row.dead),
            oldestPendingAgeMs: Math.max(0, Math.round(Number(row.oldest_ms))),
          }),
        )
      }),
    pair: (destination, eventId) =>
      op("pair", async () => {
        const { rows } = await pool.query(sql.pair, [destination, eventId])
        return rows[0] === undefined ? undefined : toRecord(rows[0])
      }),
    deadLetters: (destination, limit) =>
      op("deadLetters", async () =>
        (await pool.query(sql.deadLetters, [destination, limit])).rows.map(toRecord),
      ),
    replayDead: (destination, eventIds) =>
      op("replayDead", async () => {
        const result = await pool.query(sql.replayDead, [
          destination,
          eventIds === undefined ? null : [...eventIds],
        ])
        return result.rowCount ?? 0
      }),
    purgeDelivered: (olderThanMs) =>
      op("purgeDelivered", async () => {
        const result = await pool.query(sql.purgeDelivered, [Math.max(0, olderThanMs)])
        await pool.query(sql.purgeOrphans)
        return result.rowCount ?? 0
      }),
    close: async () => {
      if (ownPool) await pool.end()
    },
  }
}

const settlementRow = (s: PairSettlement) => ({
  eventId: s.eventId,
  destination: s.destination,
  claim: s.claim,
  kind: s.kind,
  attempts: s.attempts,
  possibleDuplicate: s.possibleDuplicate,
  receipt: s.kind === "delivered" ? (s.receipt ?? null) : null,
  delayMs: s.kind === "retry" ? Math.max(0, Math.round(s.delayMs)) : null,
  retries: s.kind === "retry" ? s.retries : null,
  error: s.kind === "delivered" ? null : s.error,
})
