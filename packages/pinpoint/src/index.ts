export {
  checkEndpoint,
  checkSession,
  type EncodeOptions,
  type EncodeSettings,
  encode,
  entryBytes,
  type PinpointEntry,
} from "./encode.ts"
/** The PutEvents request body of a batch (exported since 0.x; built by the adapter's `send`). */
export { groupByEndpoint } from "./internal/PutEventsRequest.ts"
export * as limits from "./limits.ts"
export { pinpoint } from "./PinpointAdapter.ts"
export {
  acceptedStatusCode,
  classifyEntryError,
  classifyRequestError,
  type ErrorMapping,
  eventStatusCodes,
  missingResultError,
  requestErrorCodes,
} from "./PinpointError.ts"
export type { PinpointOptions, PinpointSession } from "./PinpointOptions.ts"
