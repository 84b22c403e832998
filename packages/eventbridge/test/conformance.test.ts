/**
 * The testkit conformance suite and the shared emulator-backed adapter suite, with the emulator as
 * the destination. How EventBridge holds the data (the Detail's JSON) is read here, by this adapter.
 */
import { describeEmulatorAdapterSuite, emulatorHarness } from "@eventport/aws-emulator/conformance"
import { describeAdapterConformance } from "@eventport/testkit"
import { entryErrorCodes, eventBridge } from "../src/index.ts"

describeAdapterConformance({
  harness: emulatorHarness({
    name: "eventbridge (emulator)",
    service: "eventbridge",
    // EventBridge keeps no caller id on an entry, so the event id travels as the TraceHeader (the
    // suite's ids are short ASCII), leaving Source, DetailType and Detail mapped as users get them.
    makeAdapter: (clientConfig) =>
      eventBridge({ eventBusName: "conformance", traceHeader: (event) => event.id, clientConfig }),
    dataOf: (stored) => JSON.parse(stored.detail),
    decodeEntry: (entry: { readonly Detail?: string }) =>
      entry.Detail === undefined ? undefined : JSON.parse(entry.Detail),
  }),
})

describeEmulatorAdapterSuite({
  name: "eventbridge",
  service: "eventbridge",
  optionNames: {
    factory: "eventBridge",
    make: eventBridge,
    options: { eventBusname: "orders" },
    misspelled: "eventBusname",
    meant: "eventBusName",
  },
  makeAdapter: (clientConfig) => eventBridge({ clientConfig }),
  entryErrors: {
    table: entryErrorCodes,
    // An EventBridge entry carries no event id: the failing event is told apart by its Detail.
    fault: (code, event) => ({ code, match: { Detail: JSON.stringify(event.data) } }),
    unknownCode: "BrandNewError",
  },
  serializesData: true,
  requestErrors: [
    ["throttling", { code: "Throttled", retryable: true, rawCode: "ThrottlingException", httpStatus: 400 }],
    ["internal", { code: "InternalFailure", retryable: true, rawCode: "InternalException", httpStatus: 500 }],
    [
      {
        code: "ValidationException",
        status: 400,
        message: "Total size of the entries in the request is over the limit.",
      },
      { code: "InvalidRequest", retryable: false, rawCode: "ValidationException", httpStatus: 400 },
    ],
    [
      { code: "AccessDeniedException", status: 400, message: "denied" },
      { code: "AccessDenied", retryable: false, rawCode: "AccessDeniedException", httpStatus: 400 },
    ],
  ],
  permanentRequestError: { code: "ValidationException", status: 400, deliveryCode: "InvalidRequest" },
})
