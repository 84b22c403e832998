export {
  checkExplicitHashKey,
  checkPartitionKey,
  checkStreamArn,
  checkStreamName,
  type EncodeOptions,
  encode,
  entryBytes,
  type KinesisRecordEntry,
} from "./encode.ts"
export { kinesis } from "./KinesisAdapter.ts"
export {
  classifyEntryError,
  classifyRequestError,
  type ErrorMapping,
  entryErrorCodes,
  requestErrorCodes,
} from "./KinesisError.ts"
export {
  defaultMaxEntryBytes,
  defaultMaxRequestBytes,
  defaultRecordData,
  type KinesisOptions,
  type RecordData,
} from "./KinesisOptions.ts"
export * as limits from "./limits.ts"
