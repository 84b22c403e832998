/**
 * The publisher's Effect metrics. Every metric carries the attributes `destination` (its name in
 * `destinations`) and `kind` (the adapter's kind). Read them with Effect's `Metric.snapshot` or
 * export them with an OpenTelemetry layer.
 */
import * as Metric from "effect/Metric"

/** (event, destination) pairs the destination accepted. */
export const delivered = Metric.counter("eventport.delivered", {
  description: "Events the destination accepted",
  incremental: true,
})

/** Pairs rejected before any request (invalid event, or invalid for the destination). */
export const rejected = Metric.counter("eventport.rejected", {
  description: "Events rejected before any request",
  incremental: true,
})

/** Pairs that ended `Failed` (destination refusal, retries exhausted, timeout, overflow, close). */
export const failed = Metric.counter("eventport.failed", {
  description: "Events that ended Failed",
  incremental: true,
})

/** Entries resent after a retryable failure (one per entry per retry). */
export const retried = Metric.counter("eventport.retried", {
  description: "Entries resent after a retryable failure",
  incremental: true,
})

/** Latency of each request (one adapter `send`), retries counted separately. */
export const requestDuration = Metric.timer("eventport.request.duration", {
  description: "Latency of one request to a destination",
})

/** Span wrapped around each request, with attributes destination, kind, entries, attempt. */
export const sendSpanName = "eventport.send"
