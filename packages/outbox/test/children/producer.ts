/**
 * Crash-test producer: adds `count` events in batches; every other committed batch goes through
 * the caller's own transaction with a business write, and some batches are rolled back on purpose.
 * Argv: store spec JSON, producer index, count, batch size.
 */

import { createOutbox } from "@eventport/outbox"
import { Redis } from "ioredis"
import pg from "pg"
import { destinations, eventId, openChildStore, rolledBack } from "./ChildStore.ts"

const spec = JSON.parse(process.argv[2]!)
const producer = Number(process.argv[3])
const count = Number(process.argv[4])
const batchSize = Number(process.argv[5])

const opened = openChildStore(spec)
const batches = Math.ceil(count / batchSize)
const eventsOf = (batch: number) =>
  Array.from({ length: Math.min(batchSize, count - batch * batchSize) }, (_, i) => ({
    id: eventId(producer, batch, i),
    type: "order.created",
    source: "crash-test",
    data: { producer, batch, i },
  }))

if (opened.kind === "postgres") {
  const outbox = createOutbox({ store: opened.store, destinations })
  const pool = new pg.Pool({ connectionString: spec.url, max: 1 })
  for (let b = 0; b < batches; b++) {
    if (!rolledBack(b) && b % 2 === 0) {
      await outbox.add(eventsOf(b))
      continue
    }
    const client = await pool.connect()
    try {
      await client.query("BEGIN")
      await client.query(`INSERT INTO "${spec.namespace}".crash_orders (id) VALUES ($1)`, [
        `p${producer}-b${b}`,
      ])
      await outbox.add(eventsOf(b), { transaction: client })
      await client.query(rolledBack(b) ? "ROLLBACK" : "COMMIT")
    } finally {
      client.release()
    }
  }
  await pool.end()
} else {
  const outbox = createOutbox({ store: opened.store, destinations })
  const client = new Redis(spec.url)
  for (let b = 0; b < batches; b++) {
    if (!rolledBack(b) && b % 2 === 0) {
      await outbox.add(eventsOf(b))
      continue
    }
    const multi = client.multi()
    multi.set(`${spec.namespace}crash-order:p${producer}-b${b}`, "placed")
    await outbox.add(eventsOf(b), { transaction: multi })
    if (rolledBack(b)) multi.discard()
    else await multi.exec()
  }
  client.disconnect()
}
await opened.store.close()
process.stdout.write("producer done\n")
