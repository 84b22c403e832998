/**
 * One error type for everything that can go wrong between an event and its destination, with a
 * normalized `code`, whether a retry can help, and the destination's own code and message kept raw.
 */
import * as Data from "effect/Data"

/** Normalized error codes, the same for every destination. */
export type DeliveryErrorCode =
  | "Throttled"
  | "Unavailable"
  | "InternalFailure"
  | "Timeout"
  | "Network"
  | "InvalidRequest"
  | "PayloadTooLarge"
  | "NotFound"
  | "AccessDenied"
  /** The buffered producer had no room for the event (overflow policy `dropNewest` or `fail`). */
  | "Overflow"
  /** The publisher closed before the event could be sent (deadline reached). */
  | "Closed"
  /** The retry budget was spent: the destination kept failing, so the engine stopped adding load. */
  | "RetryBudgetExhausted"
  | "Unknown"

/** The codes a retry can fix unless the adapter says otherwise. */
export const retryableByDefault: ReadonlySet<DeliveryErrorCode> = new Set([
  "Throttled",
  "Unavailable",
  "InternalFailure",
  "Timeout",
  "Network",
])

const DeliveryErrorTypeId: unique symbol = Symbol.for("@eventport/core/DeliveryError") as never

export interface DeliveryErrorFields {
  readonly code: DeliveryErrorCode
  /** Whether sending the same entry again may succeed. */
  readonly retryable: boolean
  /** The destination's own error code (e.g. `ThrottlingException`, `MalformedDetail`, `HTTP 413`). */
  readonly rawCode?: string
  /** The destination's own message. Never holds credentials; payloads are not copied into it. */
  readonly rawMessage?: string
  /** The request may have been applied (e.g. timed out after sending): a retry can duplicate. */
  readonly outcomeUnknown?: boolean
  /** HTTP status of the response, when there was one. */
  readonly httpStatus?: number
  /** How many requests carried the entry before this error stood. Set by the engine. */
  readonly attempts?: number
  /** With code `RetryBudgetExhausted`: the normalized code of the last error the destination gave. */
  readonly lastCode?: DeliveryErrorCode
}

export class DeliveryError extends Data.TaggedError("DeliveryError")<DeliveryErrorFields> {
  readonly [DeliveryErrorTypeId] = true

  override get message(): string {
    const raw =
      this.rawCode === undefined ? "" : ` (${this.rawCode}${this.rawMessage ? `: ${this.rawMessage}` : ""})`
    const budget =
      this.code === "RetryBudgetExhausted"
        ? ` (retry budget exhausted${this.lastCode === undefined ? "" : `, last error ${this.lastCode}`})`
        : ""
    return `${this.code}${budget}${raw}${this.outcomeUnknown ? " [outcome unknown]" : ""}`
  }

  /** `instanceof` that survives two copies of the package in one install. */
  static isInstance(u: unknown): u is DeliveryError {
    return typeof u === "object" && u !== null && DeliveryErrorTypeId in u
  }

  /** A copy with some fields changed. */
  with(fields: Partial<DeliveryErrorFields>): DeliveryError {
    return new DeliveryError({ ...this.fields(), ...fields })
  }

  fields(): DeliveryErrorFields {
    const f: { -readonly [K in keyof DeliveryErrorFields]: DeliveryErrorFields[K] } = {
      code: this.code,
      retryable: this.retryable,
    }
    if (this.rawCode !== undefined) f.rawCode = this.rawCode
    if (this.rawMessage !== undefined) f.rawMessage = this.rawMessage
    if (this.outcomeUnknown !== undefined) f.outcomeUnknown = this.outcomeUnknown
    if (this.httpStatus !== undefined) f.httpStatus = this.httpStatus
    if (this.attempts !== undefined) f.attempts = this.attempts
    if (this.lastCode !== undefined) f.lastCode = this.lastCode
    return f
  }
}

/** Builds a {@link DeliveryError}; `retryable` defaults from the code. */
export const deliveryError = (
  code: DeliveryErrorCode,
  fields: Omit<Partial<DeliveryErrorFields>, "code"> = {},
): DeliveryError => new DeliveryError({ retryable: retryableByDefault.has(code), ...fields, code })

/**
 * Error names that mean "slow down", as the AWS SDKs' standard retry strategy lists them
 * (@smithy/service-error-classification). Matched by name because no model carries a retryable trait.
 */
