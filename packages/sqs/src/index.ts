export {
  batchEntryIdFor,
  deduplicationIdFor,
  isFifoQueueUrl,
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
export { defaultBody, defaultMaxMessageBytes, type SqsBody, type SqsOptions } from "./SqsOptions.ts"
