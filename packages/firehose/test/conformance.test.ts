/** The testkit conformance suite, with the emulator as the destination. */
import { cloudEventData, emulatorHarness } from "@eventport/aws-emulator/conformance"
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
