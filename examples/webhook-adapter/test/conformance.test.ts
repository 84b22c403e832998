import { type ConformanceHarness, describeAdapterConformance } from "@eventport/testkit"
import { webhook, webhookDefaults } from "../src/index.ts"
import { startWebhookReceiver, type WebhookReceiver } from "./WebhookReceiver.ts"

let receiver: WebhookReceiver | undefined
const started = (): WebhookReceiver => {
  if (receiver === undefined) throw new Error("the receiver is not started")
  return receiver
}

// --- harness
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
