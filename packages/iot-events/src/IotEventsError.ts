/**
 * IoT Events Data error codes, per message and per request, mapped to the normalized
 * {@link DeliveryError}. The tables are data so the README table and the tests read the same mapping.
 */
import { classifyError, DeliveryError, type DeliveryErrorCode, deliveryError } from "@eventport/core"

/** How one of the service's error codes maps onto a {@link DeliveryError}. */
export interface ErrorMapping {
  readonly code: DeliveryErrorCode
  readonly retryable: boolean
}

/**
 * `BatchPutMessageErrorEntry.errorCode`, an enum in the model (FACTS §2.4). Which ones are worth
 * retrying is inferred, not documented: the internal, unavailable and throttling failures.
 */
export const entryErrorCodes: Readonly<Record<string, ErrorMapping>> = {
  ResourceNotFoundException: { code: "NotFound", retryable: false },
  InvalidRequestException: { code: "InvalidRequest", retryable: false },
  InternalFailureException: { code: "InternalFailure", retryable: true },
  ServiceUnavailableException: { code: "Unavailable", retryable: true },
  ThrottlingException: { code: "Throttled", retryable: true },
}

/**
 * The operation's modelled errors with their HTTP statuses (FACTS §2.4): InvalidRequestException
 * 400, ThrottlingException 429, InternalFailureException 500, ServiceUnavailableException 503.
 * Anything else falls back on the core's `classifyError` (HTTP status, network errors, timeouts).
 */
export const requestErrorCodes: Readonly<Record<string, ErrorMapping>> = {
  InvalidRequestException: { code: "InvalidRequest", retryable: false },
  ThrottlingException: { code: "Throttled", retryable: true },
  InternalFailureException: { code: "InternalFailure", retryable: true },
  ServiceUnavailableException: { code: "Unavailable", retryable: true },
}

const lookup = (table: Readonly<Record<string, ErrorMapping>>, code: string): ErrorMapping | undefined =>
  Object.hasOwn(table, code) ? table[code] : undefined

/** Classifies one failed message of a BatchPutMessage response. Unknown codes are `Unknown`, not retried. */
export const classifyEntryError = (code: string, message: string | undefined): DeliveryError => {
  const mapping = lookup(entryErrorCodes, code) ?? { code: "Unknown", retryable: false }
  return deliveryError(mapping.code, {
    retryable: mapping.retryable,
    rawCode: code,
    ...(message === undefined ? {} : { rawMessage: message }),
  })
}

/** Classifies an error thrown by the BatchPutMessage call (the whole request failed). */
export const classifyRequestError = (error: unknown): DeliveryError => {
  if (DeliveryError.isInstance(error)) return error
  const general = classifyError(error)
  const name = (error as { name?: unknown } | null)?.name
  const mapping = typeof name === "string" ? lookup(requestErrorCodes, name) : undefined
  return mapping === undefined ? general : general.with({ code: mapping.code, retryable: mapping.retryable })
}
