import pg from "pg"
import { describe, expect, it } from "vitest"
import { OutboxStoreError } from "../src/index.ts"
import { postgresStore } from "../src/postgres.ts"
import { testOutboxStore } from "./support/StoreSuite.ts"
import { postgresProblem, postgresUrl, runId, serverSuite } from "./support/TestServers.ts"

const problem = await postgresProblem()

serverSuite("postgres store", "PostgreSQL", problem, () => {
  testOutboxStore<pg.PoolClient>({
    fixture: () => {
      const schema = runId("outbox_test")
      const pool = new pg.Pool({ connectionString: postgresUrl, max: 2 })
      const store = postgresStore({ connectionString: postgresUrl, schema })
      return {
        store,
        inTransaction: async (outcome, body) => {
          const client = await pool.connect()
          try {
            await client.query("BEGIN")
            await body(client)
            await client.query(outcome === "commit" ? "COMMIT" : "ROLLBACK")
          } finally {
            client.release()
          }
        },
        release: () => pool.end(),
      }
    },
    unreachable: () =>
      postgresStore({ connectionString: "postgres://postgres@127.0.0.1:1/test", schema: "unused" }),
  })

  describe("schema set-up", () => {
    it("is never done implicitly: before setup, add fails naming it and creates nothing", async () => {
      const schema = runId("outbox_nosetup")
      const store = postgresStore({ connectionString: postgresUrl, schema })
      const client = new pg.Client({ connectionString: postgresUrl })
      await client.connect()
      try {
        const error = await store.add([{ id: "a", body: "{}" }], ["bus"]).then(
          () => undefined,
          (e: unknown) => e,
        )
        expect(OutboxStoreError.isInstance(error)).toBe(true)
        expect((error as Error).message).toMatch(/run the store's setup, or `eventport-outbox setup`/)
        const { rows } = await client.query(
          "SELECT count(*)::int AS n FROM information_schema.schemata WHERE schema_name = $1",
          [schema],
        )
        expect(rows[0]!.n).toBe(0)
      } finally {
        await client.end()
        await store.drop()
        await store.close()
      }
    })
  })
})
