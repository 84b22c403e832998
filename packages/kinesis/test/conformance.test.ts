/**
 * The testkit conformance suite and the shared emulator-backed adapter suite, with the emulator as
 * the destination. How Kinesis holds the data (the record's CloudEvents JSON) is read here.
 */
import {
  cloudEventData,
  conformanceServices,
  describeEmulatorAdapterSuite,
  emulatorHarness,
  requestErrorCases,
  sendFailingBatch,
} from "@eventport/aws-emulator/conformance"
import { createEvent } from "@eventport/core"
import { describeAdapterConformance } from "@eventport/testkit"
import { expect, it } from "vitest"
import { entryErrorCodes, kinesis, requestErrorCodes } from "../src/index.ts"

describeAdapterConformance({
  harness: emulatorHarness({
    name: "kinesis (emulator)",
    service: "kinesis",
    dataOf: (stored) => cloudEventData(stored.dataText),
    decodeEntry: (entry: { readonly Data?: Uint8Array }) =>
      entry.Data === undefined ? undefined : cloudEventData(Buffer.from(entry.Data).toString("utf8")),
    // The default mapping: each record's Data is the event as CloudEvents JSON, which carries the id.
    makeAdapter: (clientConfig) => kinesis({ streamName: "conformance", clientConfig }),
  }),
})

describeEmulatorAdapterSuite({
  name: "kinesis",
  service: "kinesis",
  optionNames: {
    factory: "kinesis",
    make: kinesis,
    options: { streamName: "s", partitionkey: "k" },
    misspelled: "partitionkey",
    meant: "partitionKey",
  },
  makeAdapter: (clientConfig) => kinesis({ streamName: "suite", clientConfig }),
  entryErrors: {
    table: entryErrorCodes,
    // A record carries no event id of its own: the failing one is told apart by the id in its Data.
    fault: (code, event) => ({ ...conformanceServices.kinesis.entryFault(event.id, true), code }),
    unknownCode: "BrandNewError",
  },
  // Data is the event's CloudEvents JSON.
  serializesData: true,
  requestErrors: [
    ...requestErrorCases(requestErrorCodes, (rawCode) => (rawCode.startsWith("Internal") ? 500 : 400)),
    [
      "throttling",
      {
        code: "Throttled",
        retryable: true,
        rawCode: "ProvisionedThroughputExceededException",
        httpStatus: 400,
      },
    ],
    [
      "internal",
      { code: "InternalFailure", retryable: true, rawCode: "InternalFailureException", httpStatus: 500 },
    ],
    // Kinesis models no 503 error: the common AWS JSON one.
    ["unavailable", { code: "Unavailable", retryable: true, rawCode: "ServiceUnavailable", httpStatus: 503 }],
  ],
  permanentRequestError: { code: "ResourceNotFoundException", status: 400, deliveryCode: "NotFound" },
  additionalTests: ({ emulator, clientConfig }) => {
    it("over HTTP/2 (the SDK's default handler), a dropped connection is a Timeout, not Network", async () => {
      emulator().faults.set({ type: "dropConnection", afterStore: true, times: 1 })
      const failure = await sendFailingBatch(kinesis({ streamName: "suite", clientConfig: clientConfig() }), [
        createEvent({ type: "t", source: "s", data: {} }),
      ])
      expect(failure).toMatchObject({ code: "Timeout", retryable: true, outcomeUnknown: true })
    })
  },
})
