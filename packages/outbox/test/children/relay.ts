/**
 * Crash-test relay: delivers both destinations (two EventBridge buses on the emulator) until it is
 * killed. Argv: store spec JSON, emulator endpoint, emulator credentials JSON.
 */
import { eventBridge } from "@eventport/eventbridge"
import { startRelay } from "@eventport/outbox"
import { openChildStore } from "./ChildStore.ts"

const spec = JSON.parse(process.argv[2]!)
const endpoint = process.argv[3]!
const credentials = JSON.parse(process.argv[4]!)
const { store } = openChildStore(spec)
const clientConfig = {
  endpoint,
  region: "us-east-1",
  credentials,
}
const bus = (eventBusName: string) =>
  eventBridge({ eventBusName, clientConfig, traceHeader: (event) => event.id })

startRelay({
  store,
  destinations: { orders: bus("orders"), audit: bus("audit") },
  batchSize: 50,
  leaseMs: 3_000,
  requestTimeoutMs: 1_500,
  pollIntervalMs: 50,
  engineRetry: { maxAttempts: 3, baseDelayMs: 20, throttledBaseDelayMs: 50, maxElapsedMs: 1_000 },
  retry: { maxRetries: 100, baseDelayMs: 50, maxDelayMs: 500 },
  statsIntervalMs: 0,
  onSettled: (settlements, applied) => process.stdout.write(`settled ${settlements.length} ${applied}\n`),
})
process.stdout.write("relay started\n")
