/**
 * Crash-test relay: delivers both destinations (two EventBridge buses on the emulator) until it is
 * killed. Argv: store spec JSON, emulator endpoint, emulator credentials JSON. It loads its modules,
 * says `relay ready`, and starts the relay when a line arrives on stdin: the controller keeps a few
 * loaded spares, so a relay killed is replaced by one that claims at once instead of one that first
 * spends seconds of a loaded machine's time loading modules (see crash.test.ts).
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
// The emulator throttles a random 4% of requests whatever the rate, where AWS throttles above a
// quota. The engine's adaptive send rate reads each throttle as "over the quota" and lowers the rate,
// so under random throttling it settles near what one throttle per recovery period allows (about
// 20 requests/s here), not near what the destination accepts: a relay then publishes 3 to 4 times
// slower than with it off (6,000 pairs: 15.6-26 s against 3.9-7.8 s). Throttled requests are still
// retried with the engine's throttling backoff and durably.
const bus = (eventBusName: string) => ({
  adapter: eventBridge({ eventBusName, clientConfig, traceHeader: (event) => event.id }),
  sendRate: false as const,
})

process.stdout.write("relay ready\n")
// The controller's pipe closes when it ends: a spare never started has nothing to do.
process.stdin.once("end", () => process.exit(0))
await new Promise<void>((resolve) => process.stdin.once("data", () => resolve()))
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
