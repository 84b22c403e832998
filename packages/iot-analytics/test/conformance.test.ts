/**
 * The testkit conformance suite and the shared emulator-backed adapter suite, with the emulator as
 * the destination. How IoT Analytics holds the data (the payload bytes) is read here, by this adapter.
 */
import {
  describeEmulatorAdapterSuite,
  emulatorHarness,
  requestErrorCases,
} from "@eventport/aws-emulator/conformance"
import { describeAdapterConformance } from "@eventport/testkit"
import { entryErrorCodes, type IotAnalyticsEntry, iotAnalytics, requestErrorCodes } from "../src/index.ts"

describeAdapterConformance({
  harness: emulatorHarness({
    name: "iot-analytics (emulator)",
    service: "iotanalytics",
    // The suite's ids are short ASCII, so each messageId is the event id.
    makeAdapter: (clientConfig) => iotAnalytics({ channelName: "conformance", clientConfig }),
    // The payload is the data's UTF-8 JSON text, or its bytes (testkit reads both).
    dataOf: (stored) => stored.payload,
    decodeEntry: (entry: IotAnalyticsEntry) => entry.payload,
  }),
})

describeEmulatorAdapterSuite({
  name: "iot-analytics",
  service: "iotanalytics",
  optionNames: {
    factory: "iotAnalytics",
    make: iotAnalytics,
    options: { channelName: "c", Payload: () => ({}) },
    misspelled: "Payload",
    meant: "payload",
  },
  makeAdapter: (clientConfig) => iotAnalytics({ channelName: "suite", clientConfig }),
  entryErrors: {
    table: entryErrorCodes,
    fault: (code, event) => ({ code, match: { id: event.id } }),
    unknownCode: "BrandNewError",
  },
  serializesData: true,
  requestErrors: requestErrorCases(requestErrorCodes),
  permanentRequestError: { code: "ResourceNotFoundException", status: 404, deliveryCode: "NotFound" },
})
