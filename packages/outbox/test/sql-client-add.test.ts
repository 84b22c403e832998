import { PgClient } from "@effect/sql-pg"
import { Effect, Layer, Redacted } from "effect"
import { SqlClient } from "effect/sql"
import { afterAll, beforeAll, expect, it } from "vitest"
import { createOutbox, InvalidEventsError } from "../src/index.ts"
import { addWithSqlClient, postgresStore } from "../src/postgres.ts"
import { postgresProblem, postgresUrl, runId, serverSuite } from "./support/TestServers.ts"

const problem = await postgresProblem()

serverSuite("add with an Effect SqlClient (@effect/sql-pg)", "PostgreSQL", problem, () => {
  const schema = runId("outbox_sqlclient")
  const store = postgresStore({ connectionString: postgresUrl, schema })
  const outbox = createOutbox({ store, destinations: ["bus"] })
  const pgLayer = PgClient.layer({ url: Redacted.make(postgresUrl), maxConnections: 2 })
  const run = <A, E>(effect: Effect.Effect<A, E, SqlClient.SqlClient>) =>
    Effect.runPromise(Effect.provide(effect, Layer.fresh(pgLayer)))

  beforeAll(async () => {
    await store.setup()
    await run(
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        yield* sql.unsafe(`CREATE TABLE "${schema}".orders (id text PRIMARY KEY)`)
      }),
    )
  })
  afterAll(async () => {
    await store.drop()
    await store.close()
  })

  const placeOrder = (id: string, fail: boolean) =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      yield* sql.withTransaction(
        Effect.gen(function* () {
          yield* sql.unsafe(`INSERT INTO "${schema}".orders (id) VALUES ($1)`, [id])
          yield* addWithSqlClient(
            outbox,
            [{ id: `order-${id}`, type: "order.created", source: "shop", data: { id } }],
            {
              schema,
            },
          )
          if (fail) return yield* Effect.fail("business rule broke after add" as const)
        }),
      )
    })

  it("the event commits with the caller's transaction", async () => {
    await run(placeOrder("1", false))
    expect((await store.pair("bus", "order-1"))?.state).toBe("pending")
  })

  it("the event rolls back with the caller's transaction", async () => {
    const exit = await run(Effect.exit(placeOrder("2", true)))
    expect(exit._tag).toBe("Failure")
    expect(await store.pair("bus", "order-2")).toBeUndefined()
    const orders = await run(
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        return yield* sql.unsafe<{ id: string }>(`SELECT id FROM "${schema}".orders ORDER BY id`)
      }),
    )
    expect(orders.map((o) => o.id)).toEqual(["1"])
  })

  it("a misspelt option is a defect naming it, and writes nothing", async () => {
    const exit = await run(
      Effect.exit(
        addWithSqlClient(outbox, [{ id: "misspelt", type: "t", source: "shop", data: 1 }], {
          shema: schema,
        } as never),
      ),
    )
    expect(exit._tag).toBe("Failure")
    if (exit._tag === "Failure") {
      const defect = exit.cause.reasons.find((r) => r._tag === "Die")
      expect(defect?._tag === "Die" ? String(defect.defect) : "").toBe(
        "TypeError: addWithSqlClient: option shema is not an option, did you mean schema? (optionName)",
      )
    }
    expect(await store.pair("bus", "misspelt")).toBeUndefined()
  })

  it("an invalid event fails with InvalidEventsError and writes nothing", async () => {
    const exit = await run(
      Effect.exit(addWithSqlClient(outbox, [{ id: "bad", type: "", source: "shop", data: 1 }], { schema })),
    )
    expect(exit._tag).toBe("Failure")
    if (exit._tag === "Failure") {
      const error = exit.cause.reasons.find((r) => r._tag === "Fail")
      expect(InvalidEventsError.isInstance(error?._tag === "Fail" ? error.error : undefined)).toBe(true)
    }
    expect(await store.pair("bus", "bad")).toBeUndefined()
  })
})
