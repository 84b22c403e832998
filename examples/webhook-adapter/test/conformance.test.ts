// --- harness
import { fromCloudEvent } from "@eventport/core"
import {
  type ConformanceHarness,
  conformanceChecks,
  conformanceCheckTitles,
  describeAdapterConformance,
} from "@eventport/testkit"
import { afterAll, beforeAll, describe, it } from "vitest"
import { type WebhookEntry, webhook, webhookDefaults } from "../src/index.ts"
import { startWebhookReceiver, type WebhookReceiver } from "./WebhookReceiver.ts"

let receiver: WebhookReceiver | undefined
const started = (): WebhookReceiver => {
  if (receiver === undefined) throw new Error("the receiver is not started")
  return receiver
}

const harness: ConformanceHarness = {
  name: "webhook",
  setup: async () => {
    receiver = await startWebhookReceiver(webhookDefaults)
  },
  teardown: async () => {
    await receiver?.close()
  },
  makeAdapter: () => webhook({ url: started().url }),
  received: () => started().received.map((e) => ({ eventId: e.id, request: e.request })),
  requests: () => started().requests,
  faults: {
    // 503 is transient for the receiver, 400 permanent; classifyHttpStatus maps both.
    failEntries: (ids, { retryable, times }) => started().failEntries(ids, retryable ? 503 : 400, times),
    failNextRequests: (n, kind) => started().failNextRequests(n, kind === "throttle" ? 429 : 500),
    clear: () => started().clearFaults(),
  },
  reset: () => started().reset(),
}

describeAdapterConformance({ harness })
// --- end harness

// The receiver keeps each CloudEvent, so the hostile-input checks can also compare what encode made
// and what the receiver holds with each event's data (base64 data arrives as bytes).
const dataOf = (cloudEventJson: string) => fromCloudEvent(cloudEventJson).data
const withData: ConformanceHarness = {
  ...harness,
  decodeEntry: (entry: WebhookEntry) => dataOf(entry.json),
  received: () =>
    started().received.map((e) => ({
      eventId: e.id,
      request: e.request,
      data: dataOf(JSON.stringify(e.cloudEvent)),
    })),
}

describe("webhook hostile input, data compared", () => {
  beforeAll(() => withData.setup?.())
  afterAll(() => withData.teardown?.())
  for (const name of ["encodeSurvivesHostileInput", "publishSurvivesHostileInput"] as const)
    it(conformanceCheckTitles[name], () => conformanceChecks[name]({ harness: withData }), 60_000)
})
