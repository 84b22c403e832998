import { randomUUID } from "node:crypto"
import { createServer as createHttp1Server, type IncomingMessage, type ServerResponse } from "node:http"
import { createServer as createHttp2Server, type Http2ServerRequest } from "node:http2"
import { type AddressInfo, createServer as createTcpServer, type Socket } from "node:net"
import { performance } from "node:perf_hooks"
import { setTimeout as sleep } from "node:timers/promises"
import { type Fault, Faults, resolveRequestError } from "./Faults.ts"
import { handleAdminRequest } from "./internal/adminRoutes.ts"
import { FifoLedger } from "./internal/FifoLedger.ts"
import { hostNameOf, hostRefusal, requestHostOf } from "./internal/requestOrigin.ts"
import type { EntryFailure, ServiceHandler, ServiceLimits } from "./internal/ServiceHandler.ts"
import { sendError, sendReply } from "./internal/wire.ts"
import { Quotas, type RequestQuotas } from "./Quotas.ts"
import { RequestLog, type RequestRecord } from "./RequestLog.ts"
import {
  type Protocol,
  type ServiceError,
  type ServiceName,
  serviceBySigningName,
  serviceTraits,
} from "./Service.ts"
import { defaultCredentials, type EmulatorCredentials, SignatureVerifier } from "./SigV4.ts"
import { type AcceptedEntry, Store, type StoreMode } from "./Store.ts"
import {
  defaultMaxRequestBytes as eventBridgeDefaultMaxRequestBytes,
  eventBridgeHandler,
} from "./services/EventBridge.ts"
import { firehoseHandler } from "./services/Firehose.ts"
import { iotAnalyticsHandler } from "./services/IotAnalytics.ts"
import { iotEventsHandler } from "./services/IotEvents.ts"
import { defaultKinesisShardCount, kinesisHandler } from "./services/Kinesis.ts"
import { pinpointHandler } from "./services/Pinpoint.ts"
import { snsHandler } from "./services/Sns.ts"
import { sqsHandler } from "./services/Sqs.ts"

export interface EmulatorLimits {
  /**
   * EventBridge total entry size per request, by AWS's size algorithm. 1,000,000 bytes by default,
   * the safe reading of the "1MB" of 2026; 262144 for the 256 KiB figure before.
   */
  readonly eventBridgeMaxRequestBytes?: number
  /** IoT Events payload bytes per batch; the documented 1 KiB is unverified, so off unless set. */
  readonly iotEventsMaxBatchPayloadBytes?: number
  /**
   * Kinesis record size (data + partition key). 1 MiB by default; a stream's `MaxRecordSizeInKiB`
   * can raise it to 10 MiB.
   */
  readonly kinesisMaxRecordBytes?: number
  /**
   * Kinesis request size (data + partition keys). 5 MiB by default; the current model text says
   * 10 MiB, unverified for every stream.
   */
  readonly kinesisMaxRequestBytes?: number
  /**
   * Firehose request size, counted on the data before base64. 4 MiB by default ("4 MB"; whether
   * before or after base64 is unverified).
   */
  readonly firehoseMaxRequestBytes?: number
}

export interface EmulatorOptions {
  /** 0 (the default) picks a free port. */
  readonly port?: number
  /** 127.0.0.1 by default. */
  readonly host?: string
  /** Accepted credentials; `defaultCredentials` when absent. */
  readonly credentials?: EmulatorCredentials | readonly EmulatorCredentials[]
  readonly faults?: readonly Fault[]
  /** Seed of the PRNG behind every random fault decision. */
  readonly seed?: number
  /** `true`/`"full"` keeps entries, `"count"` only counts them, `false`/`"off"` keeps nothing. */
  readonly store?: boolean | StoreMode
  /** How many recent requests the request log keeps (ring buffer); 1000 by default, 0 for none. */
  readonly requestLogLimit?: number
  readonly limits?: EmulatorLimits
  /** Allowed difference between x-amz-date and the emulator's clock; 15 minutes, as AWS. */
  readonly maxClockSkewMs?: number
  /** Shards of every emulated Kinesis stream (equal hash key ranges); 4 by default. */
  readonly kinesisShardCount?: number
  /**
   * Host names accepted besides loopback ones (`localhost`, `*.localhost`, 127.0.0.0/8, `::1`),
   * e.g. an /etc/hosts alias of 127.0.0.1. Any other `Host` is refused with 403 (DNS rebinding).
   */
  readonly allowedHosts?: readonly string[]
  /**
   * Request-rate quotas by service (token buckets), e.g. `{ eventbridge: { rate: 100, burst: 20 } }`:
   * a request beyond its quota gets the service's throttling error. None by default.
   */
  readonly quotas?: RequestQuotas
  /** The emulator's clock in milliseconds, read by the quotas; `performance.now` by default. */
  readonly clock?: () => number
  /**
   * SQS FIFO queue names and SNS FIFO topic names (e.g. `orders.fifo`) configured for content-based
   * de-duplication: entries without a MessageDeduplicationId are de-duplicated by the SHA-256 of the
   * body. Others require the id.
   */
  readonly contentBasedDeduplication?: readonly string[]
}

