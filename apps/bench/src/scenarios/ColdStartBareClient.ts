/**
 * Child process of scenario 10, the anchor: loads `@aws-sdk/client-eventbridge` and constructs the
 * bare client, then reports (one JSON line on stdout) the time since the process started and its peak
 * RSS at that point. It then sends one event to the emulator, so the run accounts for an event, and
 * reports the time from the process's start to that send's result.
 *
 *   node ColdStartBareClient.js <endpoint> <accessKeyId> <secretAccessKey>
 */
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge"
import {
  type ColdStartMeasurement,
  cpuMsOfThisProcess,
  peakRssBytesOfThisProcess,
} from "./ColdStartMeasurement.ts"

const [endpoint = "", accessKeyId = "", secretAccessKey = ""] = process.argv.slice(2)
const client = new EventBridgeClient({
  endpoint,
  region: "us-east-1",
  credentials: { accessKeyId, secretAccessKey },
  maxAttempts: 1,
})
const readyMs = performance.now()
const readyCpuMs = cpuMsOfThisProcess()
const peakRssBytes = peakRssBytesOfThisProcess()
let delivered = 0
try {
  const out = await client.send(
    new PutEventsCommand({
      Entries: [
        { EventBusName: "bench", Source: "eventport.bench", DetailType: "bench.cold", Detail: '{"n":1}' },
      ],
    }),
  )
  delivered = 1 - (out.FailedEntryCount ?? 0)
} catch {
  delivered = 0
}
const firstResultMs = performance.now()
client.destroy()
const measured: ColdStartMeasurement = {
  readyMs,
  readyCpuMs,
  peakRssBytes,
  firstResultMs,
  delivered,
  rejected: 0,
  failed: 1 - delivered,
}
process.stdout.write(`${JSON.stringify(measured)}\n`)
