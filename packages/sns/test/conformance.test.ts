/**
 * The testkit conformance suite (a standard and a FIFO topic) and the shared emulator-backed
 * adapter suite, with the emulator as the destination.
 */
import {
  cloudEventData,
  describeEmulatorAdapterSuite,
  emulatorHarness,
  type RequestErrorCase,
} from "@eventport/aws-emulator/conformance"
import { describeAdapterConformance } from "@eventport/testkit"
import { expect, it } from "vitest"
import { entryErrorCodes, requestErrorCodes, sns } from "../src/index.ts"

// The suite's ids are short ASCII (letters, digits, -), so each batch entry Id is the event id; the
// message is the event's CloudEvents JSON, which the harness reads the data back from.
/**
 * The wire code and status of each error the SDK throws, from the botocore model's `error` traits
 * (and the service's `Throttled`, 429), for scripting them on the emulator.
 */
const wireErrors: Record<string, { readonly code: string; readonly status: number }> = {
  InvalidParameterException: { code: "InvalidParameter", status: 400 },
  InvalidParameterValueException: { code: "ParameterValueInvalid", status: 400 },
  InternalErrorException: { code: "InternalError", status: 500 },
  NotFoundException: { code: "NotFound", status: 404 },
  EndpointDisabledException: { code: "EndpointDisabled", status: 400 },
  PlatformApplicationDisabledException: { code: "PlatformApplicationDisabled", status: 400 },
  AuthorizationErrorException: { code: "AuthorizationError", status: 403 },
  BatchEntryIdsNotDistinctException: { code: "BatchEntryIdsNotDistinct", status: 400 },
  BatchRequestTooLongException: { code: "BatchRequestTooLong", status: 400 },
  EmptyBatchRequestException: { code: "EmptyBatchRequest", status: 400 },
  InvalidBatchEntryIdException: { code: "InvalidBatchEntryId", status: 400 },
  TooManyEntriesInBatchRequestException: { code: "TooManyEntriesInBatchRequest", status: 400 },
  KMSDisabledException: { code: "KMSDisabled", status: 400 },
  KMSInvalidStateException: { code: "KMSInvalidState", status: 400 },
  KMSNotFoundException: { code: "KMSNotFound", status: 400 },
  KMSOptInRequired: { code: "KMSOptInRequired", status: 403 },
  KMSThrottlingException: { code: "KMSThrottling", status: 400 },
  KMSAccessDeniedException: { code: "KMSAccessDenied", status: 400 },
  InvalidSecurityException: { code: "InvalidSecurity", status: 403 },
  ValidationException: { code: "ValidationException", status: 400 },
  ThrottledException: { code: "Throttled", status: 429 },
  ServiceUnavailable: { code: "ServiceUnavailable", status: 503 },
}

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
  optionNames: {
    factory: "sns",
    make: sns,
    options: { topicArn: "arn:aws:sns:us-east-1:123456789012:t", messageGroupID: "g" },
    misspelled: "messageGroupID",
    meant: "messageGroupId",
  },
  makeAdapter: (clientConfig) => sns({ topicArn: "arn:aws:sns:us-east-1:123456789012:suite", clientConfig }),
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
  // The message is the event's CloudEvents JSON.
  serializesData: true,
  // awsQuery: the wire code differs from the SDK's exception name, which the adapter reports.
  requestErrors: [
    ...Object.entries(requestErrorCodes).map(
      ([name, mapping]): RequestErrorCase => [
        wireErrors[name]!,
        {
          code: mapping.code,
          retryable: mapping.retryable,
          rawCode: name,
          httpStatus: wireErrors[name]!.status,
        },
      ],
    ),
    ["throttling", { code: "Throttled", retryable: true, rawCode: "ThrottledException", httpStatus: 429 }],
  ],
  permanentRequestError: { code: "ValidationException", status: 400, deliveryCode: "InvalidRequest" },
  additionalTests: () => {
    it("every error the model lists for PublishBatch is in the table", () => {
      expect(Object.keys(requestErrorCodes).sort()).toEqual(Object.keys(wireErrors).sort())
    })
  },
})