/** Each options type's names, held to it by the compiler: `startEmulator` refuses any other. */
type Names<T> = { readonly [K in keyof T]-?: true }
const emulatorOptionNames = {
  port: true,
  host: true,
  credentials: true,
  faults: true,
  seed: true,
  store: true,
  requestLogLimit: true,
  limits: true,
  maxClockSkewMs: true,
  kinesisShardCount: true,
  allowedHosts: true,
  quotas: true,
  clock: true,
  contentBasedDeduplication: true,
} as const satisfies Names<EmulatorOptions>
const emulatorLimitNames = {
  eventBridgeMaxRequestBytes: true,
  iotEventsMaxBatchPayloadBytes: true,
  kinesisMaxRecordBytes: true,
  kinesisMaxRequestBytes: true,
  firehoseMaxRequestBytes: true,
} as const satisfies Names<EmulatorLimits>

/**
 * Throws a `TypeError` for the first name with a value that is not an option: a misspelt `quota`
 * would otherwise leave the emulator without its quota and a test passing for the wrong reason.
 * (The emulator does not depend on `@eventport/core`, whose `checkOptionNames` also suggests a name.)
 */
const checkNames = (at: string, options: object, known: Readonly<Record<string, true>>) => {
  for (const [name, value] of Object.entries(options))
    if (value !== undefined && !Object.hasOwn(known, name))
      throw new TypeError(
        `startEmulator: ${at}${name} is not an option (options: ${Object.keys(known).join(", ")})`,
      )
}

export interface Emulator {
  /** e.g. `http://127.0.0.1:4566`: the `endpoint` for every AWS SDK client. */
  readonly endpoint: string
  readonly host: string
  readonly port: number
  /** The first accepted credentials, ready for an SDK client's `credentials`. */
  readonly credentials: EmulatorCredentials
  readonly store: Store
  readonly faults: Faults
  readonly quotas: Quotas
  readonly requests: RequestLog
  /** Clears the store and request log, restores the starting faults and quotas and restarts the PRNG. */
  reset(): void
  stop(): Promise<void>
  [Symbol.asyncDispose](): Promise<void>
}

export const defaultSeed = 0x5eed

/** The handlers that keep no state; Kinesis keeps sequence numbers, so each emulator makes its own. */
const statelessHandlers = {
  eventbridge: eventBridgeHandler,
  iotevents: iotEventsHandler,
  iotanalytics: iotAnalyticsHandler,
  pinpoint: pinpointHandler,
  firehose: firehoseHandler,
  sqs: sqsHandler,
  sns: snsHandler,
} as const

/** awsJson1_1 operations by X-Amz-Target, and the target prefix of each awsJson1_1 service. */
const jsonOperations: ReadonlyMap<string, ServiceName> = new Map([
  ["AWSEvents.PutEvents", "eventbridge"],
  ["Kinesis_20131202.PutRecords", "kinesis"],
  ["Firehose_20150804.PutRecordBatch", "firehose"],
])
const jsonTargetPrefixes: ReadonlyMap<string, ServiceName> = new Map([
  ["AWSEvents.", "eventbridge"],
  ["Kinesis_20131202.", "kinesis"],
  ["Firehose_20150804.", "firehose"],
])

/** Anything larger is answered with a bare 413, as AWS's front end does for very large bodies. */
const maxBodyBytes = 16 * 1024 * 1024

type Route =
  | { readonly kind: "operation"; readonly service: ServiceName; readonly pathLabels: Record<string, string> }
  | {
      readonly kind: "unknown"
      readonly service: ServiceName | undefined
      readonly error: ServiceError
    }

const pinpointPath = /^\/v1\/apps\/([^/]+)\/events\/?$/

