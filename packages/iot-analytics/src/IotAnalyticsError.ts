/**
 * IoT Analytics error codes → normalized {@link DeliveryError}s. The tables are data so the README
 * and tests can list them.
 */
import {
  classifyByTable,
  classifyRequestByTable,
  type DeliveryError,
  type ErrorMapping,
  type ErrorTable,
  throttlingErrorNames,
} from "@eventport/core"

export type { ErrorMapping } from "@eventport/core"

/**
 * Per-message `errorCode`s. The model
 * (https://github.com/boto/botocore/blob/cb07fe673070c453ece194edabe4511db47ccaeb/botocore/data/iotanalytics/2017-11-27/service-2.json)
 * leaves errorCode a free string with no documented values, so this is by name and UNVERIFIED: the service's own exception names, the SDKs'
 * throttling names (core `throttlingErrorNames`) as Throttled, and anything else Unknown, not retried.
 */
export const entryErrorCodes: ErrorTable = {
  InternalFailureException: { code: "InternalFailure", retryable: true },
  ServiceUnavailableException: { code: "Unavailable", retryable: true },
  ResourceNotFoundException: { code: "NotFound", retryable: false },
  InvalidRequestException: { code: "InvalidRequest", retryable: false },
}

/** Whole-request errors with their HTTP status, from the same model. */
export const requestErrorCodes: Readonly<Record<string, ErrorMapping & { readonly httpStatus: number }>> = {
  ResourceNotFoundException: { code: "NotFound", retryable: false, httpStatus: 404 },
  InvalidRequestException: { code: "InvalidRequest", retryable: false, httpStatus: 400 },
  ThrottlingException: { code: "Throttled", retryable: true, httpStatus: 429 },
  InternalFailureException: { code: "InternalFailure", retryable: true, httpStatus: 500 },
  ServiceUnavailableException: { code: "Unavailable", retryable: true, httpStatus: 503 },
}

const throttledByName = (code: string): ErrorMapping | undefined =>
  throttlingErrorNames.has(code) ? { code: "Throttled", retryable: true } : undefined

/** Classifies one failed message of a BatchPutMessage response. Unknown codes are `Unknown`, not retried. */
export const classifyEntryError = (code: string | undefined, message?: string): DeliveryError =>
  classifyByTable(entryErrorCodes, code, message, throttledByName)

/** Classifies an error thrown by the BatchPutMessage call (the whole request failed). */
export const classifyRequestError = (error: unknown): DeliveryError =>
  classifyRequestByTable(requestErrorCodes, error)
