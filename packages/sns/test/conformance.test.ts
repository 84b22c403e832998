/**
 * The testkit conformance suite (a standard and a FIFO topic) and the shared emulator-backed
 * adapter suite, with the emulator as the destination.
 */
import {
  cloudEventData,
  describeEmulatorAdapterSuite,
  emulatorHarness,
} from "@eventport/aws-emulator/conformance"
import { describeAdapterConformance } from "@eventport/testkit"
import { sns } from "../src/index.ts"

// The suite's ids are short ASCII (letters, digits, -), so each batch entry Id is the event id; the
// message is the event's CloudEvents JSON, which the harness reads the data back from.
describeAdapterConformance({
  harness: emulatorHarness({
    name: "sns (emulator)",
    service: "sns",
    dataOf: (stored) => cloudEventData(stored.message),
    decodeEntry: (entry: { readonly Message?: string }) => cloudEventData(entry.Message),
    makeAdapter: (clientConfig) =>
      sns({ topicArn: "arn:aws:sns:us-east-1:123456789012:conformance", clientConfig }),
  }),
})

describeAdapterConformance({
  harness: emulatorHarness({
    name: "sns FIFO (emulator)",
    service: "sns",
    dataOf: (stored) => cloudEventData(stored.message),
    decodeEntry: (entry: { readonly Message?: string }) => cloudEventData(entry.Message),
    makeAdapter: (clientConfig) =>
      sns({
        topicArn: "arn:aws:sns:us-east-1:123456789012:conformance.fifo",
        messageGroupId: (event) => event.source,
        clientConfig,
      }),
  }),
})

describeEmulatorAdapterSuite({
  name: "sns",
  service: "sns",
  makeAdapter: (clientConfig) => sns({ topicArn: "arn:aws:sns:us-east-1:123456789012:suite", clientConfig }),
  // The message is the event's CloudEvents JSON.
  serializesData: true,
  permanentRequestError: { code: "ValidationException", status: 400, deliveryCode: "InvalidRequest" },
})
