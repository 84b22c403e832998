/**
 * IoT Analytics error codes → normalized {@link DeliveryError}s. The tables are data so the README
 * and tests can list them.
 */
import {
  classifyError,
  DeliveryError,
  type DeliveryErrorCode,
  deliveryError,
  throttlingErrorNames,
} from "@eventport/core"

export interface ErrorMapping {
  readonly code: DeliveryErrorCode
  readonly retryable: boolean
}

/**
 * Per-message `errorCode`s. The model leaves errorCode a free string with no documented values
 * (FACTS §3.4), so this is by name and UNVERIFIED: the service's own exception names, the SDKs'
 * throttling names (core `throttlingErrorNames`) as Throttled, and anything else Unknown, not retried.
 */
export const entryErrorCodes: Readonly<Record<string, ErrorMapping>> = {
  InternalFailureException: { code: "InternalFailure", retryable: true },
  ServiceUnavailableException: { code: "Unavailable", retryable: true },
  ResourceNotFoundException: { code: "NotFound", retryable: false },
  InvalidRequestException: { code: "InvalidRequest", retryable: false },
}

/** Whole-request errors with their HTTP status, from the model (FACTS §3.4). */
export const requestErrorCodes: Readonly<Record<string, ErrorMapping & { readonly httpStatus: number }>> = {
  ResourceNotFoundException: { code: "NotFound", retryable: false, httpStatus: 404 },
  InvalidRequestException: { code: "InvalidRequest", retryable: false, httpStatus: 400 },
  ThrottlingException: { code: "Throttled", retryable: true, httpStatus: 429 },
  InternalFailureException: { code: "InternalFailure", retryable: true, httpStatus: 500 },
  ServiceUnavailableException: { code: "Unavailable", retryable: true, httpStatus: 503 },
}

const lookup = <M>(table: Readonly<Record<string, M>>, code: string): M | undefined =>
  Object.hasOwn(table, code) ? table[code] : undefined

/** Classifies one `batchPutMessageErrorEntries` item. */
export const classifyEntryError = (errorCode: string | undefined, errorMessage?: string): DeliveryError => {
  const raw = {
    ...(errorCode === undefined ? {} : { rawCode: errorCode }),
    ...(errorMessage === undefined ? {} : { rawMessage: errorMessage }),
  }
  if (errorCode === undefined) return deliveryError("Unknown", { ...raw, retryable: false })
  if (throttlingErrorNames.has(errorCode)) return deliveryError("Throttled", { ...raw, retryable: true })
  const known = lookup(entryErrorCodes, errorCode)
  return known === undefined
    ? deliveryError("Unknown", { ...raw, retryable: false })
    : deliveryError(known.code, { ...raw, retryable: known.retryable })
}

/**
 * Classifies what the SDK threw for a whole request: the service's modelled exceptions by name,
 * everything else (network errors, timeouts, unmodelled statuses) by core's {@link classifyError}.
 */
export const classifyRequestError = (error: unknown): DeliveryError => {
  if (DeliveryError.isInstance(error)) return error
  const general = classifyError(error)
  const name = (error as { name?: unknown } | null)?.name
  const known = typeof name === "string" ? lookup(requestErrorCodes, name) : undefined
  return known === undefined ? general : general.with({ code: known.code, retryable: known.retryable })
}
