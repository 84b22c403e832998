/**
 * EventBridge error codes, per entry and per request, mapped to the normalized {@link DeliveryError}.
 * The tables are data so the README table and the tests read the same mapping.
 */
import { classifyError, DeliveryError, type DeliveryErrorCode, deliveryError } from "@eventport/core"

/** How one of the service's error codes maps onto a {@link DeliveryError}. */
export interface ErrorMapping {
  readonly code: DeliveryErrorCode
  readonly retryable: boolean
}

/**
 * `PutEventsResultEntry.ErrorCode` values (FACTS §1.4, PutEventsResultEntry docs): InternalFailure
 * and ThrottlingException are documented as retryable, the others not. The member is a free string,
 * so codes not listed here are `Unknown` and not retried.
 */
export const entryErrorCodes: Readonly<Record<string, ErrorMapping>> = {
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
 * Whole-request errors (FACTS §1.5): InternalException is the only modelled error (5xx);
 * ThrottlingException, ValidationException and AccessDeniedException are common AWS JSON errors.
 * Anything else falls back on the core's `classifyError` (HTTP status, network errors, timeouts),
 * which maps a bare HTTP 413 to a non-retryable `PayloadTooLarge`.
 */
export const requestErrorCodes: Readonly<Record<string, ErrorMapping>> = {
  InternalException: { code: "InternalFailure", retryable: true },
  ThrottlingException: { code: "Throttled", retryable: true },
  ValidationException: { code: "InvalidRequest", retryable: false },
  AccessDeniedException: { code: "AccessDenied", retryable: false },
}

const lookup = (table: Readonly<Record<string, ErrorMapping>>, code: string): ErrorMapping | undefined =>
  Object.hasOwn(table, code) ? table[code] : undefined

/** Classifies one failed entry of a PutEvents response. */
export const classifyEntryError = (code: string, message: string | undefined): DeliveryError => {
  const mapping = lookup(entryErrorCodes, code) ?? { code: "Unknown", retryable: false }
  return deliveryError(mapping.code, {
    retryable: mapping.retryable,
    rawCode: code,
    ...(message === undefined ? {} : { rawMessage: message }),
  })
}

/** Classifies an error thrown by the PutEvents call (the whole request failed). */
export const classifyRequestError = (error: unknown): DeliveryError => {
  if (DeliveryError.isInstance(error)) return error
  const general = classifyError(error)
  const name = (error as { name?: unknown } | null)?.name
  const mapping = typeof name === "string" ? lookup(requestErrorCodes, name) : undefined
  return mapping === undefined ? general : general.with({ code: mapping.code, retryable: mapping.retryable })
}
