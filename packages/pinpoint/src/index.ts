export {
  checkEndpoint,
  checkSession,
  type EncodeSettings,
  encode,
  entryBytes,
  type PinpointEntry,
} from "./encode.ts"
export * as limits from "./limits.ts"
export { groupByEndpoint, pinpoint } from "./PinpointAdapter.ts"
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
