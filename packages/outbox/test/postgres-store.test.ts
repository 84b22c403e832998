import pg from "pg"
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
})
