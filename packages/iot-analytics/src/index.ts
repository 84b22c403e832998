export {
  checkChannelName,
  checkFieldNames,
  type EncodeOptions,
  type EncodeSettings,
  encode,
  entryBytes,
  type IotAnalyticsEntry,
  messageIdFor,
} from "./encode.ts"
export { iotAnalytics } from "./IotAnalyticsAdapter.ts"
export {
  classifyEntryError,
  classifyRequestError,
  type ErrorMapping,
  entryErrorCodes,
  requestErrorCodes,
} from "./IotAnalyticsError.ts"
export {
  defaultFieldNameRule,
  defaultMaxEntryBytes,
  defaultMaxMessageBytes,
  type FieldNameRule,
  fieldNameRules,
  type IotAnalyticsOptions,
} from "./IotAnalyticsOptions.ts"
export * as limits from "./limits.ts"
