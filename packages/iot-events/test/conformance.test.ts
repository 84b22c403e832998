/**
 * The testkit conformance suite and the shared emulator-backed adapter suite, with the emulator as
 * the destination. How IoT Events holds the data (the payload bytes) is read here, by this adapter.
 */
import { describeEmulatorAdapterSuite, emulatorHarness } from "@eventport/aws-emulator/conformance"
import { describeAdapterConformance } from "@eventport/testkit"
import { entryErrorCodes, iotEvents } from "../src/index.ts"

describeAdapterConformance({
  harness: emulatorHarness({
    name: "iot-events (emulator)",
    service: "iotevents",
    // The documented 1 KiB per batch enforced on the emulator side too, so the byte check means something.
    emulator: { limits: { iotEventsMaxBatchPayloadBytes: 1024 } },
    // The suite's ids are short ASCII (letters, digits, -), so each messageId is the event id.
    makeAdapter: (clientConfig) => iotEvents({ inputName: "conformance", clientConfig }),
    // The payload is the data's UTF-8 JSON text, or its bytes (testkit reads both).
    dataOf: (stored) => stored.payload,
    decodeEntry: (message: { readonly payload?: Uint8Array }) => message.payload,
  }),
})

describeEmulatorAdapterSuite({
  name: "iot-events",
  service: "iotevents",
  optionNames: {
    factory: "iotEvents",
    make: iotEvents,
    options: { inputName: "i", maxEntryByte: 10 },
    misspelled: "maxEntryByte",
    meant: "maxEntryBytes",
  },
  makeAdapter: (clientConfig) => iotEvents({ inputName: "suite", clientConfig }),
  entryErrors: {
    table: entryErrorCodes,
    fault: (code, event) => ({ code, match: { id: event.id } }),
    unknownCode: "BrandNewError",
  },
  serializesData: true,
  requestErrors: [
    ["throttling", { code: "Throttled", retryable: true, rawCode: "ThrottlingException", httpStatus: 429 }],
    [
      "internal",
      { code: "InternalFailure", retryable: true, rawCode: "InternalFailureException", httpStatus: 500 },
    ],
    [
      "unavailable",
      { code: "Unavailable", retryable: true, rawCode: "ServiceUnavailableException", httpStatus: 503 },
    ],
    [
      { code: "InvalidRequestException", status: 400, message: "bad" },
      { code: "InvalidRequest", retryable: false, rawCode: "InvalidRequestException", httpStatus: 400 },
    ],
  ],
  permanentRequestError: { code: "InvalidRequestException", status: 400, deliveryCode: "InvalidRequest" },
})
