/**
 * Pinpoint statuses and error codes → normalized {@link DeliveryError}s. The tables are data so the
 * README and tests can list them.
 */
import { classifyError, DeliveryError, type DeliveryErrorCode, deliveryError } from "@eventport/core"

export interface ErrorMapping {
  readonly code: DeliveryErrorCode
  readonly retryable: boolean
}

/**
 * Per-event `StatusCode` in `EventsItemResponse`. The model documents 202 (accepted) and 400
 * (invalid); 429 and 500 are retried as AWS Amplify does (FACTS §4.4). Anything else is Unknown.
 */
export const eventStatusCodes: Readonly<Record<number, ErrorMapping>> = {
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

const lookup = <M>(table: Readonly<Record<string | number, M>>, code: string | number): M | undefined =>
  Object.hasOwn(table, code) ? table[code] : undefined

/** Classifies a per-event status other than 202. */
export const classifyEntryError = (statusCode: number | undefined, message?: string): DeliveryError => {
  const raw = {
    ...(statusCode === undefined ? {} : { rawCode: String(statusCode) }),
    ...(message === undefined ? {} : { rawMessage: message }),
  }
  const known = statusCode === undefined ? undefined : lookup(eventStatusCodes, statusCode)
  return known === undefined
    ? deliveryError("Unknown", { ...raw, retryable: false })
    : deliveryError(known.code, { ...raw, retryable: known.retryable })
}

/** An event the 202 response does not mention: it may or may not have been recorded. */
export const missingResultError = (): DeliveryError =>
  deliveryError("Unknown", {
    retryable: false,
    outcomeUnknown: true,
    rawMessage: "the PutEvents response has no result for this event",
  })

/**
 * Classifies what the SDK threw for a whole request: Pinpoint's modelled exceptions by name,
 * everything else (network errors, timeouts, unmodelled statuses) by core's {@link classifyError}.
 */
export const classifyRequestError = (error: unknown): DeliveryError => {
  if (DeliveryError.isInstance(error)) return error
  const general = classifyError(error)
  const name = (error as { name?: unknown } | null)?.name
  const known = typeof name === "string" ? lookup(requestErrorCodes, name) : undefined
  return known === undefined ? general : general.with({ code: known.code, retryable: known.retryable })
}
