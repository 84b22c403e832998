export { type KinesisRecordEntry, putRecordsEntrySize } from "./encode.ts"
export { kinesis } from "./KinesisAdapter.ts"
export {
  classifyEntryError,
  classifyRequestError,
  type ErrorMapping,
  entryErrorCodes,
  requestErrorCodes,
} from "./KinesisError.ts"
export {
  defaultMaxRecordBytes,
  defaultMaxRequestBytes,
  defaultRecordData,
  type KinesisOptions,
  type RecordData,
} from "./KinesisOptions.ts"
export * as limits from "./limits.ts"
