export { eventBridge } from "./EventBridgeAdapter.ts"
export {
  classifyEntryError,
  classifyRequestError,
  type ErrorMapping,
  entryErrorCodes,
  requestErrorCodes,
} from "./EventBridgeError.ts"
export {
  defaultMaxRequestBytes,
  defaultWrapNonObjectData,
  type EventBridgeOptions,
  type JsonObject,
} from "./EventBridgeOptions.ts"
export {
  checkEventBusName,
  checkResources,
  checkTraceHeader,
  type EncodeOptions,
  encode,
  entryBytes,
  putEventsEntrySize,
} from "./encode.ts"
export * as limits from "./limits.ts"
