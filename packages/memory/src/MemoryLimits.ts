/**
 * The limits a memory destination enforces, and presets that mirror each AWS destination so a unit
 * test packs requests the way production will. Sizes follow each destination's own size rule.
 */
import { type AdapterLimits, type Event, utf8Length } from "@eventport/core"
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
    : utf8Length(JSON.stringify(event.data))

/**
 * EventBridge's PutEvents entry size (FACTS.md §1.3, "Entry-size algorithm", from the EventBridge
 * user guide page calculate-putevents-entry-size): 14 bytes for Time, plus the UTF-8 bytes of Source,
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

/** Presets matching each AWS adapter. Every figure names its source in FACTS.md. */
export const memoryLimits = {
  default: defaultMemoryLimits,
  /**
   * EventBridge PutEvents: at most 10 entries (FACTS.md §1.2, botocore PutEventsRequestEntryList max 10);
   * the total entry size must be under 256 KB (§1.3, PutEvents op doc and the entry-size page), so one
   * entry can be at most that too; sizes by the EventBridge entry-size rule.
   */
  eventBridge: {
    maxEntries: 10,
    maxRequestBytes: 256 * KiB,
    maxEntryBytes: 256 * KiB,
    entryBytes: eventBridgeEntryBytes,
  } satisfies MemoryLimits as MemoryLimits,
  /**
   * IoT Events Data BatchPutMessage: at most 10 messages (FACTS.md §2.3, API reference "The following
   * limits apply"). The 1 KiB payload figure there is unverified, so the memory byte defaults apply.
   */
  iotEvents: {
    maxEntries: 10,
    maxRequestBytes: defaultMemoryLimits.maxRequestBytes,
    maxEntryBytes: defaultMemoryLimits.maxEntryBytes,
  } satisfies MemoryLimits as MemoryLimits,
  /**
   * IoT Analytics BatchPutMessage: at most 100 messages (FACTS.md §3.3, the IoT rule action's batchMode
   * limit). The per-message size is unverified, so the memory byte defaults apply.
   */
  iotAnalytics: {
    maxEntries: 100,
    maxRequestBytes: defaultMemoryLimits.maxRequestBytes,
    maxEntryBytes: defaultMemoryLimits.maxEntryBytes,
  } satisfies MemoryLimits as MemoryLimits,
  /**
   * Pinpoint PutEvents: 100 events per request, 4 MB per request, 1,000 KB per event (FACTS.md §4.3,
   * amazon-pinpoint-developer-guide quotas.md "Event Ingestion Quotas").
   */
  pinpoint: {
    maxEntries: 100,
    maxRequestBytes: 4 * MiB,
    maxEntryBytes: 1000 * KiB,
  } satisfies MemoryLimits as MemoryLimits,
} as const
