export {
  batchEntryIdFor,
  checkBody,
  checkDeduplicationId,
  checkDelaySeconds,
  checkMessageAttributes,
  checkMessageGroupId,
  checkQueueUrl,
  deduplicationIdFor,
  type EncodeOptions,
  encode,
  entryBytes,
  isFifoQueueUrl,
  orderingKeyOf,
  queueNameOf,
} from "./encode.ts"
export * as limits from "./limits.ts"
export { sqs } from "./SqsAdapter.ts"
export {
  classifyEntryError,
  classifyRequestError,
  type ErrorMapping,
  entryErrorCodes,
  requestErrorCodes,
} from "./SqsError.ts"
export {
  defaultBody,
  defaultCloudEventAttributes,
  defaultMaxEntryBytes,
  defaultMaxRequestBytes,
  type SqsBody,
  type SqsOptions,
} from "./SqsOptions.ts"
