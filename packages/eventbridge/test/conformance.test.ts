/**
 * The testkit conformance suite, with the emulator as the destination: its store answers what was
 * received, its fault API fails entries and requests on cue.
 */
import { type Emulator, startEmulator } from "@eventport/aws-emulator"
import { type ConformanceHarness, describeAdapterConformance } from "@eventport/testkit"
import { eventBridge } from "../src/index.ts"

let emulator: Emulator

const harness: ConformanceHarness = {
  name: "eventbridge (emulator)",
  setup: async () => {
    emulator = await startEmulator()
  },
  teardown: () => emulator.stop(),
  // EventBridge keeps no caller id on an entry, so the event id travels as the TraceHeader (the
  // suite's ids are short ASCII), leaving Source, DetailType and Detail mapped as users get them.
  makeAdapter: () =>
    eventBridge({
      eventBusName: "conformance",
      traceHeader: (event) => event.id,
      clientConfig: { endpoint: emulator.endpoint, region: "us-east-1", credentials: emulator.credentials },
    }),
  received: () =>
    emulator.store.eventbridge.entries.map((e) => ({ eventId: e.traceHeader ?? "", request: e.requestId })),
  requests: () =>
    emulator.requests
      .list()
      .filter((r) => r.service === "eventbridge")
      .map((r) => ({ entries: r.entryCount })),
  faults: {
    failEntries: (ids, { retryable, times }) => {
      for (const id of ids)
        emulator.faults.add({
          type: "entryError",
          service: "eventbridge",
          code: retryable ? "ThrottlingException" : "MalformedDetail",
          match: { TraceHeader: id },
          ...(times === undefined ? {} : { times }),
        })
    },
    failNextRequests: (n, kind) => {
      emulator.faults.add({
        type: "requestError",
        service: "eventbridge",
        error: kind === "throttle" ? "throttling" : "internal",
        times: n,
      })
    },
    clear: () => emulator.faults.clear(),
  },
  reset: () => emulator.reset(),
}

describeAdapterConformance({ harness })
