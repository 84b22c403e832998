/**
 * Pinpoint PutEvents (API 2016-12-01) limits, each with the public source it comes from. "Quotas" is
 * the developer guide's "Event Ingestion Quotas"
 * (https://docs.aws.amazon.com/pinpoint/latest/developerguide/quotas.html; its source at a commit:
 * https://github.com/awsdocs/amazon-pinpoint-developer-guide/blob/504aa628c73ee1171abcec70924bbcdcb3a318d7/doc-source/quotas.md);
 * "model" is botocore's model at a commit:
 * https://github.com/boto/botocore/blob/0e6e2404b85dc336dd2889814e089bde7d1a4c55/botocore/data/pinpoint/2016-12-01/service-2.json
 */

/** Events per request, not adjustable, from the quotas. */
export const maxEventsPerRequest = 100

/** Request size: 4 MB, from the quotas. */
export const maxRequestBytes = 4 * 1024 * 1024

/** Largest single event: 1,000 KB (read as 1,000 × 1,024 bytes), from the quotas. */
export const maxEventBytes = 1000 * 1024

/** Attribute plus metric keys per event, from the quotas. */
export const maxAttributeAndMetricKeys = 40

/** Attribute key length in characters, from the quotas. */
export const maxAttributeKeyLength = 50

/** Attribute value length in characters, from the quotas. */
export const maxAttributeValueLength = 200

/**
 * Bytes of the request body outside the BatchItem entries: `{"BatchItem":{}}`. Each entry's own
 * share of its endpoint's EventsBatch framing is counted in the entry (see encode.ts).
 */
export const requestOverheadBytes = Buffer.byteLength('{"BatchItem":{}}', "utf8")

/** `PublicEndpoint.ChannelType` values, from the model's `ChannelType` enum. */
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
