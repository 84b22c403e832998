/**
 * Pinpoint statuses and error codes → normalized {@link DeliveryError}s. The tables are data so the
 * README and tests can list them.
 */
import {
  classifyByTable,
  classifyRequestByTable,
  type DeliveryError,
  type ErrorMapping,
  type ErrorTable,
  inconsistentResponse,
} from "@eventport/core"

export type { ErrorMapping } from "@eventport/core"

/**
 * Per-event `StatusCode` in `EventsItemResponse`. The model documents 202 (accepted) and 400
 * (invalid); 429 and 500 are retried as AWS Amplify does (FACTS §4.4). Anything else is Unknown.
 */
export const eventStatusCodes: ErrorTable = {
  400: { code: "InvalidRequest", retryable: false },
  429: { code: "Throttled", retryable: true },
  500: { code: "InternalFailure", retryable: true },
}

/** The per-event status of an accepted event. */
export const acceptedStatusCode = 202

/** Whole-request errors with their HTTP status (FACTS §4.5). */
export const requestErrorCodes: Readonly<Record<string, ErrorMapping & { readonly httpStatus: number }>> = {
  BadRequestException: { code: "InvalidRequest", retryable: false, httpStatus: 400 },
  ForbiddenException: { code: "AccessDenied", retryable: false, httpStatus: 403 },
  NotFoundException: { code: "NotFound", retryable: false, httpStatus: 404 },
  MethodNotAllowedException: { code: "InvalidRequest", retryable: false, httpStatus: 405 },
  PayloadTooLargeException: { code: "PayloadTooLarge", retryable: false, httpStatus: 413 },
  TooManyRequestsException: { code: "Throttled", retryable: true, httpStatus: 429 },
  InternalServerErrorException: { code: "InternalFailure", retryable: true, httpStatus: 500 },
}

/** Classifies a per-event status other than 202 (its raw code is the status as text). */
export const classifyEntryError = (statusCode: number | undefined, message?: string): DeliveryError =>
  classifyByTable(eventStatusCodes, statusCode === undefined ? undefined : String(statusCode), message)

/** An event the 202 response does not mention: it may or may not have been recorded. */
export const missingResultError = (): DeliveryError =>
  inconsistentResponse("the PutEvents response has no result for this event")

/** Classifies an error thrown by the PutEvents call (the whole request failed). */
export const classifyRequestError = (error: unknown): DeliveryError =>
  classifyRequestByTable(requestErrorCodes, error)
