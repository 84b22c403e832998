/**
 * Crash-test relay: delivers both destinations (two EventBridge buses on the emulator) until it is
 * killed. Argv: store spec JSON, emulator endpoint, emulator credentials JSON. It loads its modules,
 * says `relay ready`, and starts the relay when a line arrives on stdin: the controller keeps a few
 * loaded spares, so a relay killed is replaced by one that claims at once instead of one that first
 * spends seconds of a loaded machine's time loading modules (see crash.test.ts).
 */
import { appendFileSync } from "node:fs"
import { eventBridge } from "@eventport/eventbridge"
import { startRelay } from "@eventport/outbox"
import { openChildStore } from "./ChildStore.ts"

const spec = JSON.parse(process.argv[2]!)
const endpoint = process.argv[3]!
const credentials = JSON.parse(process.argv[4]!)
const { store: inner } = openChildStore(spec)
const T0 = performance.timeOrigin
const now = () => Math.round(performance.timeOrigin + performance.now())
const trace = (line: string) => process.env.OC_TRACE && appendFileSync(process.env.OC_TRACE, `T ${now()} ${process.pid} ${line}\n`)
trace(`boot ${Math.round(now() - T0)}`)
const store = {
  ...inner,
  claim: async (r: any) => {
    const t = now()
    const got = await inner.claim(r)
    trace(`claim ${r.destination} ${got.length} ${now() - t} dups=${got.filter((p: any) => p.possibleDuplicate).length} retried=${got.filter((p: any) => p.retries > 0).length}`)
    return got
  },
  settle: async (o: string, s: any) => {
    const t = now()
    const n = await inner.settle(o, s)
    const kinds: Record<string, number> = {}
    let maxDelay = 0
    let sumDelay = 0
    for (const x of s) { kinds[x.kind] = (kinds[x.kind] ?? 0) + 1; if (x.kind === "retry") { maxDelay = Math.max(maxDelay, x.delayMs); sumDelay += x.delayMs } }
    trace(`settle ${s[0]?.destination} ${s.length} applied=${n} ${now() - t} ${JSON.stringify(kinds)} maxDelay=${maxDelay} sumDelay=${sumDelay} codes=${JSON.stringify([...new Set(s.filter((x: any) => x.kind !== "delivered").map((x: any) => x.error.code))])}`)
    return n
  },
}
const clientConfig = {
  endpoint,
  region: "us-east-1",
  credentials,
}
const bus = (eventBusName: string) =>
  eventBridge({ eventBusName, clientConfig, traceHeader: (event) => event.id })

process.stdout.write("relay ready\n")
// The controller's pipe closes when it ends: a spare never started has nothing to do.
process.stdin.once("end", () => process.exit(0))
await new Promise<void>((resolve) => process.stdin.once("data", () => resolve()))
trace("go")
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
