export {
  checkDeliveryStreamName,
  type EncodeOptions,
  encode,
  entryBytes,
  type FirehoseRecordEntry,
} from "./encode.ts"
export { firehose } from "./FirehoseAdapter.ts"
export {
  classifyEntryError,
  classifyRequestError,
  type ErrorMapping,
  entryErrorCodes,
  entryErrorsWithUnknownOutcome,
  requestErrorCodes,
} from "./FirehoseError.ts"
export {
  defaultMaxRequestBytes,
  defaultRecordData,
  defaultRecordDelimiter,
  defaultRequestSize,
  type FirehoseOptions,
  type RecordData,
  type RequestSizeRule,
} from "./FirehoseOptions.ts"
export * as limits from "./limits.ts"
