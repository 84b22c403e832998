/**
 * A recording HTTP receiver for testing webhook-style adapters without writing a server: it listens
 * on 127.0.0.1 on a free port, records every request (method, path, headers, body), and answers as
 * scripted — a status and body, late, or a fault: a dropped connection or no answer at all.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http"
import type { AddressInfo, Socket } from "node:net"

/** One request as the receiver read it. */
export interface RecordedRequest {
  /** 1 for the first request since start or `reset()`, in arrival order. */
  readonly sequence: number
  readonly method: string
  /** The path and query, e.g. `/events?x=1`. */
  readonly path: string
  /** Header names in lower case, as Node reads them. */
  readonly headers: IncomingHttpHeaders
  readonly body: Uint8Array
  /** The body as UTF-8 text. */
  readonly text: string
  /** The body parsed as JSON; throws a `SyntaxError` when it is not JSON. */
  json(): unknown
}

/** What the receiver does with one request. */
export type ReceiverReply =
  | {
      readonly status: number
      /** A JSON body (sent with `content-type: application/json`). */
      readonly json?: unknown
      /** A raw body; ignored when `json` is given. */
      readonly body?: string | Uint8Array
      readonly headers?: Readonly<Record<string, string>>
      /** Answer this many milliseconds late, e.g. past the client's timeout. */
      readonly delayMs?: number
    }
  /** Destroy the connection once the request is read, with no answer (the client sees a network error). */
  | { readonly fault: "drop" }
  /** Never answer: the request stays open until the client gives up or the receiver closes. */
  | { readonly fault: "hang" }

/** Answers a request; may be async. A respond function that throws makes the answer a 500. */
export type ReceiverRespond = (request: RecordedRequest) => ReceiverReply | Promise<ReceiverReply>

export interface RecordingReceiverOptions {
  /** How to answer requests that no scripted reply is queued for. Default: `{ status: 200 }`. */
  readonly respond?: ReceiverRespond
  /** The path the `url` names (any path is still accepted). Default `/`. */
  readonly path?: string
}

export interface RecordingReceiver {
  /** `http://127.0.0.1:<port><path>`. */
  readonly url: string
  /** Every request since start or `reset()`, faulted ones included, in arrival order. */
  readonly requests: ReadonlyArray<RecordedRequest>
  /** Answer the next requests with these replies, one each, before `respond` is used again. */
  replyNext(...replies: ReadonlyArray<ReceiverReply>): void
  /** Drops the replies queued by `replyNext` that no request has used yet. */
  clearReplies(): void
  /** Replaces how unscripted requests are answered. */
  respondWith(respond: ReceiverRespond): void
  /** Forgets the requests and the queued replies (`respond` stays). */
  reset(): void
  /** Stops listening and ends every open connection, hanging requests included. Closing twice is fine. */
  close(): Promise<void>
}

const defaultRespond: ReceiverRespond = () => ({ status: 200 })

const readBody = async (request: AsyncIterable<unknown>): Promise<Uint8Array> => {
  const chunks: Array<Buffer> = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

const send = (response: ServerResponse, reply: Extract<ReceiverReply, { status: number }>): void => {
  const json = reply.json !== undefined
  const body = json ? JSON.stringify(reply.json) : (reply.body ?? "")
  response.writeHead(reply.status, {
    ...(json ? { "content-type": "application/json" } : {}),
    ...reply.headers,
  })
  response.end(body)
}

/** Starts a receiver on 127.0.0.1, on a port the system picks. */
export const startRecordingReceiver = async (
  options: RecordingReceiverOptions = {},
): Promise<RecordingReceiver> => {
  const requests: Array<RecordedRequest> = []
  const queued: Array<ReceiverReply> = []
  const sockets = new Set<Socket>()
  const timers = new Set<ReturnType<typeof setTimeout>>()
  let respond = options.respond ?? defaultRespond
  let sequence = 0

  const server = createServer(async (request, response) => {
    const body = await readBody(request)
    const text = Buffer.from(body).toString("utf8")
    const recorded: RecordedRequest = {
      sequence: ++sequence,
      method: request.method ?? "",
      path: request.url ?? "/",
      headers: request.headers,
      body,
      text,
      json: () => JSON.parse(text),
    }
    requests.push(recorded)
    let reply: ReceiverReply
    try {
      reply = queued.shift() ?? (await respond(recorded))
    } catch (error) {
      reply = {
        status: 500,
        json: { message: `the receiver's respond function threw: ${(error as Error)?.name ?? "an error"}` },
      }
    }
    if ("fault" in reply) {
      if (reply.fault === "drop") request.socket.destroy()
      return // "hang": answered by close(), which ends the connection
    }
    if (reply.delayMs === undefined || reply.delayMs <= 0) return send(response, reply)
    const timer = setTimeout(() => {
      timers.delete(timer)
      if (!response.destroyed) send(response, reply)
    }, reply.delayMs)
    timers.add(timer)
  })
  server.on("connection", (socket) => {
    sockets.add(socket)
    socket.on("close", () => sockets.delete(socket))
  })
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  const path = options.path ?? "/"

  return {
    url: `http://127.0.0.1:${port}${path.startsWith("/") ? path : `/${path}`}`,
    requests,
    replyNext: (...replies) => {
      queued.push(...replies)
    },
    clearReplies: () => {
      queued.length = 0
    },
    respondWith: (next) => {
      respond = next
    },
    reset: () => {
      requests.length = 0
      queued.length = 0
      sequence = 0
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        if (!server.listening) return resolve()
        for (const timer of timers) clearTimeout(timer)
        timers.clear()
        for (const socket of sockets) socket.destroy()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}
