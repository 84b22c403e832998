/**
 * The client the adapter makes from `clientConfig`, through a publisher, with the real SDK client and
 * Node's HTTP handler against the emulator: the publisher's request timeout ends the HTTP request
 * itself, whether or not the client keeps its middleware stack (core's internal/ClientSignals.ts).
 * The shared adapter suite checks the signal's way to the request handler for every adapter.
 */
import { emulatorClientConfig, useEmulator } from "@eventport/aws-emulator/conformance"
import { createPublisher } from "@eventport/core"
import { NodeHttpHandler } from "@smithy/node-http-handler"
import { describe, expect, it } from "vitest"
import { eventBridge } from "../src/index.ts"

const emulator = useEmulator()

/** A real Node HTTP handler that records the signal of each request and how the request ended. */
class RecordingHandler extends NodeHttpHandler {
  readonly signals: Array<AbortSignal | undefined> = []
  readonly endings: Array<Promise<string>> = []

  override handle(...[request, options]: Parameters<NodeHttpHandler["handle"]>) {
    this.signals.push(options?.abortSignal as AbortSignal | undefined)
    const answer = super.handle(request, options)
    this.endings.push(
      answer.then(
        () => "answered",
        (error: unknown) => (error instanceof Error ? error.name : String(error)),
      ),
    )
    return answer
  }
}

const event = { type: "order.created", source: "shop", data: { orderId: 42 } }

describe("the client eventBridge makes from clientConfig", () => {
  it.each([
    ["keeps its middleware stack (the default)", {}],
    ["rebuilds its middleware stack per request (cacheMiddleware: false)", { cacheMiddleware: false }],
  ])("aborts a request past the publisher's timeout when it %s", async (_, setting) => {
    // The emulator answers after 2 s; the publisher gives each request 200 ms.
    emulator().faults.set({ type: "latency", ms: 2_000 })
    const requestHandler = new RecordingHandler()
    await using publisher = createPublisher({
      destinations: {
        eventbridge: eventBridge({
          eventBusName: "orders",
          clientConfig: { ...emulatorClientConfig(emulator()), ...setting, requestHandler },
        }),
      },
      requestTimeoutMs: 200,
      retry: { maxAttempts: 1 },
    })

    const result = await publisher.publish([event])

    expect(result.failed).toBe(1)
    expect(result.outcomes[0]).toMatchObject({ _tag: "Failed", error: { code: "Timeout" } })
    expect(requestHandler.signals).toHaveLength(1)
    expect(requestHandler.signals[0]?.aborted).toBe(true)
    // The HTTP request itself ended on the abort: unaborted, it would be answered after 2 s.
    expect(await requestHandler.endings[0]).toBe("AbortError")
  })
})
