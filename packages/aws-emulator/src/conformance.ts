/**
 * The emulator as an adapter's test destination: a `ConformanceHarness` for `@eventport/testkit`'s
 * `describeAdapterConformance`, and the one-request helpers adapter tests use next to it. The store
 * answers what was received, the fault API fails entries and requests on cue.
 *
 * `@eventport/testkit`, `@eventport/core` and `effect` are optional peers: only this entry point
 * needs them, and only as the adapter under test already does.
 */
import {
  type Adapter,
  createEvent,
  createPublisher,
  type DeliveryError,
  type Encoded,
  type EntryResult,
  type Event,
  type EventData,
  type JsonValue,
  maxDataDepth,
  type SendResult,
} from "@eventport/core"
import type { ConformanceHarness } from "@eventport/testkit"
import { Effect } from "effect"
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest"
import { type Emulator, type EmulatorOptions, startEmulator } from "./Emulator.ts"
import type { Fault } from "./Faults.ts"
import type { ServiceName } from "./Service.ts"
import type { EmulatorCredentials } from "./SigV4.ts"
import type { EntryTypes } from "./Store.ts"

/** An AWS SDK client configuration pointed at the emulator. */
export interface EmulatorClientConfig {
  readonly endpoint: string
  readonly region: string
  readonly credentials: EmulatorCredentials
}

/** The `clientConfig` (or SDK client configuration) that sends to `emulator`. */
export const emulatorClientConfig = (emulator: Emulator, region = "us-east-1"): EmulatorClientConfig => ({
  endpoint: emulator.endpoint,
  region,
  credentials: emulator.credentials,
})

type EntryErrorFault = Extract<Fault, { readonly type: "entryError" }>
type RequestErrorFault = Extract<Fault, { readonly type: "requestError" }>

/** A whole-request error the emulator answers, and the `DeliveryError` fields it must become. */
export type RequestErrorCase = readonly [
  error: RequestErrorFault["error"],
  expected: {
    readonly code: DeliveryError["code"]
    readonly retryable: boolean
    readonly rawCode: string
    readonly httpStatus: number
  },
]

/**
 * The cases of a service's whole-request error table, for
 * {@link EmulatorAdapterSuiteOptions.requestErrors}: each raw code sent with its row's HTTP status
 * (from the model), or `statusOf(rawCode)` for a row without one (400 by default).
 */
export const requestErrorCases = (
  table: Readonly<
    Record<
      string,
      { readonly code: DeliveryError["code"]; readonly retryable: boolean; readonly httpStatus?: number }
    >
  >,
  statusOf: (rawCode: string) => number = () => 400,
): ReadonlyArray<RequestErrorCase> =>
  Object.entries(table).map(([rawCode, mapping]) => {
    const httpStatus = mapping.httpStatus ?? statusOf(rawCode)
    return [
      { code: rawCode, status: httpStatus, message: `${rawCode} from the emulator` },
      { code: mapping.code, retryable: mapping.retryable, rawCode, httpStatus },
    ]
  })

/** The entry fault that fails one event's entry, without `type`, `service` and `times` (the harness sets them). */
export type EntryFaultSpec = Omit<EntryErrorFault, "type" | "service" | "times">

/** How the harness reads a service's store and scripts its entry faults. */
export interface ConformanceService<S extends ServiceName> {
  /** The event id an entry the emulator accepted came from (or the id the adapter sent instead). */
  readonly eventIdOf: (entry: EntryTypes[S]) => string
  /** Fails the entry of `eventId`: with an error the service means as transient when `retryable`, else a permanent one. */
  readonly entryFault: (eventId: string, retryable: boolean) => EntryFaultSpec
}

/** IoT Events and IoT Analytics alike: the messageId is the event id (or the one the adapter derived). */
const iotMessages = {
  eventIdOf: (entry: { readonly messageId: string }) => entry.messageId,
  entryFault: (eventId: string, retryable: boolean): EntryFaultSpec => ({
    code: retryable ? "InternalFailureException" : "InvalidRequestException",
    match: { id: eventId },
  }),
}

