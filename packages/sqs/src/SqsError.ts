/**
 * SQS error codes, per entry and per request, mapped to the normalized {@link DeliveryError}. The
 * tables are data so the README table and the tests read the same mapping.
 */
import {
  classifyBySenderFault,
  classifyRequestByTable,
  type DeliveryError,
  deliveryError,
  type ErrorTable,
} from "@eventport/core"

export type { ErrorMapping } from "@eventport/core"

/**
 * `BatchResultErrorEntry.Code` values seen per entry. The code is a free string in the model; what
 * decides retrying is the entry's `SenderFault` (`true`: the caller's fault, not retried as is;
 * `false`: the service's, retried), so `retryable` here applies only when `SenderFault` is missing.
 */
export const entryErrorCodes: ErrorTable = {
  InvalidParameterValue: { code: "InvalidRequest", retryable: false },
  InvalidMessageContents: { code: "InvalidRequest", retryable: false },
  MissingParameter: { code: "InvalidRequest", retryable: false },
  InvalidAttributeName: { code: "InvalidRequest", retryable: false },
  InvalidAttributeValue: { code: "InvalidRequest", retryable: false },
  UnsupportedOperation: { code: "InvalidRequest", retryable: false },
  InternalError: { code: "InternalFailure", retryable: true },
  InternalFailure: { code: "InternalFailure", retryable: true },
  ServiceUnavailable: { code: "Unavailable", retryable: true },
  RequestThrottled: { code: "Throttled", retryable: true },
  ThrottlingException: { code: "Throttled", retryable: true },
  KmsThrottled: { code: "Throttled", retryable: true },
  KmsAccessDenied: { code: "AccessDenied", retryable: false },
  KmsDisabled: { code: "InvalidRequest", retryable: false },
  KmsInvalidKeyUsage: { code: "InvalidRequest", retryable: false },
  KmsInvalidState: { code: "InvalidRequest", retryable: false },
  KmsNotFound: { code: "NotFound", retryable: false },
  KmsOptInRequired: { code: "AccessDenied", retryable: false },
}

/**
 * SendMessageBatch's modelled errors (botocore `sqs/2012-11-05` operation `errors`; statuses as
 * `@aws-sdk/client-sqs` models them), the SDK naming each by its shape name, plus AWS's common
 * `InternalFailure`, `ServiceUnavailable`, `ThrottlingException` and `AccessDeniedException`.
 * Anything else falls back on the core's `classifyError` (HTTP status, network errors, timeouts).
 */
export const requestErrorCodes: ErrorTable = {
  TooManyEntriesInBatchRequest: { code: "InvalidRequest", retryable: false },
  EmptyBatchRequest: { code: "InvalidRequest", retryable: false },
  BatchEntryIdsNotDistinct: { code: "InvalidRequest", retryable: false },
  BatchRequestTooLong: { code: "PayloadTooLarge", retryable: false },
  InvalidBatchEntryId: { code: "InvalidRequest", retryable: false },
  UnsupportedOperation: { code: "InvalidRequest", retryable: false },
  RequestThrottled: { code: "Throttled", retryable: true },
  QueueDoesNotExist: { code: "NotFound", retryable: false },
  InvalidSecurity: { code: "AccessDenied", retryable: false },
  KmsDisabled: { code: "InvalidRequest", retryable: false },
  KmsInvalidState: { code: "InvalidRequest", retryable: false },
  KmsNotFound: { code: "NotFound", retryable: false },
  KmsOptInRequired: { code: "AccessDenied", retryable: false },
  KmsThrottled: { code: "Throttled", retryable: true },
  KmsAccessDenied: { code: "AccessDenied", retryable: false },
  KmsInvalidKeyUsage: { code: "InvalidRequest", retryable: false },
  InvalidAddress: { code: "InvalidRequest", retryable: false },
  InternalFailure: { code: "InternalFailure", retryable: true },
  ServiceUnavailable: { code: "Unavailable", retryable: true },
  ThrottlingException: { code: "Throttled", retryable: true },
  AccessDeniedException: { code: "AccessDenied", retryable: false },
}

/**
 * Classifies one failed entry: `SenderFault: true` is never retried, `false` always is; the code
 * picks the normalized `code` (core's `classifyBySenderFault`).
 */
export const classifyEntryError = (
  code: string | undefined,
  senderFault: boolean | undefined,
  message?: string,
): DeliveryError => classifyBySenderFault(entryErrorCodes, code, senderFault, message)

/**
 * The SDK checks each `MD5OfMessageBody` and throws when one does not match: the service answered
 * (the messages may well be queued) but not with what was sent. Not retried, outcome unknown.
 */
const checksumMismatch = (error: unknown): DeliveryError | undefined =>
  error instanceof Error && error.message.startsWith("Invalid MD5 checksum on messages")
    ? deliveryError("Unknown", {
        retryable: false,
        outcomeUnknown: true,
        rawCode: "InvalidMD5Checksum",
        rawMessage: "the response's MD5OfMessageBody does not match a message sent",
      })
    : undefined

/** Classifies an error thrown by the SendMessageBatch call (the whole request failed). */
export const classifyRequestError = (error: unknown): DeliveryError =>
  checksumMismatch(error) ?? classifyRequestByTable(requestErrorCodes, error)
