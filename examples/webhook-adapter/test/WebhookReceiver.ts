/**
 * A tiny webhook receiver on 127.0.0.1 for the example's tests: it accepts CloudEvent batches,
 * enforces its limits, stores what it accepts, and fails entries or requests on cue.
 */
import { createServer, type IncomingMessage } from "node:http"
import type { AddressInfo } from "node:net"

export interface ReceivedEvent {
  readonly id: string
  readonly request: number
  readonly cloudEvent: Readonly<Record<string, unknown>>
}

export interface WebhookReceiver {
  readonly url: string
  readonly received: Array<ReceivedEvent>
  /** Every request: entries carried and body size. */
  readonly requests: Array<{ readonly entries: number; readonly bytes: number; readonly status: number }>
  /** Fail the entries of these event ids with an HTTP-like status, `times` times each (default always). */
  failEntries(ids: Iterable<string>, status: number, times?: number): void
  /** Answer the next `n` requests with this status. */
  failNextRequests(n: number, status: number): void
  clearFaults(): void
  reset(): void
  close(): Promise<void>
}

const readBody = async (request: IncomingMessage): Promise<Buffer> => {
  const chunks: Array<Buffer> = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

export const startWebhookReceiver = async (limits: {
  readonly maxEntries: number
  readonly maxRequestBytes: number
}): Promise<WebhookReceiver> => {
  const received: Array<ReceivedEvent> = []
  const requests: Array<{ entries: number; bytes: number; status: number }> = []
  const entryFaults = new Map<string, { status: number; remaining: number }>()
  const requestFaults: Array<number> = []
  let sequence = 0

  const server = createServer(async (request, response) => {
    const body = await readBody(request)
    const reply = (status: number, payload: unknown, entries = 0) => {
      requests.push({ entries, bytes: body.length, status })
      response.writeHead(status, { "content-type": "application/json" })
      response.end(JSON.stringify(payload))
    }
    if (
      request.method !== "POST" ||
      !request.headers["content-type"]?.startsWith("application/cloudevents-batch+json")
    )
      return reply(415, { message: "expected a POST of application/cloudevents-batch+json" })
    let batch: unknown
    try {
      batch = JSON.parse(body.toString("utf8"))
    } catch {
      return reply(400, { message: "body is not JSON" })
    }
    if (!Array.isArray(batch)) return reply(400, { message: "body is not a JSON array" })
    const fault = requestFaults.shift()
    if (fault !== undefined) return reply(fault, { message: `injected HTTP ${fault}` }, batch.length)
    if (batch.length > limits.maxEntries || body.length > limits.maxRequestBytes)
      return reply(413, { message: "batch too large" }, batch.length)
    const request_ = ++sequence
    const results = batch.map((cloudEvent: Record<string, unknown>) => {
      const id = String(cloudEvent.id)
      const f = entryFaults.get(id)
      if (f !== undefined && f.remaining > 0) {
        f.remaining--
        return { id, status: f.status, message: `injected ${f.status}` }
      }
      received.push({ id, request: request_, cloudEvent })
      return { id, status: 202 }
    })
    return reply(200, { results }, batch.length)
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}/events`,
    received,
    requests,
    failEntries: (ids, status, times = Number.POSITIVE_INFINITY) => {
      for (const id of ids) entryFaults.set(id, { status, remaining: times })
    },
    failNextRequests: (n, status) => {
      for (let i = 0; i < n; i++) requestFaults.push(status)
    },
    clearFaults: () => {
      entryFaults.clear()
      requestFaults.length = 0
    },
    reset: () => {
      received.length = 0
      requests.length = 0
      entryFaults.clear()
      requestFaults.length = 0
      sequence = 0
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}
