import { randomUUID } from "node:crypto"
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { performance } from "node:perf_hooks"
import { setTimeout as sleep } from "node:timers/promises"
import { type Fault, Faults } from "./Faults.ts"
import { handleAdminRequest } from "./internal/adminRoutes.ts"
import { FifoLedger } from "./internal/FifoLedger.ts"
import type { EntryFailure, ServiceHandler, ServiceLimits } from "./internal/ServiceHandler.ts"
import { sendError, sendReply } from "./internal/wire.ts"
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
import { eventBridgeHandler } from "./services/EventBridge.ts"
import { iotAnalyticsHandler } from "./services/IotAnalytics.ts"
import { iotEventsHandler } from "./services/IotEvents.ts"
import { pinpointHandler } from "./services/Pinpoint.ts"
import { snsHandler } from "./services/Sns.ts"
import { sqsHandler } from "./services/Sqs.ts"

export interface EmulatorLimits {
  /**
   * EventBridge total entry size per request, by AWS's size algorithm. 256 KiB (the model's and the
   * size page's figure) by default; AWS announced 1 MB event payloads in 2026, unverified for PutEvents.
   */
  readonly eventBridgeMaxRequestBytes?: number
  /** IoT Events payload bytes per batch; the documented 1 KiB is unverified, so off unless set. */
  readonly iotEventsMaxBatchPayloadBytes?: number
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
  /**
   * SQS FIFO queue names and SNS FIFO topic names (e.g. `orders.fifo`) configured for content-based
   * de-duplication: entries without a MessageDeduplicationId are de-duplicated by the SHA-256 of the
   * body. Others require the id.
   */
  readonly contentBasedDeduplication?: readonly string[]
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
  readonly requests: RequestLog
  /** Clears the store and request log, restores the starting faults and restarts the PRNG. */
  reset(): void
  stop(): Promise<void>
  [Symbol.asyncDispose](): Promise<void>
}

export const defaultSeed = 0x5eed

const handlers: { readonly [S in ServiceName]: ServiceHandler<S> } = {
  eventbridge: eventBridgeHandler,
  iotevents: iotEventsHandler,
  iotanalytics: iotAnalyticsHandler,
  pinpoint: pinpointHandler,
  sqs: sqsHandler,
  sns: snsHandler,
}

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
    if (target === "AWSEvents.PutEvents" && method === "POST" && path === "/") {
      return { kind: "operation", service: "eventbridge", pathLabels: {} }
    }
    if (target === "AmazonSQS.SendMessageBatch" && method === "POST" && path === "/") {
      return { kind: "operation", service: "sqs", pathLabels: {} }
    }
    return unknownOperation(
      target.startsWith("AWSEvents.") ? "eventbridge" : target.startsWith("AmazonSQS.") ? "sqs" : guessed,
      `${method} ${path} ${target}`,
    )
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
  const store = new Store(storeModeOf(options.store))
  const requests = new RequestLog(options.requestLogLimit ?? 1000)
  const limits: ServiceLimits = {
    eventBridgeMaxRequestBytes: options.limits?.eventBridgeMaxRequestBytes ?? 256 * 1024,
    iotEventsMaxBatchPayloadBytes: options.limits?.iotEventsMaxBatchPayloadBytes,
    contentBasedDeduplication: new Set(options.contentBasedDeduplication ?? []),
  }
  const fifo = new FifoLedger()

  const reset = () => {
    store.clear()
    fifo.clear()
    requests.clear()
    faults.set(initialFaults)
    faults.reseed()
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
      const check = await verifier.verify(
        { method, hostname: req.headers.host ?? "", path: rawPath, query, headers: req.headers, body },
        handler.traits.signingName,
      )
      if (!check.ok) return fail(check.error)

      const decision = faults.decideRequest(routed)
      if (decision.latencyMs > 0) {
        faultName = "latency"
        await sleep(decision.latencyMs)
      }
      if (decision.drop !== undefined && !decision.drop.afterStore) {
        faultName = "dropConnection"
        status = "dropped"
        req.socket.destroy()
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
        req.socket.destroy()
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

  const server: Server = createServer({ keepAlive: true }, (req, res) => {
    const url = req.url ?? "/"
    const q = url.indexOf("?")
    const rawPath = q === -1 ? url : url.slice(0, q)
    const query = q === -1 ? "" : url.slice(q + 1)
    readBody(req)
      .then((body) => {
        if (body === undefined) {
          res.writeHead(413, { "content-length": 0, connection: "close" })
          res.end()
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
  })
  // SDK clients keep connections open between requests; keep ours open longer than theirs idle.
  server.keepAliveTimeout = 65_000
  server.headersTimeout = 70_000

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
      server.closeAllConnections()
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
    requests,
    reset,
    stop,
    [Symbol.asyncDispose]: stop,
  }
  emulatorRef.current = emulator
  return emulator
}
