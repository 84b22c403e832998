/** What a cold-start child of scenario 10 prints. */
export interface ColdStartMeasurement {
  /** Milliseconds from the process's start (`performance.timeOrigin`) to the publisher or client being ready. */
  readonly readyMs: number
  /** Peak resident set size up to that point (`process.resourceUsage().maxRSS`). */
  readonly peakRssBytes: number
  /** The one event sent afterwards, so the run accounts for an event. */
  readonly delivered: number
  readonly rejected: number
  readonly failed: number
}
