/**
 * Child process of scenario 10, Eventport's side: loads core and the EventBridge adapter and creates
 * a publisher, then reports (one JSON line on stdout) the time since the process started and its peak
 * RSS at that point. It then publishes one event to the emulator, so the run accounts for an event,
 * and reports the time from the process's start to that publish's result.
 *
 *   node ColdStartEventport.js <endpoint> <accessKeyId> <secretAccessKey>
 */
import { createPublisher } from "@eventport/core"
import { eventBridge } from "@eventport/eventbridge"
import {
  type ColdStartMeasurement,
  cpuMsOfThisProcess,
  peakRssBytesOfThisProcess,
} from "./ColdStartMeasurement.ts"

const [endpoint = "", accessKeyId = "", secretAccessKey = ""] = process.argv.slice(2)
const publisher = createPublisher({
  destinations: {
    eventbridge: eventBridge({
      eventBusName: "bench",
      clientConfig: {
        endpoint,
        region: "us-east-1",
        credentials: { accessKeyId, secretAccessKey },
      },
    }),
  },
})
const readyMs = performance.now()
const readyCpuMs = cpuMsOfThisProcess()
const peakRssBytes = peakRssBytesOfThisProcess()
const result = await publisher.publish([{ type: "bench.cold", source: "eventport.bench", data: { n: 1 } }])
const firstResultMs = performance.now()
await publisher.close()
const c = result.counts.eventbridge
const measured: ColdStartMeasurement = {
  readyMs,
  readyCpuMs,
  peakRssBytes,
  firstResultMs,
  delivered: c?.delivered ?? 0,
  rejected: c?.rejected ?? 0,
  failed: c?.failed ?? 0,
}
process.stdout.write(`${JSON.stringify(measured)}\n`)
