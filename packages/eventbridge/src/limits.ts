/**
 * EventBridge PutEvents (API 2015-10-07) limits, each with the public source it comes from. "Model"
 * is botocore's service model at a fixed commit:
 * https://github.com/boto/botocore/blob/0e6e2404b85dc336dd2889814e089bde7d1a4c55/botocore/data/events/2015-10-07/service-2.json
 */

/** Entries per request: `PutEventsRequestEntryList` has max 10 in the model. */
export const maxEntriesPerRequest = 10

/**
 * Total entry size per request, by {@link entryBytes}, since the raise of January 2026:
 * "the total entry size must be less than 1MB"
 * (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html ;
 * https://aws.amazon.com/about-aws/whats-new/2026/01/amazon-eventbridge-increases-event-payload-size-256-kb-1-mb/ ;
 * https://aws.amazon.com/blogs/compute/more-room-to-build-serverless-services-now-support-payloads-up-to-1-mb).
 * Whether "1MB" means 1,000,000 or 1,048,576 bytes is not documented: 1,000,000 is the safe reading.
 */
export const maxRequestBytes = 1_000_000

/**
 * The figure before January 2026, 256 KiB: "less than 256KB" in the model text (last changed
 * 2025-07-15) and on the entry-size page
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/calculate-putevents-entry-size.html).
 * For buses, partitions or Regions without the raise.
 */
export const maxRequestBytesBefore2026 = 256 * 1024

/** @deprecated The pre-2026 figure under its old name: {@link maxRequestBytesBefore2026}. */
export const documentedMaxRequestBytes: number = maxRequestBytesBefore2026

/** DetailType: "max 128 characters", documented on the member in the model, not modelled. */
export const maxDetailTypeLength = 128

/**
 * Detail nesting is "processed to at most 1000 levels" (PutEvents doc in the model since 2024-12;
 * it said 1100 from 2023-09).
 */
export const maxDetailDepth = 1000

/** Detail integers must fit in int64 (PutEvents doc in the model): from -(2^63) to 2^63 - 1. */
export const int64Bound = 2 ** 63

/** `EventResource` max 2048 characters (model). */
export const maxResourceLength = 2048

/**
 * `NonPartnerEventBusNameOrArn`: 1–1600 characters and the model's pattern (since 2025-07),
 * anchored here because the model's copy is unanchored and would accept almost anything.
 */
export const eventBusName = {
  min: 1,
  max: 1600,
  pattern: /^(arn:aws[\w-]*:events:[a-z]+-[a-z]+-[\w-]+:[0-9]{12}:event-bus\/)?[.\-_A-Za-z0-9]+$/,
  patternText: "a bus name ([.\\-_A-Za-z0-9]+) or an event-bus ARN",
} as const

/** `TraceHeader`: 1–500 characters, an X-Ray trace header value (model). */
export const traceHeader = { min: 1, max: 500 } as const

/** `EndpointId` (global endpoints): 1–50 characters and the model's anchored pattern. */
export const endpointId = {
  min: 1,
  max: 50,
  pattern: /^[A-Za-z0-9-]+[.][A-Za-z0-9-]+$/,
  patternText: "<name>.<suffix> (letters, digits and -)",
} as const

/**
 * The entry-size algorithm counts a set `Time` as 14 bytes
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/calculate-putevents-entry-size.html).
 */
export const timeEntryBytes = 14
