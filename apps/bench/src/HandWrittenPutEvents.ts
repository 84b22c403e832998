/**
 * The baseline Eventport is compared with: what a careful engineer writes by hand with the AWS SDK.
 * Chunks of 10 entries (the PutEvents maximum), a fixed number of requests in flight, SDK retries
 * off (`maxAttempts: 1`, as the adapter has them), and `FailedEntryCount` checked, because a 200
 * response may still carry failed entries.
 */
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from "@aws-sdk/client-eventbridge"
import type { EventInput } from "@eventport/core"

/** The PutEvents maximum of entries per request (botocore's events model, `PutEventsRequestEntryList`). */
export const putEventsMaxEntries = 10

export interface HandWrittenTarget {
  readonly endpoint: string
  readonly region: string
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string }
}

/**
 * The hand-written loop's client: as a user makes it by default, or with `adapterSettings` as
 * Eventport's adapters make theirs. Those are the SDK's `cacheMiddleware: true` (default off: the
 * SDK rebuilds a command's middleware stack on every send) and, with no logger configured, the
 * SDK's logger middleware left out (it only feeds the default no-op logger). Scenario 2 measures
 * the loop both ways.
 */
export const handWrittenClient = (
  target: HandWrittenTarget,
  settings: { readonly adapterSettings?: boolean } = {},
): EventBridgeClient => {
  const client = new EventBridgeClient({
    endpoint: target.endpoint,
    region: target.region,
    credentials: { ...target.credentials },
    maxAttempts: 1,
    ...(settings.adapterSettings === true ? { cacheMiddleware: true } : {}),
  })
  if (settings.adapterSettings === true) client.middlewareStack.remove("loggerMiddleware")
  return client
}

export interface HandWrittenResult {
  readonly requests: number
  readonly delivered: number
  /** Entries the response marked failed, plus entries of requests that failed as a whole. */
  readonly failed: number
}

/** One event as a hand-written PutEvents entry: the same fields the adapter fills by default. */
export const handWrittenEntry = (event: EventInput, eventBusName: string): PutEventsRequestEntry => ({
  EventBusName: eventBusName,
  Source: event.source,
  DetailType: event.type,
  Detail: JSON.stringify(event.data),
  Time: event.time === undefined ? new Date() : new Date(event.time),
})

/** Sends `events` in chunks of 10 with `concurrency` requests in flight; no retries. */
export const putEventsByHand = async (
  client: EventBridgeClient,
  events: ReadonlyArray<EventInput>,
  options: { readonly eventBusName: string; readonly concurrency: number },
): Promise<HandWrittenResult> => {
  let next = 0
  let requests = 0
  let delivered = 0
  let failed = 0
  const worker = async () => {
    while (next < events.length) {
      const start = next
      next = Math.min(events.length, start + putEventsMaxEntries)
      const entries: PutEventsRequestEntry[] = []
      for (let i = start; i < next; i++) entries.push(handWrittenEntry(events[i]!, options.eventBusName))
      requests++
      try {
        const out = await client.send(new PutEventsCommand({ Entries: entries }))
        const failedHere = out.FailedEntryCount ?? 0
        failed += failedHere
        delivered += entries.length - failedHere
      } catch {
        failed += entries.length
      }
    }
  }
  await Promise.all(Array.from({ length: options.concurrency }, worker))
  return { requests, delivered, failed }
}

/**
 * Sends `events` in chunks of 10 with `concurrency` requests in flight and sends again what failed
 * (a chunk whose request failed, or its failed entries) until all are delivered or `maxRounds` sends
 * of one chunk were made. Retries inside each send are the client's own (e.g. `retryMode: "adaptive"`).
 */
export const putEventsUntilDelivered = async (
  client: EventBridgeClient,
  events: ReadonlyArray<EventInput>,
  options: { readonly eventBusName: string; readonly concurrency: number; readonly maxRounds: number },
): Promise<HandWrittenResult> => {
  let next = 0
  let requests = 0
  let delivered = 0
  let failed = 0
  const worker = async () => {
    while (next < events.length) {
      const start = next
      next = Math.min(events.length, start + putEventsMaxEntries)
      let entries: PutEventsRequestEntry[] = []
      for (let i = start; i < next; i++) entries.push(handWrittenEntry(events[i]!, options.eventBusName))
      for (let round = 0; round < options.maxRounds && entries.length > 0; round++) {
        requests++
        try {
          const out = await client.send(new PutEventsCommand({ Entries: entries }))
          const results = out.Entries ?? []
          const again = entries.filter((_, i) => results[i]?.ErrorCode !== undefined)
          delivered += entries.length - again.length
          entries = again
        } catch {
          // The whole request failed (after the client's own retries): send the chunk again.
        }
      }
      failed += entries.length
    }
  }
  await Promise.all(Array.from({ length: options.concurrency }, worker))
  return { requests, delivered, failed }
}
