/** The testkit conformance suite, with the emulator as the destination. */
import { emulatorHarness } from "@eventport/aws-emulator/conformance"
import { describeAdapterConformance } from "@eventport/testkit"
import { eventBridge } from "../src/index.ts"

describeAdapterConformance({
  harness: emulatorHarness({
    name: "eventbridge (emulator)",
    service: "eventbridge",
    // EventBridge keeps no caller id on an entry, so the event id travels as the TraceHeader (the
    // suite's ids are short ASCII), leaving Source, DetailType and Detail mapped as users get them.
    makeAdapter: (clientConfig) =>
      eventBridge({ eventBusName: "conformance", traceHeader: (event) => event.id, clientConfig }),
  }),
})
