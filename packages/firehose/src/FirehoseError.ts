/**
 * Firehose error codes, per record and per request, mapped to the normalized {@link DeliveryError}.
 * The tables are data so the README table and the tests read the same mapping. Sources: the
 * PutRecordBatch API reference (https://docs.aws.amazon.com/firehose/latest/APIReference/API_PutRecordBatch.html)
 * and the botocore model `botocore/data/firehose/2015-08-04/service-2.json` (operation errors).
 */
import { classifyByTable, classifyRequestByTable, type DeliveryError, type ErrorTable } from "@eventport/core"

export type { ErrorMapping } from "@eventport/core"

/**
 * `PutRecordBatchResponseEntry.ErrorCode`: "ServiceUnavailableException or InternalFailure"; the
 * API reference says to resend only the records that failed. Codes not listed are `Unknown` and not
 * retried. `ServiceUnavailableException` is how Firehose answers a stream over its throughput ("Back
 * off and retry … throughput limits for the Firehose stream may have been exceeded"; it models no
 * throttling error), so it is `Throttled`: the publisher backs off as for throttling.
 */
export const entryErrorCodes: ErrorTable = {
  ServiceUnavailableException: { code: "Throttled", retryable: true },
  InternalFailure: { code: "InternalFailure", retryable: true },
}

/**
 * Record errors after which the record may still have been written: "If there is an internal server
 * error or a timeout, the write might have completed or it might have failed" (API reference). They
 * carry `outcomeUnknown`, so a later delivery of the record is flagged as a possible duplicate.
 */
export const entryErrorsWithUnknownOutcome: ReadonlySet<string> = new Set(["InternalFailure"])

/**
 * Whole-request errors: every error the model lists for PutRecordBatch, plus the common AWS JSON
 * `ValidationException`, `InternalFailure` and `AccessDeniedException`. Anything else falls back on
 * the core's `classifyError` (HTTP status, network errors, timeouts).
 */
export const requestErrorCodes: ErrorTable = {
  ServiceUnavailableException: { code: "Throttled", retryable: true },
  InternalFailure: { code: "InternalFailure", retryable: true },
  ResourceNotFoundException: { code: "NotFound", retryable: false },
  InvalidArgumentException: { code: "InvalidRequest", retryable: false },
  InvalidKMSResourceException: { code: "InvalidRequest", retryable: false },
  InvalidSourceException: { code: "InvalidRequest", retryable: false },
  ValidationException: { code: "InvalidRequest", retryable: false },
  AccessDeniedException: { code: "AccessDenied", retryable: false },
}

/** Classifies one failed record of a PutRecordBatch response. Unknown codes are `Unknown`, not retried. */
export const classifyEntryError = (code: string | undefined, message?: string): DeliveryError => {
  const error = classifyByTable(entryErrorCodes, code, message)
  return code !== undefined && entryErrorsWithUnknownOutcome.has(code)
    ? error.with({ outcomeUnknown: true })
    : error
}

/** Classifies an error thrown by the PutRecordBatch call (the whole request failed). */
export const classifyRequestError = (error: unknown): DeliveryError =>
  classifyRequestByTable(requestErrorCodes, error)
