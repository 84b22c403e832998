/**
 * The testkit conformance suite, with the emulator as the destination: its store answers what was
 * received, its fault API fails entries and requests on cue.
 */
import { type Emulator, startEmulator } from "@eventport/aws-emulator"
import { type ConformanceHarness, describeAdapterConformance } from "@eventport/testkit"
import { pinpoint } from "../src/index.ts"

let emulator: Emulator

const harness: ConformanceHarness = {
  name: "pinpoint (emulator)",
  setup: async () => {
    emulator = await startEmulator()
  },
  teardown: () => emulator.stop(),
  makeAdapter: () =>
    pinpoint({
      applicationId: "conformance",
      clientConfig: { endpoint: emulator.endpoint, region: "us-east-1", credentials: emulator.credentials },
    }),
  received: () => emulator.store.pinpoint.entries.map((e) => ({ eventId: e.eventId, request: e.requestId })),
  requests: () =>
    emulator.requests
      .list()
      .filter((r) => r.service === "pinpoint")
      .map((r) => ({ entries: r.entryCount })),
  // Pinpoint needs an endpoint id (the subject). Attribute values stop at 200 characters, so the
  // requested payload size goes into the event type, which has no documented length limit.
  validEvent: (index, { payloadBytes }) => ({
    type: `eventport.conformance${payloadBytes > 0 ? `.${"x".repeat(payloadBytes)}` : ""}`,
    source: "eventport-testkit",
    subject: `endpoint-${index % 3}`,
    data: { index },
  }),
  faults: {
    failEntries: (ids, { retryable, times }) => {
      for (const id of ids)
        emulator.faults.add({
          type: "entryError",
          service: "pinpoint",
          statusCode: retryable ? 500 : 400,
          match: { id },
          ...(times === undefined ? {} : { times }),
        })
    },
    failNextRequests: (n, kind) => {
      emulator.faults.add({
        type: "requestError",
        service: "pinpoint",
        error: kind === "throttle" ? "throttling" : "internal",
        times: n,
      })
    },
    clear: () => emulator.faults.clear(),
  },
  reset: () => emulator.reset(),
}

describeAdapterConformance({ harness })
