/**
 * The testkit conformance suite and the shared emulator-backed adapter suite, with the emulator as
 * the destination. How Firehose holds the data (the record's CloudEvents JSON line) is read here.
 */
import {
  cloudEventData,
  conformanceServices,
  describeEmulatorAdapterSuite,
  emulatorHarness,
  requestErrorCases,
} from "@eventport/aws-emulator/conformance"
import { describeAdapterConformance } from "@eventport/testkit"
import { entryErrorCodes, firehose, requestErrorCodes } from "../src/index.ts"

describeAdapterConformance({
  harness: emulatorHarness({
    name: "firehose (emulator)",
    service: "firehose",
    dataOf: (stored) => cloudEventData(stored.dataText),
    decodeEntry: (entry: { readonly Data?: Uint8Array }) =>
      entry.Data === undefined ? undefined : cloudEventData(Buffer.from(entry.Data).toString("utf8")),
    // The default mapping: each record's Data is the event as CloudEvents JSON and a newline.
    makeAdapter: (clientConfig) => firehose({ deliveryStreamName: "conformance", clientConfig }),
  }),
})

describeEmulatorAdapterSuite({
  name: "firehose",
  service: "firehose",
  optionNames: {
    factory: "firehose",
    make: firehose,
    options: { deliveryStreamName: "s", recordDelimeter: "\n" },
    misspelled: "recordDelimeter",
    meant: "recordDelimiter",
  },
  makeAdapter: (clientConfig) => firehose({ deliveryStreamName: "suite", clientConfig }),
  entryErrors: {
    table: entryErrorCodes,
    // A record carries no event id of its own: the failing one is told apart by the id in its Data.
    fault: (code, event) => ({ ...conformanceServices.firehose.entryFault(event.id, true), code }),
    unknownCode: "BrandNewError",
  },
  // Data is the event's CloudEvents JSON and a newline.
  serializesData: true,
  requestErrors: requestErrorCases(requestErrorCodes, (rawCode) =>
    rawCode === "ServiceUnavailableException" ? 503 : rawCode === "InternalFailure" ? 500 : 400,
  ),
  permanentRequestError: { code: "ResourceNotFoundException", status: 400, deliveryCode: "NotFound" },
})
