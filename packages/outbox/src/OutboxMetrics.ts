/**
 * The relay's Effect metrics, updated from the store's counts every `statsIntervalMs`. Each carries
 * the attribute `destination`. Read them with `Metric.snapshot` or export them with OpenTelemetry.
 */
import * as Metric from "effect/Metric"

/** Pairs not yet delivered nor dead (ready, in flight and retrying). */
export const pending = Metric.gauge("eventport.outbox.pending", {
  description: "Outbox pairs not yet delivered nor dead",
})

/** Pairs under a live lease. */
export const inFlight = Metric.gauge("eventport.outbox.in_flight", {
  description: "Outbox pairs leased to a relay",
})

/** Pairs waiting for a scheduled retry. */
export const retrying = Metric.gauge("eventport.outbox.retrying", {
  description: "Outbox pairs waiting for a scheduled retry",
})

/** Dead letters kept in the store. */
export const dead = Metric.gauge("eventport.outbox.dead", {
  description: "Outbox pairs that failed for good",
})

/** Age of the oldest pending pair, in milliseconds. */
export const oldestPendingAge = Metric.gauge("eventport.outbox.oldest_pending_age_ms", {
  description: "Age of the oldest pending outbox pair in milliseconds",
})
