/** The testkit conformance suite, with the emulator as the destination. */
import { emulatorHarness } from "@eventport/aws-emulator/conformance"
import { describeAdapterConformance } from "@eventport/testkit"
import { iotEvents } from "../src/index.ts"

describeAdapterConformance({
  harness: emulatorHarness({
    name: "iot-events (emulator)",
    service: "iotevents",
    // The documented 1 KiB per batch enforced on the emulator side too, so the byte check means something.
    emulator: { limits: { iotEventsMaxBatchPayloadBytes: 1024 } },
    // The suite's ids are short ASCII (letters, digits, -), so each messageId is the event id.
    makeAdapter: (clientConfig) => iotEvents({ inputName: "conformance", clientConfig }),
  }),
})
