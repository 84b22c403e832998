/** The testkit conformance suite, with the emulator as the destination. */
import { emulatorHarness } from "@eventport/aws-emulator/conformance"
import { describeAdapterConformance } from "@eventport/testkit"
import { pinpoint } from "../src/index.ts"

describeAdapterConformance({
  harness: emulatorHarness({
    name: "pinpoint (emulator)",
    service: "pinpoint",
    makeAdapter: (clientConfig) => pinpoint({ applicationId: "conformance", clientConfig }),
    // Pinpoint needs an endpoint id (the subject). Attribute values stop at 200 characters, so the
    // requested payload size goes into the event type, which has no documented length limit.
    validEvent: (index, { payloadBytes }) => ({
      type: `eventport.conformance${payloadBytes > 0 ? `.${"x".repeat(payloadBytes)}` : ""}`,
      source: "eventport-testkit",
      subject: `endpoint-${index % 3}`,
      data: { index },
    }),
  }),
})
