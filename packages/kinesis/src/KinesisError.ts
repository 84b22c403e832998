/**
 * Kinesis error codes, per record and per request, mapped to the normalized {@link DeliveryError}.
 * The tables are data so the README table and the tests read the same mapping. Sources: the
 * PutRecords API reference (https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecords.html)
 * and the botocore model `botocore/data/kinesis/2013-12-02/service-2.json` (operation errors).
 */
import { classifyByTable, classifyRequestByTable, type DeliveryError, type ErrorTable } from "@eventport/core"

export type { ErrorMapping } from "@eventport/core"

/**
 * `PutRecordsResultEntry.ErrorCode`: "ProvisionedThroughputExceededException or InternalFailure",
 * both to be resent (the shard was over its 1,000 records/s or 1 MB/s, or the service failed).
 * Codes not listed are `Unknown` and not retried.
 */
export const entryErrorCodes: ErrorTable = {
  ProvisionedThroughputExceededException: { code: "Throttled", retryable: true },
  InternalFailure: { code: "InternalFailure", retryable: true },
}

/**
 * Whole-request errors: every error the model lists for PutRecords, plus `ValidationException`, the
 * common AWS JSON error for a request that breaks a model constraint. Anything else falls back on the
 * core's `classifyError` (HTTP status, network errors, timeouts). The SDK reports a dropped HTTP/2
 * connection as a `TimeoutError`, which the core classifies as a retryable `Timeout` with
 * `outcomeUnknown` (the records may have been written).
 */
export const requestErrorCodes: ErrorTable = {
  ProvisionedThroughputExceededException: { code: "Throttled", retryable: true },
  InternalFailureException: { code: "InternalFailure", retryable: true },
  KMSThrottlingException: { code: "Throttled", retryable: true },
  ResourceNotFoundException: { code: "NotFound", retryable: false },
  InvalidArgumentException: { code: "InvalidRequest", retryable: false },
  ValidationException: { code: "InvalidRequest", retryable: false },
  AccessDeniedException: { code: "AccessDenied", retryable: false },
  KMSAccessDeniedException: { code: "AccessDenied", retryable: false },
  KMSOptInRequired: { code: "AccessDenied", retryable: false },
  KMSNotFoundException: { code: "NotFound", retryable: false },
  KMSDisabledException: { code: "InvalidRequest", retryable: false },
  KMSInvalidStateException: { code: "InvalidRequest", retryable: false },
}

/** Classifies one failed record of a PutRecords response. Unknown codes are `Unknown`, not retried. */
export const classifyEntryError = (code: string | undefined, message?: string): DeliveryError =>
  classifyByTable(entryErrorCodes, code, message)

/** Classifies an error thrown by the PutRecords call (the whole request failed). */
export const classifyRequestError = (error: unknown): DeliveryError =>
  classifyRequestByTable(requestErrorCodes, error)
