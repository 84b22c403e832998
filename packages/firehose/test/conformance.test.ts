/**
 * The testkit conformance suite and the shared emulator-backed adapter suite, with the emulator as
 * the destination. How Firehose holds the data (the record's CloudEvents JSON line) is read here.
 */
import {
  cloudEventData,
  describeEmulatorAdapterSuite,
  emulatorHarness,
} from "@eventport/aws-emulator/conformance"
import { describeAdapterConformance } from "@eventport/testkit"
import { firehose } from "../src/index.ts"

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
  makeAdapter: (clientConfig) => firehose({ deliveryStreamName: "suite", clientConfig }),
  // Data is the event's CloudEvents JSON and a newline.
  serializesData: true,
  permanentRequestError: { code: "ResourceNotFoundException", status: 400, deliveryCode: "NotFound" },
})
