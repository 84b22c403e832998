/**
 * `add` through an Effect `SqlClient` (e.g. `@effect/sql-pg`'s `PgClient`): inside
 * `sql.withTransaction(...)` the outbox rows join the caller's transaction, exactly as with a `pg`
 * client. Same validation, same statement as `postgresStore`'s `add`.
 */
import { checkOptionNames, type Event, type EventInput, type OptionNames } from "@eventport/core"
import * as Effect from "effect/Effect"
import { SqlClient, type SqlError } from "effect/sql"
import type { Outbox } from "./Outbox.ts"
import { InvalidEventsError } from "./Outbox.ts"
import { addParameters, postgresStatements } from "./PostgresStore.ts"

export interface SqlClientAddOptions {
  /** The outbox's schema. Default `eventport_outbox`. */
  readonly schema?: string
  /** Only these destinations, instead of all the outbox's. */
  readonly destinations?: ReadonlyArray<string>
}

/**
 * Validates the events with `outbox`'s rules and inserts them with the `SqlClient` in context.
 * Fails with {@link InvalidEventsError} (nothing written) or the client's `SqlError`.
 */
/** Every name of {@link SqlClientAddOptions}: `addWithSqlClient` refuses any other. */
const sqlClientAddOptionNames = {
  schema: true,
  destinations: true,
} as const satisfies OptionNames<SqlClientAddOptions>

export const addWithSqlClient = (
  // biome-ignore lint/suspicious/noExplicitAny: only validation and destinations are used
  outbox: Outbox<any>,
  events: ReadonlyArray<EventInput | Event>,
  options: SqlClientAddOptions = {},
): Effect.Effect<ReadonlyArray<Event>, InvalidEventsError | SqlError.SqlError, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    // A misspelt `schema` would write to the default schema: a defect, as a bad schema name is.
    checkOptionNames("addWithSqlClient", options, sqlClientAddOptionNames)
    const prepared = yield* Effect.try({
      try: () => outbox.prepare(events),
      catch: (error) => error as InvalidEventsError,
    })
    if (prepared.stored.length === 0) return prepared.events
    const destinations = options.destinations ?? outbox.destinations
    const sql = yield* SqlClient.SqlClient
    const statement = postgresStatements(options.schema ?? "eventport_outbox").add
    yield* sql.unsafe(statement, addParameters(prepared.stored, destinations))
    return prepared.events
  })

export { InvalidEventsError }
