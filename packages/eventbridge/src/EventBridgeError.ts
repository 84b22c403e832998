/**
 * EventBridge error codes, per entry and per request, mapped to the normalized {@link DeliveryError}.
 * The tables are data so the README table and the tests read the same mapping.
 */
import { classifyByTable, classifyRequestByTable, type DeliveryError, type ErrorTable } from "@eventport/core"

export type { ErrorMapping } from "@eventport/core"

/**
 * `PutEventsResultEntry.ErrorCode` values
 * (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEventsResultEntry.html): InternalFailure
 * and ThrottlingException are documented as retryable, the others not. The member is a free string,
 * so codes not listed here are `Unknown` and not retried.
 */
export const entryErrorCodes: ErrorTable = {
  InternalFailure: { code: "InternalFailure", retryable: true },
  ThrottlingException: { code: "Throttled", retryable: true },
  AccessDeniedException: { code: "AccessDenied", retryable: false },
  InvalidAccountIdException: { code: "InvalidRequest", retryable: false },
  InvalidArgument: { code: "InvalidRequest", retryable: false },
  MalformedDetail: { code: "InvalidRequest", retryable: false },
  RedactionFailure: { code: "InvalidRequest", retryable: false },
  NotAuthorizedForSourceException: { code: "AccessDenied", retryable: false },
  NotAuthorizedForDetailTypeException: { code: "AccessDenied", retryable: false },
}

/**
 * Whole-request errors: InternalException is the only modelled error (5xx, botocore model
 * `botocore/data/events/2015-10-07/service-2.json`); ThrottlingException, ValidationException and
 * AccessDeniedException are common AWS errors
 * (https://docs.aws.amazon.com/eventbridge/latest/APIReference/CommonErrors.html), and so are the
 * credential errors core classifies alike for every adapter (`AccessDenied`, not retried).
 * Anything else falls back on the core's `classifyError` (HTTP status, network errors, timeouts),
 * which maps a bare HTTP 413 to a non-retryable `PayloadTooLarge`.
 */
export const requestErrorCodes: ErrorTable = {
  InternalException: { code: "InternalFailure", retryable: true },
  ThrottlingException: { code: "Throttled", retryable: true },
  ValidationException: { code: "InvalidRequest", retryable: false },
  AccessDeniedException: { code: "AccessDenied", retryable: false },
}

/** Classifies one failed entry of a PutEvents response. Unknown codes are `Unknown`, not retried. */
export const classifyEntryError = (code: string | undefined, message?: string): DeliveryError =>
  classifyByTable(entryErrorCodes, code, message)

/** Classifies an error thrown by the PutEvents call (the whole request failed). */
export const classifyRequestError = (error: unknown): DeliveryError =>
  classifyRequestByTable(requestErrorCodes, error)
