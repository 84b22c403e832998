export {
  defaultSeed,
  type Emulator,
  type EmulatorLimits,
  type EmulatorOptions,
  startEmulator,
} from "./Emulator.ts"
export {
  type CustomRequestError,
  type EntryFault,
  type EntryMatcher,
  type EntryView,
  type Fault,
  Faults,
  type RequestError,
  type RequestErrorKind,
  validateFault,
} from "./Faults.ts"
export { md5OfMessageAttributes } from "./internal/messageAttributes.ts"
export { Quotas, type RequestQuota, type RequestQuotas, validateQuotas } from "./Quotas.ts"
export { type RequestCounts, RequestLog, type RequestRecord } from "./RequestLog.ts"
export {
  type ServiceError,
  type ServiceName,
  type ServiceTraits,
  serviceNames,
  serviceTraits,
} from "./Service.ts"
export { defaultCredentials, type EmulatorCredentials } from "./SigV4.ts"
export {
  type AcceptedEntry,
  type EntryTypes,
  type EventBridgeEntry,
  type FirehoseRecord,
  type IotAnalyticsMessage,
  type IotEventsMessage,
  type KinesisRecord,
  type PinpointEvent,
  ServiceStore,
  type SnsMessage,
  type SqsMessage,
  Store,
  type StoredMessageAttribute,
  type StoreMode,
} from "./Store.ts"
export { putEventsEntrySize } from "./services/EventBridge.ts"
export { kinesisHashKey, kinesisShardId, kinesisShardIndex } from "./services/Kinesis.ts"
export { maxSnsBatchEntries, maxSnsMessageBytes } from "./services/Sns.ts"
export { maxSqsBatchEntries, maxSqsMessageBytes } from "./services/Sqs.ts"
