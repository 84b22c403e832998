/**
 * Options of the EventBridge adapter. Destination specifics are options, never event fields: a
 * constant, or a function of the event (core `PerEvent`).
 */
import type { EventBridgeClient, EventBridgeClientConfig } from "@aws-sdk/client-eventbridge"
import type { Event, JsonValue, OptionNames, PerEvent } from "@eventport/core"
import { maxRequestBytes } from "./limits.ts"

/** A JSON object, the only shape EventBridge accepts as `Detail`. */
export type JsonObject = { readonly [key: string]: JsonValue }

export interface EventBridgeOptions {
  /**
   * A preconfigured client, used as given (its retry settings included) and never destroyed by the
   * adapter. Give either `client` or `clientConfig`.
   */
  readonly client?: EventBridgeClient
  /**
   * Configuration for a client the adapter makes and destroys on close. `maxAttempts` is forced to 1:
   * the publisher retries only the failed entries, so SDK retries would multiply requests.
   */
  readonly clientConfig?: EventBridgeClientConfig
  /** `EventBusName` of each entry: a name or ARN. Per entry, so one request can carry several buses. Default: the account's default bus. */
  readonly eventBusName?: PerEvent<string | undefined>
  /** `Resources` of each entry (ARNs the event concerns), each at most 2048 characters. Default: none. */
  readonly resources?: PerEvent<ReadonlyArray<string> | undefined>
  /** `TraceHeader` of each entry: an X-Ray trace header, 1–500 characters. Default: none. */
  readonly traceHeader?: PerEvent<string | undefined>
  /**
   * Global endpoint id (`EndpointId`, e.g. `abcde.veo`). Per request, so a constant. The SDK then signs
   * with SigV4a, which needs `@aws-sdk/signature-v4-crt` (or `@aws-sdk/signature-v4a`) installed.
   */
  readonly endpointId?: string
  /**
   * Builds `Detail` from the event. Default: the event's `data`, which must then be a JSON object
   * (see `wrapNonObjectData`).
   */
  readonly detail?: (event: Event) => JsonObject
  /**
   * Sends data that is not a JSON object instead of rejecting it: a JSON value `v` becomes
   * `{ "data": v }`, binary data becomes `{ "data_base64": "<base64>" }` (the CloudEvents JSON
   * format's member for binary data). Default {@link defaultWrapNonObjectData}.
   */
  readonly wrapNonObjectData?: boolean
  /**
   * Most bytes per request by AWS's entry-size rule; one entry may be as large. Default
   * {@link defaultMaxRequestBytes}: 1,000,000, the safe reading of the "1MB" AWS documents since
   * January 2026. Set `262_144` (`limits.maxRequestBytesBefore2026`) for buses, partitions or
   * Regions that still have the 256 KiB limit.
   */
  readonly maxRequestBytes?: number
}

/** Every option's name, held to {@link EventBridgeOptions} by the compiler: `eventBridge` refuses any other. */
export const eventBridgeOptionNames = {
  client: true,
  clientConfig: true,
  eventBusName: true,
  resources: true,
  traceHeader: true,
  endpointId: true,
  detail: true,
  wrapNonObjectData: true,
  maxRequestBytes: true,
} as const satisfies OptionNames<EventBridgeOptions>

/** Default of {@link EventBridgeOptions.maxRequestBytes}: 1,000,000 bytes (the 2026 "1MB"). */
export const defaultMaxRequestBytes: number = maxRequestBytes

/** Default of {@link EventBridgeOptions.wrapNonObjectData}: non-object data is rejected. */
export const defaultWrapNonObjectData = false
