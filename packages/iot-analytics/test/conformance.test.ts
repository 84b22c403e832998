/**
 * The testkit conformance suite, with the emulator as the destination: its store answers what was
 * received, its fault API fails entries and requests on cue.
 */
import { type Emulator, startEmulator } from "@eventport/aws-emulator"
import { type ConformanceHarness, describeAdapterConformance } from "@eventport/testkit"
import { iotAnalytics } from "../src/index.ts"

let emulator: Emulator

const harness: ConformanceHarness = {
  name: "iot-analytics (emulator)",
  setup: async () => {
    emulator = await startEmulator()
  },
  teardown: () => emulator.stop(),
  makeAdapter: () =>
    iotAnalytics({
      channelName: "conformance",
      clientConfig: { endpoint: emulator.endpoint, region: "us-east-1", credentials: emulator.credentials },
    }),
  // The suite's ids are short ASCII, so each messageId is the event id.
  received: () =>
    emulator.store.iotanalytics.entries.map((m) => ({ eventId: m.messageId, request: m.requestId })),
  requests: () =>
    emulator.requests
      .list()
      .filter((r) => r.service === "iotanalytics")
      .map((r) => ({ entries: r.entryCount })),
  faults: {
    failEntries: (ids, { retryable, times }) => {
      for (const id of ids)
        emulator.faults.add({
          type: "entryError",
          service: "iotanalytics",
          code: retryable ? "InternalFailureException" : "InvalidRequestException",
          match: { id },
          ...(times === undefined ? {} : { times }),
        })
    },
    failNextRequests: (n, kind) => {
      emulator.faults.add({
        type: "requestError",
        service: "iotanalytics",
        error: kind === "throttle" ? "throttling" : "internal",
        times: n,
      })
    },
    clear: () => emulator.faults.clear(),
  },
  reset: () => emulator.reset(),
}

describeAdapterConformance({ harness })
