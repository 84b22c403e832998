// --- setup
import { createPublisher } from "@eventport/core"
import { afterAll, beforeAll, expect, it } from "vitest"
import { webhook } from "../src/index.ts"
import { startWebhookReceiver, type WebhookReceiver } from "./WebhookReceiver.ts"

let receiver: WebhookReceiver
beforeAll(async () => {
  receiver = await startWebhookReceiver({ maxEntries: 10, maxRequestBytes: 64 * 1024 })
})
afterAll(() => receiver.close())
// --- end setup

it("publishes through the engine: packing, a retried entry, a permanent failure, one outcome each", async () => {
  receiver.failEntries(["order-3"], 503, 1) // transient: fails once, then accepted
  receiver.failEntries(["order-7"], 400) // permanent
  // --- publish
  const publisher = createPublisher({
    destinations: {
      hooks: webhook({ url: receiver.url, maxEntries: 10 }),
    },
    retry: { baseDelayMs: 10 },
  })
  const result = await publisher.publish(
    Array.from({ length: 25 }, (_, i) => ({
      id: `order-${i}`,
      type: "order.created",
      source: "shop",
      data: { order: i },
    })),
  )
  await publisher.close()

  console.log(result.counts.hooks) // { delivered: 24, failed: 1, requests: 4, retried: 1, … }
  for (const problem of result.problems)
    console.log(problem.eventId, problem._tag === "Failed" ? problem.error.message : problem.message)
  // order-7 InvalidRequest (HTTP 400: injected 400)
  // --- end publish
  expect(result.counts.hooks).toMatchObject({ delivered: 24, failed: 1, rejected: 0 })
  expect(result.forEvent("order-3")[0]).toMatchObject({ _tag: "Delivered", attempts: 2 })
  expect(result.forEvent("order-7")[0]).toMatchObject({
    _tag: "Failed",
    attempts: 1,
    error: { code: "InvalidRequest", retryable: false, httpStatus: 400 },
  })
  expect(receiver.requests.slice(0, 3).map((r) => r.entries)).toEqual([10, 10, 5])
  expect(receiver.received.map((r) => r.id).sort()).toEqual(
    Array.from({ length: 25 }, (_, i) => `order-${i}`)
      .filter((id) => id !== "order-7")
      .sort(),
  )
})
