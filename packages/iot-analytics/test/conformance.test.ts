/** The testkit conformance suite, with the emulator as the destination. */
import { emulatorHarness } from "@eventport/aws-emulator/conformance"
import { describeAdapterConformance } from "@eventport/testkit"
import { iotAnalytics } from "../src/index.ts"

describeAdapterConformance({
  harness: emulatorHarness({
    name: "iot-analytics (emulator)",
    service: "iotanalytics",
    // The suite's ids are short ASCII, so each messageId is the event id.
    makeAdapter: (clientConfig) => iotAnalytics({ channelName: "conformance", clientConfig }),
  }),
})
