/**
 * The testkit conformance suite (a standard and a FIFO queue) and the shared emulator-backed
 * adapter suite, with the emulator as the destination.
 */
import {
  cloudEventData,
  describeEmulatorAdapterSuite,
  emulatorHarness,
  requestErrorCases,
} from "@eventport/aws-emulator/conformance"
import { describeAdapterConformance } from "@eventport/testkit"
import { entryErrorCodes, requestErrorCodes, sqs } from "../src/index.ts"

// The suite's ids are short ASCII (letters, digits, -), so each batch entry Id is the event id; the
// body is the event's CloudEvents JSON, which the harness reads the data back from.
describeAdapterConformance({
  harness: emulatorHarness({
    name: "sqs (emulator)",
    service: "sqs",
    dataOf: (stored) => cloudEventData(stored.body),
    decodeEntry: (entry: { readonly MessageBody?: string }) => cloudEventData(entry.MessageBody),
    makeAdapter: (clientConfig) =>
      sqs({ queueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/conformance", clientConfig }),
  }),
})

describeAdapterConformance({
  harness: emulatorHarness({
    name: "sqs FIFO (emulator)",
    service: "sqs",
    dataOf: (stored) => cloudEventData(stored.body),
    decodeEntry: (entry: { readonly MessageBody?: string }) => cloudEventData(entry.MessageBody),
    makeAdapter: (clientConfig) =>
      sqs({
        queueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/conformance.fifo",
        messageGroupId: (event) => event.source,
        clientConfig,
      }),
  }),
})

describeEmulatorAdapterSuite({
  name: "sqs",
  service: "sqs",
  optionNames: {
    factory: "sqs",
    make: sqs,
    options: { queueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/q", delaySecond: 5 },
    misspelled: "delaySecond",
    meant: "delaySeconds",
  },
  makeAdapter: (clientConfig) =>
    sqs({ queueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/suite", clientConfig }),
  entryErrors: {
    table: entryErrorCodes,
    // The batch entry Id is the event id; SenderFault follows the row unless the suite flips it.
    fault: (code, event, senderFault = entryErrorCodes[code]?.retryable !== true) => ({
      code,
      senderFault,
      match: { id: event.id },
    }),
    senderFault: true,
    unknownCode: "BrandNewError",
    // An unlisted code is the caller's fault here (SenderFault true): InvalidRequest, not retried.
    unknownCodeBecomes: { code: "InvalidRequest", retryable: false },
  },
  // The body is the event's CloudEvents JSON.
  serializesData: true,
  requestErrors: [
    ...requestErrorCases(requestErrorCodes, (rawCode) => (rawCode === "InternalFailure" ? 500 : 400)),
    // SQS answers throttling with its own code and a 403.
    ["throttling", { code: "Throttled", retryable: true, rawCode: "RequestThrottled", httpStatus: 403 }],
  ],
  permanentRequestError: { code: "QueueDoesNotExist", status: 400, deliveryCode: "NotFound" },
})
