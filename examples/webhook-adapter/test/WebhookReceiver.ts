/**
 * The webhook's receiving side for the example's tests, on the testkit's recording receiver: it
 * accepts CloudEvent batches within its limits, keeps what it accepts, and fails entries or whole
 * requests on cue. Only the webhook protocol is written here; listening, recording and scripted
 * answers come from `startRecordingReceiver`.
 */
// --- receiver
import { type RecordedRequest, type RecordingReceiver, startRecordingReceiver } from "@eventport/testkit"

export interface ReceivedEvent {
  readonly id: string
  /** Which request carried it (the recording receiver's sequence number). */
  readonly request: number
  readonly cloudEvent: Readonly<Record<string, unknown>>
}

export interface WebhookReceiver {
  readonly url: string
  readonly received: Array<ReceivedEvent>
  /** Every request: the events it carried. */
  readonly requests: ReadonlyArray<{ readonly entries: number }>
  /** Fail the entries of these event ids with an HTTP-like status, `times` times each (default always). */
  failEntries(ids: Iterable<string>, status: number, times?: number): void
  /** Answer the next `n` requests with this status. */
  failNextRequests(n: number, status: number): void
  clearFaults(): void
  reset(): void
  close(): Promise<void>
}

const eventsIn = (request: RecordedRequest): Array<Record<string, unknown>> | undefined => {
  try {
    const batch = request.json()
    return Array.isArray(batch) ? batch : undefined
  } catch {
    return undefined
  }
}

export const startWebhookReceiver = async (limits: {
  readonly maxEntries: number
  readonly maxRequestBytes: number
}): Promise<WebhookReceiver> => {
  const received: Array<ReceivedEvent> = []
  const entryFaults = new Map<string, { status: number; remaining: number }>()
  const receiver: RecordingReceiver = await startRecordingReceiver({
    path: "/events",
    respond: (request) => {
      if (!String(request.headers["content-type"]).startsWith("application/cloudevents-batch+json"))
        return { status: 415, json: { message: "expected application/cloudevents-batch+json" } }
      const batch = eventsIn(request)
      if (batch === undefined) return { status: 400, json: { message: "body is not a JSON array" } }
      if (batch.length > limits.maxEntries || request.body.length > limits.maxRequestBytes)
        return { status: 413, json: { message: "batch too large" } }
      const results = batch.map((cloudEvent) => {
        const id = String(cloudEvent.id)
        const fault = entryFaults.get(id)
        if (fault !== undefined && fault.remaining > 0) {
          fault.remaining--
          return { id, status: fault.status, message: `injected ${fault.status}` }
        }
        received.push({ id, request: request.sequence, cloudEvent })
        return { id, status: 202 }
      })
      return { status: 200, json: { results } }
    },
  })
  return {
    url: receiver.url,
    received,
    get requests() {
      return receiver.requests.map((request) => ({ entries: eventsIn(request)?.length ?? 0 }))
    },
    failEntries: (ids, status, times = Number.POSITIVE_INFINITY) => {
      for (const id of ids) entryFaults.set(id, { status, remaining: times })
    },
    failNextRequests: (n, status) =>
      receiver.replyNext(
        ...Array.from({ length: n }, () => ({ status, json: { message: `injected ${status}` } })),
      ),
    clearFaults: () => {
      entryFaults.clear()
      receiver.clearReplies()
    },
    reset: () => {
      received.length = 0
      entryFaults.clear()
      receiver.reset()
    },
    close: () => receiver.close(),
  }
}
// --- end receiver
