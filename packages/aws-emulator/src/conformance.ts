/**
 * The emulator as an adapter's test destination: a `ConformanceHarness` for `@eventport/testkit`'s
 * `describeAdapterConformance`, and the one-request helpers adapter tests use next to it. The store
 * answers what was received, the fault API fails entries and requests on cue.
 *
 * `@eventport/testkit`, `@eventport/core` and `effect` are optional peers: only this entry point
 * needs them, and only as the adapter under test already does.
 */
import type { Adapter, DeliveryError, Encoded, EntryResult, Event, SendResult } from "@eventport/core"
import type { ConformanceHarness } from "@eventport/testkit"
import { Effect } from "effect"
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

/** The entry fault that fails one event's entry, without `type`, `service` and `times` (the harness sets them). */
export type EntryFaultSpec = Omit<EntryErrorFault, "type" | "service" | "times">

/** How the harness reads a service's store and scripts its entry faults. */
export interface ConformanceService<S extends ServiceName> {
  /** The event id an entry the emulator accepted came from (or the id the adapter sent instead). */
  readonly eventIdOf: (entry: EntryTypes[S]) => string
  /** Fails the entry of `eventId`: with an error the service means as transient when `retryable`, else a permanent one. */
  readonly entryFault: (eventId: string, retryable: boolean) => EntryFaultSpec
  /**
   * The event's data as an accepted entry holds it (testkit `ReceivedEntry.data`), where the service
   * carries the data whole: the EventBridge Detail, the IoT payload bytes. Pinpoint has none: its
   * adapter maps data to Attributes and Metrics, which the adapter's own test describes.
   */
  readonly dataOf?: (entry: EntryTypes[S]) => unknown
  /** The event's data as the adapter's SDK entry carries it (testkit `ConformanceHarness.decodeEntry`). */
  readonly decodeEntry?: ConformanceHarness["decodeEntry"]
}

/**
 * IoT Events and IoT Analytics alike: the messageId is the event id (or the one the adapter derived),
 * the payload blob the data's bytes or its UTF-8 JSON text (testkit reads both).
 */
const iotMessages = {
  eventIdOf: (entry: { readonly messageId: string }) => entry.messageId,
  entryFault: (eventId: string, retryable: boolean): EntryFaultSpec => ({
    code: retryable ? "InternalFailureException" : "InvalidRequestException",
    match: { id: eventId },
  }),
  dataOf: (entry: { readonly payload: Uint8Array }) => entry.payload,
  decodeEntry: (entry: { readonly payload?: Uint8Array }) => entry.payload,
}

/**
 * The data of a CloudEvents JSON message body (the SQS and SNS adapters' default): `data` as it is,
 * `data_base64` as bytes, `undefined` when the body is not such a CloudEvent.
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
 * The data readings expect the adapters' default mapping (Detail = the data's JSON, payload = the
 * data's JSON text or bytes).
 */
export const conformanceServices: { readonly [S in ServiceName]: ConformanceService<S> } = {
  eventbridge: {
    eventIdOf: (entry) => entry.traceHeader ?? "",
    entryFault: (eventId, retryable) => ({
      code: retryable ? "ThrottlingException" : "MalformedDetail",
      match: { TraceHeader: eventId },
    }),
    dataOf: (entry) => JSON.parse(entry.detail),
    decodeEntry: (entry: { readonly Detail?: string }) =>
      entry.Detail === undefined ? undefined : JSON.parse(entry.Detail),
  },
  iotevents: iotMessages,
  iotanalytics: iotMessages,
  pinpoint: {
    eventIdOf: (entry) => entry.eventId,
    entryFault: (eventId, retryable) => ({ statusCode: retryable ? 500 : 400, match: { id: eventId } }),
  },
  sqs: {
    eventIdOf: (entry) => entry.id,
    entryFault: batchEntryFault,
    dataOf: (entry) => cloudEventData(entry.body),
    decodeEntry: (entry: { readonly MessageBody?: string }) => cloudEventData(entry.MessageBody),
  },
  sns: {
    eventIdOf: (entry) => entry.id,
    entryFault: (eventId, retryable) =>
      retryable
        ? batchEntryFault(eventId, true)
        : { code: "InvalidParameter", senderFault: true, statusCode: 400, match: { id: eventId } },
    dataOf: (entry) => cloudEventData(entry.message),
    decodeEntry: (entry: { readonly Message?: string }) => cloudEventData(entry.Message),
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
   * Override the service's data readings (`conformanceServices[service]`) when the adapter maps the
   * data its own way, e.g. a custom `detail` or `payload` option, or Pinpoint's Attributes and Metrics;
   * `carriedData` then says what of the data that mapping carries (testkit `carriedData`).
   */
  readonly dataOf?: ConformanceService<S>["dataOf"]
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
  const dataOf = options.dataOf ?? conformanceServices[service].dataOf
  const decodeEntry = options.decodeEntry ?? conformanceServices[service].decodeEntry
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

/** The error of a failed entry result; throws for a success or a missing result. */
export const entryErrorOf = (result: EntryResult | undefined): DeliveryError => {
  if (result === undefined || result.ok)
    throw new Error(`expected a failed entry, got ${JSON.stringify(result)}`)
  return result.error
}
