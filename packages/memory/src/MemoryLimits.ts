/**
 * The limits a memory destination enforces, and presets that mirror each AWS destination so a unit
 * test packs requests the way production will. Sizes follow each destination's own size rule.
 */
import { type AdapterLimits, type Event, jsonUtf8Length, utf8Length } from "@eventport/core"
import { cloudEventJsonSize } from "./internal/CloudEventSize.ts"

/** Limits plus the rule that measures one entry. */
export interface MemoryLimits extends AdapterLimits {
  /** Size of one entry by the destination's rule. Default: {@link cloudEventJsonBytes}. */
  readonly entryBytes?: (event: Event) => number
}

/**
 * UTF-8 length of the event in CloudEvents structured JSON (`JSON.stringify(toCloudEvent(event))`):
 * the size of the event as JSON. Computed without building the CloudEvent; only `data` is stringified.
 */
export const cloudEventJsonBytes = (event: Event): number => cloudEventJsonSize(event)

const dataJsonBytes = (event: Event): number =>
  event.data instanceof Uint8Array
    ? Math.ceil(event.data.byteLength / 3) * 4 // base64, as a binary payload travels in JSON
    : // A valid event's data is JSON, never undefined; measured without building its text.
      (jsonUtf8Length(event.data) ?? 0)

/**
 * EventBridge's PutEvents entry size (https://docs.aws.amazon.com/eventbridge/latest/userguide/calculate-putevents-entry-size.html): 14 bytes for Time, plus the UTF-8 bytes of Source,
 * DetailType and Detail — measured as if Source = `source`, DetailType = `type`, Detail = the data's JSON.
 */
export const eventBridgeEntryBytes = (event: Event): number =>
  14 + utf8Length(event.source) + utf8Length(event.type) + dataJsonBytes(event)

const KiB = 1024
const MiB = 1024 * KiB

/** Sensible limits for a generic destination. */
export const defaultMemoryLimits: MemoryLimits = {
  maxEntries: 500,
  maxRequestBytes: 1 * MiB,
  maxEntryBytes: 256 * KiB,
}

/** Presets matching each AWS adapter. Every figure names its public source. */
export const memoryLimits = {
  default: defaultMemoryLimits,
  /**
   * EventBridge PutEvents, as the EventBridge adapter sends by default: at most 10 entries (botocore
   * model `PutEventsRequestEntryList` max 10,
   * https://github.com/boto/botocore/blob/0e6e2404b85dc336dd2889814e089bde7d1a4c55/botocore/data/events/2015-10-07/service-2.json);
   * the total entry size "must be less than 1MB" since AWS's raise of January 2026 (the PutEvents API
   * reference, https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html), read
   * as 1,000,000 bytes, the safe reading, so one entry can be at most that too; sizes by the
   * EventBridge entry-size rule
   * (https://docs.aws.amazon.com/eventbridge/latest/userguide/calculate-putevents-entry-size.html).
   * For a bus still on the old limit: {@link memoryLimits.eventBridgeBefore2026}.
   */
  eventBridge: {
    maxEntries: 10,
    maxRequestBytes: 1_000_000,
    maxEntryBytes: 1_000_000,
    entryBytes: eventBridgeEntryBytes,
  } satisfies MemoryLimits as MemoryLimits,
  /**
   * EventBridge PutEvents before January 2026 (the EventBridge adapter's
   * `maxRequestBytes: limits.maxRequestBytesBefore2026`): as {@link memoryLimits.eventBridge}, with
   * 256 KiB per request and per entry ("less than 256KB" in the model text and on the entry-size
   * page, https://docs.aws.amazon.com/eventbridge/latest/userguide/calculate-putevents-entry-size.html).
   */
  eventBridgeBefore2026: {
    maxEntries: 10,
    maxRequestBytes: 256 * KiB,
    maxEntryBytes: 256 * KiB,
    entryBytes: eventBridgeEntryBytes,
  } satisfies MemoryLimits as MemoryLimits,
  /**
   * IoT Events Data BatchPutMessage: at most 10 messages (the API reference's "The following limits
   * apply", https://docs.aws.amazon.com/iotevents/latest/apireference/API_iotevents-data_BatchPutMessage.html). The 1 KiB payload figure there is unverified, so the memory byte defaults apply.
   */
  iotEvents: {
    maxEntries: 10,
    maxRequestBytes: defaultMemoryLimits.maxRequestBytes,
    maxEntryBytes: defaultMemoryLimits.maxEntryBytes,
  } satisfies MemoryLimits as MemoryLimits,
  /**
   * IoT Analytics BatchPutMessage: at most 100 messages (the IoT rule action's batchMode limit,
   * https://docs.aws.amazon.com/iot/latest/developerguide/iotanalytics-rule-action.html). The per-message size is unverified, so the memory byte defaults apply.
   */
  iotAnalytics: {
    maxEntries: 100,
    maxRequestBytes: defaultMemoryLimits.maxRequestBytes,
    maxEntryBytes: defaultMemoryLimits.maxEntryBytes,
  } satisfies MemoryLimits as MemoryLimits,
  /**
   * Pinpoint PutEvents: 100 events per request, 4 MB per request, 1,000 KB per event (the developer
   * guide's "Event Ingestion Quotas", https://docs.aws.amazon.com/pinpoint/latest/developerguide/quotas.html).
   */
  pinpoint: {
    maxEntries: 100,
    maxRequestBytes: 4 * MiB,
    maxEntryBytes: 1000 * KiB,
  } satisfies MemoryLimits as MemoryLimits,
} as const
