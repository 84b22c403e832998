/**
 * Pinpoint PutEvents limits. Each names its source in /work/shared/aws-models/FACTS.md (Pinpoint
 * developer guide quotas.md, "Event Ingestion Quotas", and the botocore pinpoint 2016-12-01 model).
 */

/** Events per request, not adjustable. FACTS §4.3. */
export const maxEventsPerRequest = 100

/** Request size: 4 MB. FACTS §4.3. */
export const maxRequestBytes = 4 * 1024 * 1024

/** Largest single event: 1,000 KB (read as 1,000 × 1,024 bytes). FACTS §4.3. */
export const maxEventBytes = 1000 * 1024

/** Attribute plus metric keys per event. FACTS §4.3. */
export const maxAttributeAndMetricKeys = 40

/** Attribute key length in characters. FACTS §4.3. */
export const maxAttributeKeyLength = 50

/** Attribute value length in characters. FACTS §4.3. */
export const maxAttributeValueLength = 200

/**
 * Bytes of the request body outside the BatchItem entries: `{"BatchItem":{}}`. Each entry's own
 * share of its endpoint's EventsBatch framing is counted in the entry (see encode.ts).
 */
export const requestOverheadBytes = Buffer.byteLength('{"BatchItem":{}}', "utf8")

/** `PublicEndpoint.ChannelType` values. FACTS §4.2 (botocore `ChannelType`). */
export const channelTypes: ReadonlySet<string> = new Set([
  "PUSH",
  "GCM",
  "APNS",
  "APNS_SANDBOX",
  "APNS_VOIP",
  "APNS_VOIP_SANDBOX",
  "ADM",
  "SMS",
  "VOICE",
  "EMAIL",
  "BAIDU",
  "CUSTOM",
  "IN_APP",
])
