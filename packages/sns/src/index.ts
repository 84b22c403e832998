export { batchEntryIdFor, deduplicationIdFor, isFifoTopicArn } from "./encode.ts"
export * as limits from "./limits.ts"
export { sns } from "./SnsAdapter.ts"
export {
  classifyEntryError,
  classifyRequestError,
  type ErrorMapping,
  entryErrorCodes,
  requestErrorCodes,
} from "./SnsError.ts"
export { defaultMaxMessageBytes, defaultMessage, type SnsMessageBody, type SnsOptions } from "./SnsOptions.ts"