export const throttlingErrorNames: ReadonlySet<string> = new Set([
  "Throttling",
  "ThrottlingException",
  "ThrottledException",
  "RequestThrottledException",
  "TooManyRequestsException",
  "ProvisionedThroughputExceededException",
  "TransactionInProgressException",
  "RequestLimitExceeded",
  "BandwidthLimitExceeded",
  "LimitExceededException",
  "RequestThrottled",
  "SlowDown",
  "PriorRequestNotComplete",
  "EC2ThrottledException",
])

/**
 * Error names AWS answers for credentials it cannot accept (unknown key, wrong or expired session
 * token, bad signature, none at all). Retrying with the same credentials cannot help, and a 400
 * status would otherwise read as `InvalidRequest`: these are `AccessDenied`, not retryable.
 * The names are AWS's common errors (https://docs.aws.amazon.com/eventbridge/latest/APIReference/CommonErrors.html)
 * and those JSON services answer for an unknown key or token (`UnrecognizedClientException`).
 */
export const credentialErrorNames: ReadonlySet<string> = new Set([
  "UnrecognizedClientException",
  "InvalidClientTokenId",
  "ExpiredTokenException",
  "InvalidSignatureException",
  "SignatureDoesNotMatch",
  "IncompleteSignatureException",
  "MissingAuthenticationTokenException",
])

/** Socket-level failures. Those that can happen after the request left may have been applied. */
const networkCodes = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "ECONNABORTED",
])
const beforeSendCodes = new Set(["ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"])

const statusCode = (u: Record<string, unknown>): number | undefined => {
  const meta = u.$metadata as { httpStatusCode?: unknown } | undefined
  const status =
    meta?.httpStatusCode ?? (u.$response as { statusCode?: unknown } | undefined)?.statusCode ?? u.statusCode
  return typeof status === "number" ? status : undefined
}

const errnoCode = (u: unknown): string | undefined => {
  for (
    let e = u, depth = 0;
    typeof e === "object" && e !== null && depth < 5;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    const code = (e as { code?: unknown }).code
    if (typeof code === "string" && networkCodes.has(code)) return code
  }
  return undefined
}

/** Classifies an HTTP status when nothing more specific is known. */
export const classifyHttpStatus = (status: number): DeliveryErrorCode => {
  if (status === 429) return "Throttled"
  if (status === 413) return "PayloadTooLarge"
  if (status === 404) return "NotFound"
  if (status === 401 || status === 403) return "AccessDenied"
  if (status === 408 || status === 504) return "Timeout"
  if (status === 502 || status === 503) return "Unavailable"
  if (status >= 500) return "InternalFailure"
  if (status >= 400) return "InvalidRequest"
  return "Unknown"
}

/**
 * Classifies a thrown error that the adapter did not recognise: a {@link DeliveryError} passes
 * through; timeouts and aborts, socket errors, credential and throttling names and HTTP statuses
 * (AWS SDK v3 `$metadata`, or a `statusCode`) are mapped; anything else is `Unknown` and not retryable.
 * Only the error's name, code and message are kept: never request bodies or credentials.
 */
export const classifyError = (error: unknown): DeliveryError => {
  if (DeliveryError.isInstance(error)) return error
  if (typeof error !== "object" || error === null)
    return deliveryError("Unknown", { rawMessage: String(error) })
  const e = error as Record<string, unknown>
  const name = typeof e.name === "string" ? e.name : undefined
  const rawMessage = typeof e.message === "string" ? e.message : undefined
  const raw = {
    ...(name === undefined ? {} : { rawCode: name }),
    ...(rawMessage === undefined ? {} : { rawMessage }),
  }
  const status = statusCode(e)
  const withStatus = status === undefined ? raw : { ...raw, httpStatus: status }

  // The socket error code wins over the name: the AWS SDK's Node handler renames ECONNRESET,
  // EPIPE and ETIMEDOUT errors to `TimeoutError`, which would hide a reset connection.
  const errno = errnoCode(error)
  if (errno !== undefined && status === undefined)
    return deliveryError(errno === "ETIMEDOUT" ? "Timeout" : "Network", {
      ...raw,
      rawCode: errno,
      outcomeUnknown: !beforeSendCodes.has(errno),
    })
  if (
    name === "TimeoutError" ||
    name === "AbortError" ||
    name === "RequestTimeout" ||
    name === "RequestTimeoutException"
  )
    return deliveryError("Timeout", { ...withStatus, outcomeUnknown: true })
  if (name !== undefined && credentialErrorNames.has(name))
    return deliveryError("AccessDenied", { ...withStatus, retryable: false })
  if (name !== undefined && throttlingErrorNames.has(name)) return deliveryError("Throttled", withStatus)
  if (status !== undefined) return deliveryError(classifyHttpStatus(status), withStatus)
  return deliveryError("Unknown", withStatus)
}
