/**
 * IoT Events Data error codes, per message and per request, mapped to the normalized
 * {@link DeliveryError}. The tables are data so the README table and the tests read the same mapping.
 */
import { classifyByTable, classifyRequestByTable, type DeliveryError, type ErrorTable } from "@eventport/core"

export type { ErrorMapping } from "@eventport/core"

/**
 * `BatchPutMessageErrorEntry.errorCode`, an enum in the model
 * (https://github.com/boto/botocore/blob/3b27a77a78f6e8f9015ce52ba3784f0a225be1e2/botocore/data/iotevents-data/2018-10-23/service-2.json). Which ones are worth
 * retrying is inferred, not documented: the internal, unavailable and throttling failures.
 */
export const entryErrorCodes: ErrorTable = {
  ResourceNotFoundException: { code: "NotFound", retryable: false },
  InvalidRequestException: { code: "InvalidRequest", retryable: false },
  InternalFailureException: { code: "InternalFailure", retryable: true },
  ServiceUnavailableException: { code: "Unavailable", retryable: true },
  ThrottlingException: { code: "Throttled", retryable: true },
}

/**
 * The operation's modelled errors with their HTTP statuses (same model): InvalidRequestException
 * 400, ThrottlingException 429, InternalFailureException 500, ServiceUnavailableException 503.
 * Anything else falls back on the core's `classifyError` (HTTP status, network errors, timeouts,
 * credential errors as `AccessDenied`).
 */
export const requestErrorCodes: ErrorTable = {
  InvalidRequestException: { code: "InvalidRequest", retryable: false },
  ThrottlingException: { code: "Throttled", retryable: true },
  InternalFailureException: { code: "InternalFailure", retryable: true },
  ServiceUnavailableException: { code: "Unavailable", retryable: true },
}

/** Classifies one failed message of a BatchPutMessage response. Unknown codes are `Unknown`, not retried. */
export const classifyEntryError = (code: string | undefined, message?: string): DeliveryError =>
  classifyByTable(entryErrorCodes, code, message)

/** Classifies an error thrown by the BatchPutMessage call (the whole request failed). */
export const classifyRequestError = (error: unknown): DeliveryError =>
  classifyRequestByTable(requestErrorCodes, error)
