/**
 * The testkit conformance suite, with the emulator as the destination: its store answers what was
 * received, its fault API fails entries and requests on cue.
 */
import { type Emulator, startEmulator } from "@eventport/aws-emulator"
import { type ConformanceHarness, describeAdapterConformance } from "@eventport/testkit"
import { iotEvents } from "../src/index.ts"

let emulator: Emulator

const harness: ConformanceHarness = {
  name: "iot-events (emulator)",
  setup: async () => {
    // The documented 1 KiB per batch enforced on the emulator side too, so the byte check means something.
    emulator = await startEmulator({ limits: { iotEventsMaxBatchPayloadBytes: 1024 } })
  },
  teardown: () => emulator.stop(),
  makeAdapter: () =>
    iotEvents({
      inputName: "conformance",
      clientConfig: { endpoint: emulator.endpoint, region: "us-east-1", credentials: emulator.credentials },
    }),
  // The suite's ids are short ASCII (letters, digits, -), so each messageId is the event id.
  received: () =>
    emulator.store.iotevents.entries.map((m) => ({ eventId: m.messageId, request: m.requestId })),
  requests: () =>
    emulator.requests
      .list()
      .filter((r) => r.service === "iotevents")
      .map((r) => ({ entries: r.entryCount })),
  faults: {
    failEntries: (ids, { retryable, times }) => {
      for (const id of ids)
        emulator.faults.add({
          type: "entryError",
          service: "iotevents",
          code: retryable ? "InternalFailureException" : "InvalidRequestException",
          match: { id },
          ...(times === undefined ? {} : { times }),
        })
    },
    failNextRequests: (n, kind) => {
      emulator.faults.add({
        type: "requestError",
        service: "iotevents",
        error: kind === "throttle" ? "throttling" : "internal",
        times: n,
      })
    },
    clear: () => emulator.faults.clear(),
  },
  reset: () => emulator.reset(),
}

describeAdapterConformance({ harness })
