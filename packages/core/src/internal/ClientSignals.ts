/**
 * Lets a request's abort signal reach an AWS SDK v3 client's request handler without passing it to
 * `client.send`, so that a client an adapter made can keep its resolved middleware stack.
 *
 * The SDK resolves a command's middleware stack on every `send` unless the client has
 * `cacheMiddleware: true` AND `send` gets no options (`Client.send` in @smithy/core,
 * https://github.com/smithy-lang/smithy-typescript/blob/main/packages/core/src/submodules/client/smithy-client/client.ts).
 * Resolving it costs about 8% of the instructions per event of a hand-written PutEvents loop
 * (callgrind, 10 events per request), but the signal that ends a request on its deadline is an
 * option of `send`. So the signal travels another way:
 *
 * 1. the adapter puts it on the command's `input` object (made fresh per request);
 * 2. a middleware at the very end of the stack (step `deserialize`, priority `low`, where `args`
 *    holds the signed request exactly as the request handler will get it) moves it to the request;
 * 3. the client's request handler, wrapped, hands it on as `{ abortSignal }`, as `send` would have.
 *
 * The signal rides in a property keyed by a symbol of this module's own, on objects made for that
 * one request: nothing outlives its request, and requests in flight at once never see each other's
 * signal (the cached stack shares one context object between them, so the context cannot carry
 * it). Serializers never read a symbol-keyed property: they write a shape's members, and so do the
 * SDK's log filters, so a logger the user configures does not print it either. It is a plain
 * assignment: on a fresh object every request, a `WeakMap` keyed by object identity (the earlier
 * way) and `Object.defineProperty` each cost about 0.3–0.4 µs per event in bench scenario 2's
 * profile, the assignment about 0.1 µs.
 */

/** The parts of a request handler this module touches (`NodeHttpHandler`, `NodeHttp2Handler`…). */
interface RequestHandlerLike {
  handle(request: object, options?: { readonly abortSignal?: AbortSignal }): Promise<unknown>
}

type Handler = (args: { readonly input?: unknown; readonly request?: unknown }) => Promise<unknown>

/** The parts of an SDK v3 client this module touches. */
interface SdkClientLike {
  readonly config: { requestHandler: RequestHandlerLike; readonly cacheMiddleware?: boolean }
  readonly middlewareStack: {
    add(
      middleware: (next: Handler) => Handler,
      options: { readonly step: "deserialize"; readonly priority: "low"; readonly name: string },
    ): void
  }
}

/** An object whose properties can be read (not null). */
export const isRecord = (value: unknown): value is Record<PropertyKey, unknown> =>
  typeof value === "object" && value !== null

/** An SDK v3 client with its middleware cache on and a request handler to wrap. */
const isCachingSdkClient = (client: unknown): client is SdkClientLike => {
  if (!isRecord(client) || !isRecord(client.config) || !isRecord(client.middlewareStack)) return false
  const handler = client.config.requestHandler
  return (
    client.config.cacheMiddleware === true &&
    isRecord(handler) &&
    typeof handler.handle === "function" &&
    typeof client.middlewareStack.add === "function"
  )
}

/** The middleware's name in the client's stack. */
const signalMiddlewareName = "eventportRequestSignal"

/** The key of the property a request's signal rides in, on its input and then its HTTP request. */
const requestSignal = Symbol("eventport.requestSignal")

/** An object that may carry a request's signal. */
interface SignalCarrier {
  [requestSignal]?: AbortSignal
}

/** Puts `signal` on `carrier`; false when it cannot be (a frozen or sealed object). */
const carry = (carrier: SignalCarrier, signal: AbortSignal): boolean => {
  if (!Object.isExtensible(carrier)) return false
  carrier[requestSignal] = signal
  return true
}

/** Sends a request's signal with it: the options for `client.send(command, …)`, or `undefined`. */
export type ClientSendOptions = (
  command: { readonly input: object },
  signal: AbortSignal,
) => { readonly abortSignal: AbortSignal } | undefined

/** The usual way: the signal as `send`'s option (for a user's client, or one without the cache). */
export const signalAsOption: ClientSendOptions = (_command, signal) => ({ abortSignal: signal })

/**
 * Routes signals around `send`'s options for `client` when it is an SDK v3 client with
 * `cacheMiddleware: true`; {@link signalAsOption} for any other client. Installs its middleware and
 * wraps the client's request handler, so call it once per client, before its first request.
 */
export const routeRequestSignals = (client: unknown): ClientSendOptions => {
  if (!isCachingSdkClient(client)) return signalAsOption
  client.middlewareStack.add(
    (next) => (args) => {
      const { input, request } = args
      if (isRecord(input) && isRecord(request)) {
        const signal = (input as SignalCarrier)[requestSignal]
        if (signal !== undefined) carry(request, signal)
      }
      return next(args)
    },
    { step: "deserialize", priority: "low", name: signalMiddlewareName },
  )
  const inner = client.config.requestHandler
  const handle: RequestHandlerLike["handle"] = (request, options) => {
    const signal = options?.abortSignal === undefined ? (request as SignalCarrier)[requestSignal] : undefined
    return signal === undefined
      ? inner.handle(request, options)
      : inner.handle(request, { ...options, abortSignal: signal })
  }
  // Everything but `handle` (destroy, updateHttpClientConfig, metadata…) is the handler's own.
  client.config.requestHandler = new Proxy(inner, {
    get: (target, key) => {
      if (key === "handle") return handle
      const value: unknown = Reflect.get(target, key, target)
      return typeof value === "function" ? value.bind(target) : value
    },
  })
  // An input that cannot carry the signal (frozen) sends it as `send`'s option, cache or not.
  return (command, signal) => (carry(command.input, signal) ? undefined : { abortSignal: signal })
}
