/**
 * EventBridge PutEvents (API 2015-10-07) limits. Each figure names its source: the botocore model
 * `botocore/data/events/2015-10-07/service-2.json` and the EventBridge user guide, as collected in the
 * project's aws-models/FACTS.md (section numbers below).
 */

/** Entries per request: `PutEventsRequestEntryList` max 10 in the model (FACTS §1.2, §1.3). */
export const maxEntriesPerRequest = 10

/**
 * Total entry size per request, by {@link putEventsEntrySize} (FACTS §1.3). The op doc and the
 * entry-size page say "less than 256KB" while the service's error says "over the limit"; we allow
 * exactly 256 KiB, as the Eventport emulator does. AWS announced 1 MB payloads in 2026 (unverified
 * for PutEvents), hence the `maxRequestBytes` option.
 */
export const documentedMaxRequestBytes = 256 * 1024

/** DetailType: "max 128 characters", documented on the member, not modelled (FACTS §1.2). */
export const maxDetailTypeLength = 128

/** Detail nesting is "processed to at most 1000 levels" (FACTS §1.2; the text said 1100 in 2023-24). */
export const maxDetailDepth = 1000

/** Detail integers must fit in int64 (FACTS §1.2): from -(2^63) to 2^63 - 1. */
export const int64Bound = 2 ** 63

/** `EventResource` max 2048 characters (FACTS §1.2). */
export const maxResourceLength = 2048

/**
 * `NonPartnerEventBusNameOrArn`: 1–1600 characters and the botocore 2025-07 pattern, anchored here
 * because botocore's copy is unanchored and would accept almost anything (FACTS §1.2).
 */
export const eventBusName = {
  min: 1,
  max: 1600,
  pattern: /^(arn:aws[\w-]*:events:[a-z]+-[a-z]+-[\w-]+:[0-9]{12}:event-bus\/)?[.\-_A-Za-z0-9]+$/,
} as const

/** `TraceHeader`: 1–500 characters, an X-Ray trace header value (FACTS §1.2). */
export const traceHeader = { min: 1, max: 500 } as const

/** `EndpointId` (global endpoints): 1–50 characters and the model's anchored pattern (FACTS §1.2). */
export const endpointId = { min: 1, max: 50, pattern: /^[A-Za-z0-9-]+[.][A-Za-z0-9-]+$/ } as const

/** The entry-size algorithm counts a set `Time` as 14 bytes (FACTS §1.3). */
export const timeEntryBytes = 14
