export {
  checkChannelName,
  checkFieldNames,
  type EncodeSettings,
  encode,
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
  defaultMaxMessageBytes,
  type FieldNameRule,
  type IotAnalyticsOptions,
} from "./IotAnalyticsOptions.ts"
export * as limits from "./limits.ts"
