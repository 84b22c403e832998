export {
  batchEntryIdFor,
  checkDeduplicationId,
  checkJsonMessageStructure,
  checkMessage,
  checkMessageAttributes,
  checkMessageGroupId,
  checkMessageStructure,
  checkSubject,
  checkTopicArn,
  deduplicationIdFor,
  type EncodeOptions,
  encode,
  entryBytes,
  isFifoTopicArn,
  orderingKeyOf,
} from "./encode.ts"
export * as limits from "./limits.ts"
export { sns } from "./SnsAdapter.ts"
export {
  classifyEntryError,
  classifyRequestError,
  type ErrorMapping,
  entryErrorCodes,
  requestErrorCodes,
} from "./SnsError.ts"
export {
  defaultCloudEventAttributes,
  defaultMaxEntryBytes,
  defaultMaxRequestBytes,
  defaultMessage,
  type SnsMessageBody,
  type SnsOptions,
} from "./SnsOptions.ts"
