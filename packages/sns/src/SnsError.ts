/**
 * SNS error codes, per entry and per request, mapped to the normalized {@link DeliveryError}. The
 * tables are data so the README table and the tests read the same mapping.
 */
import {
  classifyBySenderFault,
  classifyRequestByTable,
  type DeliveryError,
  type ErrorTable,
} from "@eventport/core"

export type { ErrorMapping } from "@eventport/core"

/**
 * `BatchResultErrorEntry.Code` values (the service's error codes, e.g. `InvalidParameter`). The code
 * is a free string; what decides retrying is the entry's `SenderFault` (`true`: the caller's fault,
 * not retried; `false`: the service's, retried), so `retryable` here applies only when it is missing.
 */
export const entryErrorCodes: ErrorTable = {
  InvalidParameter: { code: "InvalidRequest", retryable: false },
  ParameterValueInvalid: { code: "InvalidRequest", retryable: false },
  ValidationException: { code: "InvalidRequest", retryable: false },
  EndpointDisabled: { code: "InvalidRequest", retryable: false },
  PlatformApplicationDisabled: { code: "InvalidRequest", retryable: false },
  AuthorizationError: { code: "AccessDenied", retryable: false },
  InvalidSecurity: { code: "AccessDenied", retryable: false },
  NotFound: { code: "NotFound", retryable: false },
  KMSDisabled: { code: "InvalidRequest", retryable: false },
  KMSInvalidState: { code: "InvalidRequest", retryable: false },
  KMSNotFound: { code: "NotFound", retryable: false },
  KMSOptInRequired: { code: "AccessDenied", retryable: false },
  KMSAccessDenied: { code: "AccessDenied", retryable: false },
  KMSThrottling: { code: "Throttled", retryable: true },
  Throttled: { code: "Throttled", retryable: true },
  InternalError: { code: "InternalFailure", retryable: true },
  ServiceUnavailable: { code: "Unavailable", retryable: true },
}

/**
 * PublishBatch's modelled errors (botocore `sns/2010-03-31` operation `errors`, statuses from their
 * `error` traits), by the names the SDK throws them under, plus the service's `ThrottledException`
 * (`Throttled`, 429), not in the operation's list, and an unmodelled `ServiceUnavailable`. Anything
 * else falls back on the core's `classifyError` (HTTP status, network errors, timeouts).
 */
export const requestErrorCodes: ErrorTable = {
  InvalidParameterException: { code: "InvalidRequest", retryable: false },
  InvalidParameterValueException: { code: "InvalidRequest", retryable: false },
  InternalErrorException: { code: "InternalFailure", retryable: true },
  NotFoundException: { code: "NotFound", retryable: false },
  EndpointDisabledException: { code: "InvalidRequest", retryable: false },
  PlatformApplicationDisabledException: { code: "InvalidRequest", retryable: false },
  AuthorizationErrorException: { code: "AccessDenied", retryable: false },
  BatchEntryIdsNotDistinctException: { code: "InvalidRequest", retryable: false },
  BatchRequestTooLongException: { code: "PayloadTooLarge", retryable: false },
  EmptyBatchRequestException: { code: "InvalidRequest", retryable: false },
  InvalidBatchEntryIdException: { code: "InvalidRequest", retryable: false },
  TooManyEntriesInBatchRequestException: { code: "InvalidRequest", retryable: false },
  KMSDisabledException: { code: "InvalidRequest", retryable: false },
  KMSInvalidStateException: { code: "InvalidRequest", retryable: false },
  KMSNotFoundException: { code: "NotFound", retryable: false },
  KMSOptInRequired: { code: "AccessDenied", retryable: false },
  KMSThrottlingException: { code: "Throttled", retryable: true },
  KMSAccessDeniedException: { code: "AccessDenied", retryable: false },
  InvalidSecurityException: { code: "AccessDenied", retryable: false },
  ValidationException: { code: "InvalidRequest", retryable: false },
  ThrottledException: { code: "Throttled", retryable: true },
  ServiceUnavailable: { code: "Unavailable", retryable: true },
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

/** Classifies an error thrown by the PublishBatch call (the whole request failed). */
export const classifyRequestError = (error: unknown): DeliveryError =>
  classifyRequestByTable(requestErrorCodes, error)