/** The CloudEvents JSON a record carries (Kinesis and Firehose adapters' default `Data`), if it is one. */
const cloudEventIn = (text: string): Record<string, unknown> | undefined => {
  try {
    const parsed: unknown = JSON.parse(text)
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

/**
 * Kinesis and Firehose alike: each record's `Data` is the event in the CloudEvents JSON format (a
 * trailing delimiter is whitespace to JSON), so the event id and data are read from it; the entry
 * fault matches the id inside `Data`. Both services document only retryable per-record codes, so the
 * permanent fault uses an undocumented code, which adapters treat as `Unknown` and do not retry.
 */
const cloudEventRecords = (retryableCode: string) => ({
  eventIdOf: (entry: { readonly dataText: string }) => String(cloudEventIn(entry.dataText)?.id ?? ""),
  entryFault: (eventId: string, retryable: boolean): EntryFaultSpec => ({
    code: retryable ? retryableCode : "UndocumentedPermanentFailure",
    match: (view) => typeof view.fields.Data === "string" && cloudEventIn(view.fields.Data)?.id === eventId,
  }),
})

/**
 * The data of a CloudEvents JSON text (the default body or record of the Kinesis, Firehose, SQS and
 * SNS adapters; a trailing delimiter is whitespace to JSON): `data` as it is, `data_base64` as
 * bytes, `undefined` when the text is not such a CloudEvent. For adapter tests' `dataOf` and
 * `decodeEntry` readings.
 */
export const cloudEventData = (body: string | undefined): unknown => {
  if (body === undefined) return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return undefined
  }
  if (typeof parsed !== "object" || parsed === null) return undefined
  const cloudEvent = parsed as { readonly data?: unknown; readonly data_base64?: unknown }
  if (typeof cloudEvent.data_base64 === "string")
    return new Uint8Array(Buffer.from(cloudEvent.data_base64, "base64"))
  return Object.hasOwn(cloudEvent, "data") ? cloudEvent.data : null
}

/**
 * SQS and SNS alike: the batch entry Id is the event id (or the id the adapter derived); a
 * retryable failure is the service's (`SenderFault: false`), a permanent one the caller's.
 */
const batchEntryFault = (eventId: string, retryable: boolean): EntryFaultSpec =>
  retryable
    ? { code: "InternalError", senderFault: false, match: { id: eventId } }
    : { code: "InvalidParameterValue", senderFault: true, statusCode: 400, match: { id: eventId } }

/**
 * Each service's reading of an event id, for adapters that send the event id where the service
 * keeps a caller id: the IoT messageId, the Pinpoint event key. EventBridge keeps none, so its
 * default expects the adapter to send the event id as the TraceHeader (`traceHeader: (e) => e.id`).
 */
export const conformanceServices: { readonly [S in ServiceName]: ConformanceService<S> } = {
  eventbridge: {
    eventIdOf: (entry) => entry.traceHeader ?? "",
    entryFault: (eventId, retryable) => ({
      code: retryable ? "ThrottlingException" : "MalformedDetail",
      match: { TraceHeader: eventId },
    }),
  },
  iotevents: iotMessages,
  iotanalytics: iotMessages,
  pinpoint: {
    eventIdOf: (entry) => entry.eventId,
    entryFault: (eventId, retryable) => ({ statusCode: retryable ? 500 : 400, match: { id: eventId } }),
  },
  kinesis: cloudEventRecords("ProvisionedThroughputExceededException"),
  firehose: cloudEventRecords("ServiceUnavailableException"),
  sqs: {
    eventIdOf: (entry) => entry.id,
    entryFault: batchEntryFault,
  },
  sns: {
    eventIdOf: (entry) => entry.id,
    entryFault: (eventId, retryable) =>
      retryable
        ? batchEntryFault(eventId, true)
        : { code: "InvalidParameter", senderFault: true, statusCode: 400, match: { id: eventId } },
  },
}

export interface EmulatorHarnessOptions<S extends ServiceName> {
  /** Names the suite, e.g. `eventbridge (emulator)`. */
  readonly name: string
  /** The service the adapter sends to. */
  readonly service: S
  /** A fresh adapter sending to the emulator, e.g. `(clientConfig) => eventBridge({ clientConfig, ... })`. */
  readonly makeAdapter: (
    clientConfig: EmulatorClientConfig,
    emulator: Emulator,
  ) => ReturnType<ConformanceHarness["makeAdapter"]>
  /** Options for the emulator the harness starts (e.g. `limits`). */
  readonly emulator?: EmulatorOptions
  /** Overrides the service's store reading and entry faults (`conformanceServices[service]`). */
  readonly eventIdOf?: ConformanceService<S>["eventIdOf"]
  readonly entryFault?: ConformanceService<S>["entryFault"]
  /**
   * The event's data as an accepted entry holds it (testkit `ReceivedEntry.data`), read the way the
   * adapter maps it: the EventBridge Detail, the IoT payload bytes, Pinpoint's Attributes and Metrics.
   * Each adapter's test gives its own reading; without one, the suite's data checks are skipped.
   * `carriedData` says what of the data that mapping carries (testkit `carriedData`).
   */
  readonly dataOf?: (entry: EntryTypes[S]) => unknown
  /** The event's data as the adapter's SDK entry carries it (testkit `ConformanceHarness.decodeEntry`). */
  readonly decodeEntry?: ConformanceHarness["decodeEntry"]
  readonly carriedData?: ConformanceHarness["carriedData"]
  /** A valid event for the service, when the suite's default events do not fit its payload rules. */
  readonly validEvent?: ConformanceHarness["validEvent"]
}

/**
 * A harness that starts an emulator in `setup` and stops it in `teardown`; the conformance suite
 * reads the service's store and request log and scripts faults through the emulator's fault API.
 */
export const emulatorHarness = <S extends ServiceName>(
  options: EmulatorHarnessOptions<S>,
): ConformanceHarness => {
  const { service } = options
  const eventIdOf = options.eventIdOf ?? conformanceServices[service].eventIdOf
  const entryFault = options.entryFault ?? conformanceServices[service].entryFault
  const { dataOf, decodeEntry } = options
  let started: Emulator | undefined
  const emulator = (): Emulator => {
    if (started === undefined)
      throw new Error(`${options.name}: the harness's setup has not started the emulator`)
    return started
  }
  return {
    name: options.name,
    setup: async () => {
      started = await startEmulator(options.emulator)
    },
    teardown: () => emulator().stop(),
    makeAdapter: () => options.makeAdapter(emulatorClientConfig(emulator()), emulator()),
    received: () =>
      (emulator().store[service].entries as readonly EntryTypes[S][]).map((entry) => ({
        eventId: eventIdOf(entry),
        request: entry.requestId,
        ...(dataOf === undefined ? {} : { data: dataOf(entry) }),
      })),
    requests: () =>
      emulator()
        .requests.list()
        .filter((r) => r.service === service)
        .map((r) => ({ entries: r.entryCount })),
    faults: {
      failEntries: (eventIds, { retryable, times }) => {
        for (const eventId of eventIds)
          emulator().faults.add({
            type: "entryError",
            service,
            ...entryFault(eventId, retryable),
            ...(times === undefined ? {} : { times }),
          })
      },
      failNextRequests: (n, kind) => {
        emulator().faults.add({
          type: "requestError",
          service,
          error: kind === "throttle" ? "throttling" : "internal",
          times: n,
        })
      },
      clear: () => emulator().faults.clear(),
    },
    reset: () => emulator().reset(),
    ...(options.validEvent === undefined ? {} : { validEvent: options.validEvent }),
    ...(decodeEntry === undefined ? {} : { decodeEntry }),
    ...(options.carriedData === undefined ? {} : { carriedData: options.carriedData }),
  }
}

const encodeEach = <Entry>(adapter: Adapter<Entry>, events: ReadonlyArray<Event>): Encoded<Entry>[] =>
  events.map((event) => {
    const result = adapter.encode(event)
    if (result._tag !== "Encoded")
      throw new Error(`unexpected rejection: ${JSON.stringify(result.violations)}`)
    return result
  })

/** The entries of `events` as `adapter` encodes them; throws if it rejects one. */
export const encodeAll = <Entry>(adapter: Adapter<Entry>, events: ReadonlyArray<Event>): Entry[] =>
  encodeEach(adapter, events).map((encoded) => encoded.entry)

/** The request the engine makes of `events`: their entries under their batch key, first attempt. */
const sendAsTheEngine = <Entry>(adapter: Adapter<Entry>, events: ReadonlyArray<Event>) => {
  const encoded = encodeEach(adapter, events)
  const batchKeys = new Set(encoded.map((e) => e.batchKey))
  if (batchKeys.size > 1)
    throw new Error(`events with different batch keys (${[...batchKeys].join(", ")}) never share a request`)
  const [batchKey] = batchKeys
  return adapter.send({ entries: encoded.map((e) => e.entry), batchKey, attempt: 1 })
}

/** Sends `events` in one request, as the engine makes it (first attempt, their batch key): the per-entry results. */
export const sendBatch = <Entry>(
  adapter: Adapter<Entry>,
  events: ReadonlyArray<Event>,
): Promise<SendResult> => Effect.runPromise(sendAsTheEngine(adapter, events))

/** Sends `events` in one request that must fail as a whole: its DeliveryError. */
export const sendFailingBatch = <Entry>(
  adapter: Adapter<Entry>,
  events: ReadonlyArray<Event>,
): Promise<DeliveryError> =>
  Effect.runPromise(
    Effect.flip(sendAsTheEngine(adapter, events)).pipe(
      Effect.mapError(
        (results) => new Error(`expected the request to fail, but it answered ${results.length} entries`),
      ),
    ),
  )

/**
 * The entry count of each request the emulator logged, largest first. An adapter sends a batch's
 * requests concurrently, so the order they reach the emulator is not the order they were packed:
 * compare packings with this, not with `requests.list()` in arrival order.
 */
export const entriesPerRequest = (emulator: Emulator): number[] =>
  emulator.requests
    .list()
    .map((r) => r.entryCount)
    .sort((a, b) => b - a)

/** The error of a failed entry result; throws for a success or a missing result. */
export const entryErrorOf = (result: EntryResult | undefined): DeliveryError => {
  if (result === undefined || result.ok)
    throw new Error(`expected a failed entry, got ${JSON.stringify(result)}`)
  return result.error
}

// ---------------------------------------------------------------------------------------------
// The emulator-backed adapter suite

/** A test file's emulator: call it for the running emulator. */
export interface TestEmulator {
  (): Emulator
  /** Stops it and starts a fresh one with other options (e.g. `limits`), for the rest of the file. */
  readonly restart: (options?: EmulatorOptions) => Promise<Emulator>
}

/**
 * Registers a vitest emulator for the current file or `describe`: started before its tests, reset
 * before each, stopped after.
 */
export const useEmulator = (options?: EmulatorOptions): TestEmulator => {
  let current: Emulator | undefined
  const running = (): Emulator => {
    if (current === undefined) throw new Error("the test emulator has not started (call it inside a test)")
    return current
  }
  beforeAll(async () => {
    current = await startEmulator(options)
  })
  afterAll(() => current?.stop())
  beforeEach(() => current?.reset())
  return Object.assign(running, {
    restart: async (next?: EmulatorOptions) => {
      await current?.stop()
      current = await startEmulator(next)
      return current
    },
  })
}

/** What {@link describeEmulatorAdapterSuite}'s checks and an adapter's additions get. */
export interface EmulatorSuiteContext {
  /** The suite's emulator (started before the checks, reset before each, stopped after). */
  readonly emulator: () => Emulator
  /** The client configuration that sends to the emulator. */
  readonly clientConfig: () => EmulatorClientConfig
}

export interface EmulatorAdapterSuiteOptions<Entry> {
  /** Names the suite, e.g. `eventbridge`. */
  readonly name: string
  /** The service the adapter sends to. */
  readonly service: ServiceName
  /**
   * A fresh adapter whose client is made from `clientConfig` (the adapter forces `maxAttempts: 1`),
   * e.g. `(clientConfig) => eventBridge({ clientConfig })`.
   */
  readonly makeAdapter: (clientConfig: SuiteClientConfig) => Adapter<Entry>
  /**
   * The factory under its name in messages (`eventBridge`) and options that misspell one option
   * (`misspelled`, e.g. `eventBusname`, for `meant`, `eventBusName`): the suite checks that the
   * factory refuses them at construction naming both, takes the same name left undefined, and
   * refuses options that are not an object.
   */
  readonly optionNames: {
    readonly factory: string
    readonly make: (options: never) => Adapter<Entry>
    readonly options: object
    readonly misspelled: string
    readonly meant: string
  }
  /** Options for the suite's emulator (e.g. `limits`). */
  readonly emulator?: EmulatorOptions
  /** A valid event for the service (the default is a small JSON object of data). */
  readonly event?: (fields?: { readonly data?: EventData }) => Event
  /**
   * Whether the adapter writes the event data as JSON (a Detail, a payload): then data nested one
   * level deeper than core's `maxDataDepth` must be `Rejected` with rule `maxDepth`.
   */
  readonly serializesData: boolean
  /**
   * The service's per-entry error table (raw code → normalized code and retryable), checked code by
   * code on the middle entry of three: `fault(rawCode, event)` fails that event's entry (match it by
   * what the service's entry carries); `unknownCode` is one the table does not list, which must be
   * `Unknown` and not retried.
   */
  readonly entryErrors?: {
    readonly table: Readonly<
      Record<string, { readonly code: DeliveryError["code"]; readonly retryable: boolean }>
    >
    readonly fault: (rawCode: string, event: Event, senderFault?: boolean) => EntryFaultSpec
    readonly unknownCode: string
    /**
     * Set when the service says per failed entry whose fault it is (SQS and SNS `SenderFault`),
     * which decides retrying whatever the code: each code is also sent with the `senderFault`
     * opposite to its row (`fault(rawCode, event, senderFault)`), and must keep its normalized
     * code but follow SenderFault (the caller's fault is never retried, the service's always is).
     */
    readonly senderFault?: boolean
    /**
     * What `unknownCode` must become: `Unknown`, not retried, by default; SQS and SNS classify a
     * code they do not list by the entry's `SenderFault` (the caller's fault: `InvalidRequest`).
     */
    readonly unknownCodeBecomes?: { readonly code: DeliveryError["code"]; readonly retryable: boolean }
  }
  /** The service's whole-request errors, each sent by the emulator, and what each must become. */
  readonly requestErrors?: ReadonlyArray<RequestErrorCase>
  /**
   * A whole-request error of the service that no retry can fix (e.g. an unknown channel), as the
   * emulator answers it, and the normalized code it must become: the publisher must not retry it.
   */
  readonly permanentRequestError?: {
    readonly code: string
    readonly status: number
    readonly deliveryCode: DeliveryError["code"]
  }
  /** The service's own checks, run in the same `describe` with the same emulator. */
  readonly additionalTests?: (context: EmulatorSuiteContext) => void
}

/**
 * An SDK request handler that never answers: it records the `abortSignal` each request brings and
 * rejects that request when the signal aborts (as the SDK's own handlers do). A type alias, so it
 * fits the clients' `requestHandler` option.
 */
type RequestHandlerProbe = {
  readonly handle: (request: unknown, options?: { readonly abortSignal?: AbortSignal }) => Promise<never>
  readonly updateHttpClientConfig: () => void
  readonly httpHandlerConfigs: () => object
}

/**
 * What the suite passes to `makeAdapter`: the emulator's config, and what a check sets on top (SDK
 * retries asked for, which the adapter must override; a probe request handler).
 */
type SuiteClientConfig = EmulatorClientConfig & {
  readonly maxAttempts?: number
  readonly requestHandler?: RequestHandlerProbe
  readonly logger?: SdkLogger
}

/** The SDK's `Logger` shape, for a client's `logger` option. */
type SdkLogger = {
  readonly debug: (...content: Array<unknown>) => void
  readonly info: (...content: Array<unknown>) => void
  readonly warn: (...content: Array<unknown>) => void
  readonly error: (...content: Array<unknown>) => void
}

const requestHandlerProbe = (): {
  readonly handler: RequestHandlerProbe
  readonly seen: Array<AbortSignal | undefined>
} => {
  const seen: Array<AbortSignal | undefined> = []
  const handler: RequestHandlerProbe = {
    handle: (_request, options) =>
      new Promise<never>((_resolve, reject) => {
        const signal = options?.abortSignal
        seen.push(signal)
        signal?.addEventListener("abort", () => reject(signal.reason), { once: true })
      }),
    updateHttpClientConfig: () => {},
    httpHandlerConfigs: () => ({}),
  }
  return { handler, seen }
}

/** An object (level 1) holding arrays nested to `depth` levels in all: valid for every service's data shape. */
const nestedData = (depth: number): JsonValue => {
  let data: JsonValue = null
  for (let i = 1; i < depth; i++) data = [data]
  return { nested: data }
}

/**
 * The checks every AWS adapter shares, against the emulator with the real SDK client over HTTP:
 * SDK retries off, credentials the service refuses, a dropped connection after the entries were
 * stored, a throttled request retried whole by the publisher, and the data-depth rule. Per-adapter
 * checks go in `additionalTests`, in the shape of unstorage's `testDriver({ driver, additionalTests })`.
 * Needs vitest (an optional peer of this entry point).
 */
export const describeEmulatorAdapterSuite = <Entry>(options: EmulatorAdapterSuiteOptions<Entry>): void => {
  const { service } = options
  let emulator: TestEmulator | undefined
  const context: EmulatorSuiteContext = {
    emulator: () => {
      if (emulator === undefined) throw new Error(`${options.name}: the suite's emulator has not started`)
      return emulator()
    },
    clientConfig: () => emulatorClientConfig(context.emulator()),
  }
  const makeEvent =
    options.event ??
    ((fields = {}) =>
      createEvent({ type: "eventport.suite", source: "eventport-suite", data: { n: 1 }, ...fields }))
  const stored = () => context.emulator().store[service].count
  const adapter = (config: Partial<SuiteClientConfig> = {}) =>
    options.makeAdapter({ ...context.clientConfig(), ...config })

  describe(`${options.name} against the emulator (shared adapter suite)`, () => {
    emulator = useEmulator(options.emulator)

    it("refuses a misspelled option at construction, naming it and the option it meant", () => {
      const { factory, make, options: misspelt, misspelled, meant } = options.optionNames
      expect(() => make(misspelt as never)).toThrow(
        new TypeError(
          `${factory}: option ${misspelled} is not an option, did you mean ${meant}? (optionName)`,
        ),
      )
      // A name left undefined carries no setting (a spread of optional settings): it passes.
      expect(make({ ...misspelt, [misspelled]: undefined } as never).kind).toBeTypeOf("string")
      expect(() => make(42 as never)).toThrow(new TypeError(`${factory}: options must be an object, got 42`))
    })

    it("makes its client with SDK retries off, whatever clientConfig says", async () => {
      context.emulator().faults.set({ type: "requestSequence", sequence: ["throttling", "ok"] })
      const failure = await sendFailingBatch(adapter({ maxAttempts: 5 }), [makeEvent()])
      expect(failure).toMatchObject({ code: "Throttled", retryable: true })
      expect(context.emulator().requests.counts().total).toBe(1)
    })

    it("each request's signal reaches the request handler of the client it makes, and aborting it ends that request only", async () => {
      // The adapter's client keeps its middleware stack between requests (cacheMiddleware), so the
      // signal cannot travel as send's option; this checks the way it takes instead, for requests in
      // flight at once and for the ones after the stack was cached.
      const probe = requestHandlerProbe()
      const made = adapter({ requestHandler: probe.handler })
      const [encoded] = encodeEach(made, [makeEvent()])
      const batch = { entries: [encoded!.entry], batchKey: encoded!.batchKey, attempt: 1 }
      const send = (signal: AbortSignal): Promise<SendResult> => {
        const sent = made.rawSend.call(batch, { signal })
        return Effect.isEffect(sent) ? Effect.runPromise(sent) : Promise.resolve(sent)
      }
      for (let round = 0; round < 2; round++) {
        const first = new AbortController()
        const second = new AbortController()
        const sending = [send(first.signal), send(second.signal)].map((p) =>
          p.then(
            () => "answered",
            (error: unknown) => (error instanceof Error ? error.name : String(error)),
          ),
        )
        await vi.waitFor(() => expect(probe.seen).toHaveLength(2 * (round + 1)))
        const seen = probe.seen.slice(2 * round)
        expect(new Set(seen)).toEqual(new Set([first.signal, second.signal]))
        first.abort()
        expect(await sending[0]).toBe("AbortError")
        expect(second.signal.aborted).toBe(false)
        second.abort()
        expect(await sending[1]).toBe("AbortError")
      }
      await Effect.runPromise(made.close)
    })

    it("a logger in clientConfig gets the SDK's log of each request (the adapter drops that step only without one)", async () => {
      const logged: Array<unknown> = []
      const record = (entry: unknown) => {
        logged.push(entry)
      }
      const made = adapter({ logger: { debug: () => {}, info: record, warn: () => {}, error: record } })
      const result = await sendBatch(made, [makeEvent(), makeEvent()])
      expect(result.every((r) => r.ok)).toBe(true)
      expect(logged).toEqual([
        expect.objectContaining({
          commandName: expect.stringMatching(/Command$/),
          output: expect.any(Object),
        }),
      ])
      await Effect.runPromise(made.close)
    })

    it("credentials the service refuses are AccessDenied, not retryable, raw code kept", async () => {
      const { credentials } = context.clientConfig()
      for (const [refused, rawCode] of [
        [{ ...credentials, secretAccessKey: "not-the-secret" }, "InvalidSignatureException"],
        [{ ...credentials, accessKeyId: "AKIDNOTKNOWN" }, "UnrecognizedClientException"],
      ] as const) {
        const failure = await sendFailingBatch(adapter({ credentials: refused }), [makeEvent()])
        expect(failure).toMatchObject({ code: "AccessDenied", retryable: false, rawCode })
      }
      expect(stored()).toBe(0)
    })

    it("a dropped connection after the entries were stored is a retryable failure with an unknown outcome", async () => {
      context.emulator().faults.set({ type: "dropConnection", afterStore: true, times: 1 })
      const failure = await sendFailingBatch(adapter(), [makeEvent()])
      expect(failure).toMatchObject({ retryable: true, outcomeUnknown: true })
      // The SDK's node handler renames ECONNRESET to TimeoutError, which the core reads as Timeout.
      expect(["Network", "Timeout"]).toContain(failure.code)
      expect(stored()).toBe(1)
    })

    it("through the publisher with retries off, a connection dropped after the store leaves every outcome unknown", async () => {
      context.emulator().faults.set({ type: "dropConnection", afterStore: true, times: 1 })
      const publisher = createPublisher({
        destinations: { suite: adapter() },
        retry: { baseDelayMs: 1, maxDelayMs: 5, throttledBaseDelayMs: 1, maxAttempts: 1 },
      })
      try {
        const result = await publisher.publish([makeEvent(), makeEvent()])
        expect(result.outcomes).toMatchObject([
          { _tag: "Failed", error: { outcomeUnknown: true } },
          { _tag: "Failed", error: { outcomeUnknown: true } },
        ])
        expect(result.counts.suite?.outcomeUnknown).toBe(2)
        // Stored though reported unknown: a resend would be a visible possible duplicate.
        expect(stored()).toBe(2)
      } finally {
        await publisher.close()
      }
    })

    it("through the publisher, a throttled request is retried whole, then delivered", async () => {
      context.emulator().faults.set({ type: "requestSequence", sequence: ["throttling", "ok"] })
      const publisher = createPublisher({
        destinations: { suite: adapter() },
        retry: { baseDelayMs: 1, maxDelayMs: 5, throttledBaseDelayMs: 1 },
      })
      try {
        const events = [makeEvent(), makeEvent(), makeEvent()]
        const result = await publisher.publish(events)
        expect(result.ok).toBe(true)
        expect(context.emulator().requests.counts().total).toBe(2)
        expect(stored()).toBe(3)
      } finally {
        await publisher.close()
      }
    })

    it("through the publisher, events are packed into requests of at most the adapter's maxEntries", async () => {
      const destination = adapter()
      const { maxEntries } = destination.limits
      const publisher = createPublisher({ destinations: { suite: destination } })
      try {
        const events = Array.from({ length: 2 * maxEntries + 5 }, (_, i) => makeEvent({ data: { i } }))
        const result = await publisher.publish(events)
        expect(result.ok).toBe(true)
        expect(entriesPerRequest(context.emulator())).toEqual([maxEntries, maxEntries, 5])
        expect(stored()).toBe(events.length)
      } finally {
        await publisher.close()
      }
    })

    it("through the publisher, a connection dropped after the store is retried, delivered and flagged a possible duplicate", async () => {
      context.emulator().faults.set({ type: "dropConnection", afterStore: true, times: 1 })
      const publisher = createPublisher({
        destinations: { suite: adapter() },
        retry: { baseDelayMs: 1, maxDelayMs: 5, throttledBaseDelayMs: 1 },
      })
      try {
        const result = await publisher.publish([makeEvent(), makeEvent()])
        expect(result.ok).toBe(true)
        expect(result.outcomes).toMatchObject([
          { _tag: "Delivered", possibleDuplicate: true },
          { _tag: "Delivered", possibleDuplicate: true },
        ])
        // Stored twice: the first request's entries were kept though its answer was lost.
        expect(stored()).toBe(4)
      } finally {
        await publisher.close()
      }
    })

    const entryErrors = options.entryErrors
    if (entryErrors !== undefined) {
      const failMiddle = async (rawCode: string, senderFault?: boolean) => {
        const bad = makeEvent({ data: { failing: 1 } })
        context.emulator().faults.set({
          type: "entryError",
          service,
          ...entryErrors.fault(rawCode, bad, senderFault),
          message: `${rawCode} says no`,
        })
        const results = await sendBatch(adapter(), [makeEvent(), bad, makeEvent()])
        expect(results.map((r) => r.ok)).toEqual([true, false, true])
        expect(stored()).toBe(2)
        return entryErrorOf(results[1])
      }
      it.each(Object.entries(entryErrors.table))(
        "entry error %s → %o, for that entry only",
        async (rawCode, expected) => {
          expect(await failMiddle(rawCode)).toMatchObject({
            ...expected,
            rawCode,
            rawMessage: `${rawCode} says no`,
          })
        },
      )
      if (entryErrors.senderFault === true)
        it.each(Object.entries(entryErrors.table))(
          "entry error %s with the opposite SenderFault keeps its code, and SenderFault decides retrying",
          async (rawCode, expected) => {
            expect(await failMiddle(rawCode, expected.retryable)).toMatchObject({
              code: expected.code,
              retryable: !expected.retryable,
              rawCode,
            })
          },
        )
      const retryable = Object.entries(entryErrors.table).find(([, m]) => m.retryable)
      const permanent = Object.entries(entryErrors.table).find(([, m]) => !m.retryable)
      if (retryable !== undefined && permanent !== undefined)
        it(`through the publisher, only failed entries are resent: ${retryable[0]} until delivered, ${permanent[0]} never`, async () => {
          const events = Array.from({ length: 5 }, (_, i) => makeEvent({ data: { i } }))
          const fault = (event: Event, rawCode: string, times?: number) => ({
            type: "entryError" as const,
            service,
            ...entryErrors.fault(rawCode, event),
            ...(times === undefined ? {} : { times }),
          })
          context
            .emulator()
            .faults.set([
              fault(events[1]!, retryable[0], 1),
              fault(events[3]!, retryable[0], 2),
              fault(events[4]!, permanent[0]),
            ])
          const publisher = createPublisher({
            destinations: { suite: adapter() },
            retry: { baseDelayMs: 1, maxDelayMs: 5, throttledBaseDelayMs: 1 },
          })
          try {
            const result = await publisher.publish(events)
            expect(result.counts.suite).toMatchObject({ delivered: 4, failed: 1, requests: 3 })
            expect(result.forEvent(events[3]!.id)[0]).toMatchObject({ _tag: "Delivered", attempts: 3 })
            expect(result.forEvent(events[4]!.id)[0]).toMatchObject({
              _tag: "Failed",
              error: { ...permanent[1], rawCode: permanent[0] },
              attempts: 1,
            })
            expect(
              context
                .emulator()
                .requests.list()
                .map((r) => r.entryCount),
            ).toEqual([5, 2, 1])
            expect(stored()).toBe(4)
          } finally {
            await publisher.close()
          }
        })

      const unknown = entryErrors.unknownCodeBecomes ?? { code: "Unknown", retryable: false }
      it(`an entry error code the table does not know is ${unknown.code}, ${unknown.retryable ? "retried" : "not retried"}`, async () => {
        expect(await failMiddle(entryErrors.unknownCode)).toMatchObject({
          ...unknown,
          rawCode: entryErrors.unknownCode,
        })
      })
    }

    if (options.requestErrors !== undefined && options.requestErrors.length > 0)
      it.each(
        options.requestErrors.map(
          (c) => [typeof c[0] === "string" ? c[0] : c[0].code, c[1].code, c] as const,
        ),
      )("whole-request error %s → %s, nothing stored", async (_rawCode, _code, [error, expected]) => {
        context.emulator().faults.set({ type: "requestError", error, times: 1 })
        const failure = await sendFailingBatch(adapter(), [makeEvent(), makeEvent()])
        expect(failure).toMatchObject(expected)
        expect(stored()).toBe(0)
      })

    const permanent = options.permanentRequestError
    if (permanent !== undefined)
      it(`through the publisher, a whole-request ${permanent.code} (${permanent.status}) is ${permanent.deliveryCode} and not retried`, async () => {
        context.emulator().faults.set({
          type: "requestError",
          error: { code: permanent.code, status: permanent.status },
        })
        const publisher = createPublisher({
          destinations: { suite: adapter() },
          retry: { baseDelayMs: 1, maxDelayMs: 5, throttledBaseDelayMs: 1 },
        })
        try {
          const result = await publisher.publish([makeEvent()])
          expect(result.outcomes).toMatchObject([
            {
              _tag: "Failed",
              error: { code: permanent.deliveryCode, retryable: false, rawCode: permanent.code },
            },
          ])
          expect(context.emulator().requests.counts().total).toBe(1)
        } finally {
          await publisher.close()
        }
      })

    if (options.serializesData) {
      it("data one level deeper than maxDataDepth is Rejected by rule maxDepth, naming depth and limit", () => {
        // Built past validation, which refuses data deeper than maxDataDepth itself.
        const result = adapter().encode({ ...makeEvent(), data: nestedData(maxDataDepth + 1) })
        expect(result).toMatchObject({
          _tag: "Rejected",
          violations: [
            expect.objectContaining({
              rule: "maxDepth",
              // The limit may be the service's own (EventBridge's is also 1000) or core's.
              message: expect.stringMatching(
                new RegExp(`^nests ${maxDataDepth + 1} levels deep; \\w+ takes at most ${maxDataDepth}$`),
              ),
            }),
          ],
        })
      })

      it("data exactly maxDataDepth deep is Encoded: the rule rejects only what is deeper", () => {
        expect(adapter().encode(makeEvent({ data: nestedData(maxDataDepth) }))._tag).toBe("Encoded")
      })

      it.each([4_200, 10_000])(
        "data %i levels deep ends Rejected by rule maxDepth through the publisher, never a stack overflow",
        async (depth) => {
          const publisher = createPublisher({ destinations: { suite: adapter() } })
          try {
            const result = await publisher.publish([
              { type: "eventport.suite", source: "eventport-suite", data: nestedData(depth) },
            ])
            // Core may reject it first (its own maxDataDepth rule): either way by rule, never a crash.
            expect(result.outcomes).toMatchObject([
              { _tag: "Rejected", violations: [expect.objectContaining({ rule: "maxDepth" })] },
            ])
            expect(context.emulator().requests.counts().total).toBe(0)
          } finally {
            await publisher.close()
          }
        },
      )
    }

    options.additionalTests?.(context)
  })
}
