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
 * (invalid) in the model; 429 and 500 are retried as AWS Amplify does
 * (https://github.com/aws-amplify/amplify-js/blob/13c9b494833497bfe62c4052f14faba43c9cad23/packages/core/src/providers/pinpoint/utils/PinpointEventBuffer.ts,
 * `RETRYABLE_CODES`). Anything else is Unknown.
 */
export const eventStatusCodes: ErrorTable = {
  400: { code: "InvalidRequest", retryable: false },
  429: { code: "Throttled", retryable: true },
  500: { code: "InternalFailure", retryable: true },
}

/** The per-event status of an accepted event. */
export const acceptedStatusCode = 202

/** Whole-request errors with their HTTP status, from the model (https://github.com/boto/botocore/blob/0e6e2404b85dc336dd2889814e089bde7d1a4c55/botocore/data/pinpoint/2016-12-01/service-2.json). */
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
