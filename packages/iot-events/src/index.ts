export {
  checkInputName,
  type EncodeOptions,
  encode,
  entryBytes,
  messageIdFor,
} from "./encode.ts"
export { iotEvents } from "./IotEventsAdapter.ts"
export {
  classifyEntryError,
  classifyRequestError,
  type ErrorMapping,
  entryErrorCodes,
  requestErrorCodes,
} from "./IotEventsError.ts"
export { defaultMaxRequestBytes, type IotEventsOptions } from "./IotEventsOptions.ts"
export * as limits from "./limits.ts"
