/**
 * Producer killed with `kill -9`: adds one event at a time and prints its id only after `add`
 * resolved, forever, until killed. Argv: store spec JSON.
 */
import { createOutbox, type OutboxStore } from "@eventport/outbox"
import { destinations, openChildStore } from "./ChildStore.ts"

const { store } = openChildStore(JSON.parse(process.argv[2]!))
const outbox = createOutbox({ store: store as OutboxStore<unknown>, destinations })
for (let i = 0; ; i++) {
  const [event] = await outbox.add([
    { id: `single-${i}`, type: "order.created", source: "kill-test", data: { i } },
  ])
  process.stdout.write(`added ${event!.id}\n`)
}