const unknownOperation = (service: ServiceName | undefined, detail: string): Route => ({
  kind: "unknown",
  service,
  error: {
    code: "UnknownOperationException",
    status: service !== undefined && serviceTraits[service].protocol === "restJson1" ? 404 : 400,
    message: `Unknown operation: ${detail}`,
  },
})

const routeRequest = (method: string, path: string, headers: IncomingMessage["headers"]): Route => {
  const target = headers["x-amz-target"]
  const scopeService = SignatureVerifier.scopeOf(headers)?.service
  const guessed = scopeService === undefined ? undefined : serviceBySigningName.get(scopeService)
  if (typeof target === "string") {
    const operation = jsonOperations.get(target)
    if (operation !== undefined && method === "POST" && path === "/") {
      return { kind: "operation", service: operation, pathLabels: {} }
    }
    if (target === "AmazonSQS.SendMessageBatch" && method === "POST" && path === "/") {
      return { kind: "operation", service: "sqs", pathLabels: {} }
    }
    const prefixed = target.startsWith("AmazonSQS.")
      ? "sqs"
      : [...jsonTargetPrefixes].find(([prefix]) => target.startsWith(prefix))?.[1]
    return unknownOperation(prefixed ?? guessed, `${method} ${path} ${target}`)
  }
  // awsQuery (SNS): a form POSTed to `/`, the operation named by its Action field.
  if (
    method === "POST" &&
    path === "/" &&
    String(headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded")
  ) {
    return { kind: "operation", service: "sns", pathLabels: {} }
  }
  const restService: ServiceName | undefined =
    path === "/inputs/messages"
      ? "iotevents"
      : path === "/messages/batch"
        ? "iotanalytics"
        : pinpointPath.test(path)
          ? "pinpoint"
          : undefined
  if (restService === undefined) return unknownOperation(guessed, `${method} ${path}`)
  if (method !== "POST") {
    if (restService === "pinpoint") {
      return {
        kind: "unknown",
        service: "pinpoint",
        error: {
          code: "MethodNotAllowedException",
          status: 405,
          message: `Method ${method} is not allowed.`,
        },
      }
    }
    return unknownOperation(restService, `${method} ${path}`)
  }
  const pathLabels: Record<string, string> = {}
  if (restService === "pinpoint") {
    const raw = pinpointPath.exec(path)?.[1] ?? ""
    try {
      pathLabels.applicationId = decodeURIComponent(raw)
    } catch {
      pathLabels.applicationId = raw
    }
  }
  return { kind: "operation", service: restService, pathLabels }
}

/** Ends the connection without an answer: the whole HTTP/2 session, or the HTTP/1.1 socket. */
const dropConnection = (req: IncomingMessage): void => {
  if (req.httpVersionMajor === 2) (req as unknown as Http2ServerRequest).stream.session?.destroy()
  else req.socket.destroy()
}

const http2Preface = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1")

const protocolOf = (service: ServiceName | undefined): Protocol =>
  service === undefined ? "awsJson1_1" : serviceTraits[service].protocol

const readBody = (req: IncomingMessage): Promise<Buffer | undefined> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let tooLarge = false
    req.on("data", (chunk: Buffer) => {
      if (tooLarge) return
      size += chunk.length
      if (size > maxBodyBytes) {
        tooLarge = true
        chunks.length = 0
        return
      }
      chunks.push(chunk)
    })
    req.on("end", () =>
      resolve(tooLarge ? undefined : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)),
    )
    req.on("error", reject)
  })

const storeModeOf = (store: EmulatorOptions["store"]): StoreMode =>
  store === undefined || store === true ? "full" : store === false ? "off" : store

