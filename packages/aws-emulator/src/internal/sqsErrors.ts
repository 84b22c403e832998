/**
 * SQS speaks awsJson1_0 in "query-compatible" mode: beside the JSON `__type` each error carries the
 * code the older query protocol used, in the `x-amzn-query-error` header. The codes are the
 * `awsQueryError` traits of `@aws-sdk/client-sqs` (its `schemas_0.js`), for SendMessageBatch's
 * modelled errors; an error not listed keeps its own name.
 */
const queryCodes: Readonly<Record<string, string>> = {
  BatchEntryIdsNotDistinct: "AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
  BatchRequestTooLong: "AWS.SimpleQueueService.BatchRequestTooLong",
  EmptyBatchRequest: "AWS.SimpleQueueService.EmptyBatchRequest",
  InvalidBatchEntryId: "AWS.SimpleQueueService.InvalidBatchEntryId",
  TooManyEntriesInBatchRequest: "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
  UnsupportedOperation: "AWS.SimpleQueueService.UnsupportedOperation",
  QueueDoesNotExist: "AWS.SimpleQueueService.NonExistentQueue",
  KmsAccessDenied: "KMS.AccessDeniedException",
  KmsDisabled: "KMS.DisabledException",
  KmsInvalidKeyUsage: "KMS.InvalidKeyUsageException",
  KmsInvalidState: "KMS.InvalidStateException",
  KmsNotFound: "KMS.NotFoundException",
  KmsOptInRequired: "KMS.OptInRequired",
  KmsThrottled: "KMS.ThrottlingException",
}

/** The HTTP status `@aws-sdk/client-sqs` models for each of SendMessageBatch's errors. */
export const sqsErrorStatus: Readonly<Record<string, number>> = {
  BatchEntryIdsNotDistinct: 400,
  BatchRequestTooLong: 400,
  EmptyBatchRequest: 400,
  InvalidBatchEntryId: 400,
  TooManyEntriesInBatchRequest: 400,
  UnsupportedOperation: 400,
  QueueDoesNotExist: 400,
  RequestThrottled: 403,
  InvalidSecurity: 403,
  InvalidAddress: 404,
  KmsAccessDenied: 400,
  KmsDisabled: 400,
  KmsInvalidKeyUsage: 400,
  KmsInvalidState: 400,
  KmsNotFound: 400,
  KmsOptInRequired: 403,
  KmsThrottled: 400,
}

export const sqsQueryErrorCode = (code: string): string =>
  Object.hasOwn(queryCodes, code) ? queryCodes[code]! : code