/** Starts the emulator on a loopback port; resolves once it is listening. */
export const startEmulator = async (options: EmulatorOptions = {}): Promise<Emulator> => {
  checkNames("", options, emulatorOptionNames)
  if (options.limits !== undefined) checkNames("limits.", options.limits, emulatorLimitNames)
  const credentialList =
    options.credentials === undefined
      ? [defaultCredentials]
      : Array.isArray(options.credentials)
        ? (options.credentials as readonly EmulatorCredentials[])
        : [options.credentials as EmulatorCredentials]
  const primaryCredentials = credentialList[0]
  if (primaryCredentials === undefined) throw new TypeError("credentials must not be empty")
  const verifier = new SignatureVerifier(credentialList, {
    ...(options.maxClockSkewMs === undefined ? {} : { maxClockSkewMs: options.maxClockSkewMs }),
  })
  const seed = options.seed ?? defaultSeed
  const initialFaults = options.faults ?? []
  const faults = new Faults(seed, initialFaults)
  const quotas = new Quotas(options.quotas, options.clock)
  const store = new Store(storeModeOf(options.store))
  const requests = new RequestLog(options.requestLogLimit ?? 1000)
  const limits: ServiceLimits = {
    eventBridgeMaxRequestBytes:
      options.limits?.eventBridgeMaxRequestBytes ?? eventBridgeDefaultMaxRequestBytes,
    iotEventsMaxBatchPayloadBytes: options.limits?.iotEventsMaxBatchPayloadBytes,
    kinesisMaxRecordBytes: options.limits?.kinesisMaxRecordBytes ?? 1024 * 1024,
    kinesisMaxRequestBytes: options.limits?.kinesisMaxRequestBytes ?? 5 * 1024 * 1024,
    firehoseMaxRequestBytes: options.limits?.firehoseMaxRequestBytes ?? 4 * 1024 * 1024,
    contentBasedDeduplication: new Set(options.contentBasedDeduplication ?? []),
  }
  const kinesisShardCount = options.kinesisShardCount ?? defaultKinesisShardCount
  if (!(Number.isInteger(kinesisShardCount) && kinesisShardCount >= 1))
    throw new RangeError(`kinesisShardCount must be a positive integer, got ${kinesisShardCount}`)
  const handlers: { readonly [S in ServiceName]: ServiceHandler<S> } = {
    ...statelessHandlers,
    kinesis: kinesisHandler({ shardCount: kinesisShardCount }),
  }
  const fifo = new FifoLedger()

  const reset = () => {
    store.clear()
    fifo.clear()
    requests.clear()
    faults.set(initialFaults)
    faults.reseed()
    quotas.reset()
  }

  const handleServiceRequest = async (
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    rawPath: string,
    query: string,
  ) => {
    const startedAt = new Date()
    const started = performance.now()
    const requestId = randomUUID()
    const method = req.method ?? "GET"
    let service: ServiceName | undefined
    let status: number | "dropped" = 500
    let errorCode: string | undefined
    let entryCount = 0
    let failedEntryCount = 0
    let faultName: string | undefined
    const fail = (error: ServiceError) => {
      status = error.status
      errorCode = error.code
      sendError(res, protocolOf(service), service, requestId, error)
    }
    try {
      const route = routeRequest(method, rawPath, req.headers)
      service = route.service
      if (route.kind === "unknown") {
        if (req.headers.authorization === undefined) {
          fail({
            code: "MissingAuthenticationTokenException",
            status: 403,
            message: "Missing Authentication Token",
          })
        } else {
          fail(route.error)
        }
        return
      }
      const routed = route.service
      const handler = handlers[routed] as ServiceHandler<ServiceName>
      // Over HTTP/2 the host travels as the :authority pseudo-header (and is signed as such).
      const hostname = requestHostOf(req.headers) ?? ""
      const check = await verifier.verify(
        { method, hostname, path: rawPath, query, headers: req.headers, body },
        handler.traits.signingName,
      )
      if (!check.ok) return fail(check.error)
      if (!quotas.admit(routed)) {
        faultName = "quota"
        return fail(resolveRequestError(routed, "throttling"))
      }

      const decision = faults.decideRequest(routed)
      if (decision.latencyMs > 0) {
        faultName = "latency"
        await sleep(decision.latencyMs)
      }
      if (decision.drop !== undefined && !decision.drop.afterStore) {
        faultName = "dropConnection"
        status = "dropped"
        dropConnection(req)
        return
      }
      if (decision.error !== undefined) {
        faultName = "requestError"
        return fail(decision.error)
      }
      const prepared = handler.prepare(
        { body, pathLabels: route.pathLabels, requestId, receivedAt: startedAt, fifo },
        limits,
      )
      if (!prepared.ok) return fail(prepared.error)
      const { items } = prepared.batch
      entryCount = items.length
      const target = store.service(routed) as { add(entry: AcceptedEntry): void }
      const failures: (EntryFailure | undefined)[] = items.map((item) => {
        if (item.rejection !== undefined) return item.rejection
        const injected = faults.decideEntry(item.view)
        if (injected !== undefined) {
          faultName = "entryError"
          return injected
        }
        const stored = item.accept === undefined ? item.accepted : item.accept()
        if (stored !== undefined) target.add(stored)
        return undefined
      })
      failedEntryCount = failures.filter((f) => f !== undefined).length
      if (decision.drop !== undefined) {
        // Applied but never answered: the client cannot tell whether the entries landed.
        faultName = "dropConnection"
        status = "dropped"
        dropConnection(req)
        return
      }
      const reply = prepared.batch.render(failures)
      status = reply.status
      sendReply(res, handler.traits.protocol, requestId, reply.status, reply.body)
    } catch (error) {
      // Never crash on a request; report it as the service's internal error (without request contents).
      fail({
        ...(service === undefined
          ? { code: "InternalFailure", status: 500 }
          : serviceTraits[service].internal),
        message: `Emulator error: ${error instanceof Error ? error.name : "unknown"}`,
      })
    } finally {
      const record: RequestRecord = {
        requestId,
        method,
        path: rawPath,
        service,
        status,
        ...(errorCode === undefined ? {} : { errorCode }),
        entryCount,
        failedEntryCount,
        ...(faultName === undefined ? {} : { fault: faultName }),
        startedAt,
        durationMs: performance.now() - started,
      }
      requests.record(record)
    }
  }

  const emulatorRef: { current?: Emulator } = {}
  const allowedHosts = new Set((options.allowedHosts ?? []).map((name) => hostNameOf(name)))

  // Answers HTTP/1.1 and HTTP/2 alike, through the request API the two share.
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? "/"
    const q = url.indexOf("?")
    const rawPath = q === -1 ? url : url.slice(0, q)
    const query = q === -1 ? "" : url.slice(q + 1)
    readBody(req)
      .then((body) => {
        if (body === undefined) {
          // HTTP/2 forbids connection headers.
          res.writeHead(
            413,
            req.httpVersionMajor === 2
              ? { "content-length": 0 }
              : { "content-length": 0, connection: "close" },
          )
          res.end()
          return
        }
        const refusal = hostRefusal(req.headers, allowedHosts)
        if (refusal !== undefined) {
          const text = JSON.stringify({ message: refusal })
          res.writeHead(403, {
            "content-type": "application/json",
            "content-length": Buffer.byteLength(text),
          })
          res.end(text)
          return
        }
        if (rawPath.startsWith("/__admin/") || rawPath === "/__admin") {
          return handleAdminRequest(req, res, rawPath, query, body, emulatorRef.current!)
        }
        return handleServiceRequest(req, res, body, rawPath, query)
      })
      .catch(() => {
        if (!res.headersSent) res.writeHead(500).end()
      })
  }
  const http1 = createHttp1Server({ keepAlive: true }, listener)
  // SDK clients keep connections open between requests; keep ours open longer than theirs idle.
  http1.keepAliveTimeout = 65_000
  http1.headersTimeout = 70_000
  const http2 = createHttp2Server({}, listener as unknown as Parameters<typeof createHttp2Server>[1])
  // HTTP/1.1 and cleartext HTTP/2 (h2c, prior knowledge) on one port: the Kinesis SDK client speaks
  // HTTP/2 by default, the other clients HTTP/1.1. node:http2's allowHTTP1 works only over TLS, so
  // each connection goes by its first bytes: the HTTP/2 preface, or anything else for HTTP/1.1.
  const sockets = new Set<Socket>()
  const server = createTcpServer((socket) => {
    sockets.add(socket)
    socket.once("close", () => sockets.delete(socket))
    socket.on("error", () => socket.destroy())
    socket.once("readable", () => {
      const head: Buffer | null = socket.read()
      if (head === null) return
      socket.unshift(head)
      const length = Math.min(head.length, http2Preface.length)
      const isHttp2 = head.subarray(0, length).equals(http2Preface.subarray(0, length))
      ;(isHttp2 ? http2 : http1).emit("connection", socket)
    })
  })

  const host = options.host ?? "127.0.0.1"
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  const endpointHost = host.includes(":") ? `[${host}]` : host
  let stopped: Promise<void> | undefined
  const stop = () => {
    stopped ??= new Promise<void>((resolve, reject) => {
      server.close((error) => (error === undefined ? resolve() : reject(error)))
      for (const socket of sockets) socket.destroy()
    })
    return stopped
  }
  const emulator: Emulator = {
    endpoint: `http://${endpointHost}:${port}`,
    host,
    port,
    credentials: primaryCredentials,
    store,
    faults,
    quotas,
    requests,
    reset,
    stop,
    [Symbol.asyncDispose]: stop,
  }
  emulatorRef.current = emulator
  return emulator
}
