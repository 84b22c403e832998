/**
 * Options of the IoT Analytics adapter. Destination specifics are options, never event fields: a
 * constant, or a function of the event (core `PerEvent`).
 */
import type { IoTAnalyticsClient, IoTAnalyticsClientConfig } from "@aws-sdk/client-iotanalytics"
import type { Event, JsonValue, OptionNames, PerEvent } from "@eventport/core"
import { unverifiedMaxMessageBytes } from "./limits.ts"

/** Which reading of the payload field-name rule to enforce (the model's prose and regex disagree). */
export type FieldNameRule = "prose" | "documentedRegex"

/** Options of {@link iotAnalytics}. */
export interface IotAnalyticsOptions {
  /**
   * The channel each message goes to, as a constant or per event. Per request, so events for
   * different channels never share one (the batch key). A constant is checked once when the adapter
   * is made (the factory throws); a function's result is checked per event (the event is Rejected).
   */
  readonly channelName: PerEvent<string>
  /**
   * A preconfigured client, used as given (its retry settings included) and never destroyed by the
   * adapter. Give either `client` or `clientConfig`.
   */
  readonly client?: IoTAnalyticsClient
  /**
   * Configuration for a client the adapter makes and destroys on close. `maxAttempts` is forced to 1:
   * the publisher retries only the failed messages, so SDK retries would multiply requests.
   */
  readonly clientConfig?: IoTAnalyticsClientConfig
  /**
   * The message payload. Default: the event's `data` (bytes as they are, anything else as JSON).
   * Bytes are sent raw and the field-name rules do not apply to them.
   */
  readonly payload?: (event: Event) => Uint8Array | JsonValue
  /**
   * Largest payload in bytes. Default {@link defaultMaxEntryBytes} (128 KiB), a figure that could
   * not be verified against AWS's quota table.
   */
  readonly maxEntryBytes?: number
  /** @deprecated The same as {@link maxEntryBytes}, its former name; `maxEntryBytes` wins if both are given. */
  readonly maxMessageBytes?: number
  /** Field-name rule for JSON payloads. Default `"prose"` (see README). */
  readonly fieldNameRule?: FieldNameRule
}

/** Every option's name, held to {@link IotAnalyticsOptions} by the compiler: `iotAnalytics` refuses any other. */
export const iotAnalyticsOptionNames = {
  channelName: true,
  client: true,
  clientConfig: true,
  payload: true,
  maxEntryBytes: true,
  maxMessageBytes: true,
  fieldNameRule: true,
} as const satisfies OptionNames<IotAnalyticsOptions>

/** Default of {@link IotAnalyticsOptions.maxEntryBytes}: 128 KiB (unverified, see `limits`). */
export const defaultMaxEntryBytes: number = unverifiedMaxMessageBytes

/** @deprecated The former name of {@link defaultMaxEntryBytes}. */
export const defaultMaxMessageBytes: number = defaultMaxEntryBytes

/** Default of {@link IotAnalyticsOptions.fieldNameRule}. */
export const defaultFieldNameRule: FieldNameRule = "prose"

/** The values {@link IotAnalyticsOptions.fieldNameRule} takes. */
export const fieldNameRules: ReadonlyArray<FieldNameRule> = ["prose", "documentedRegex"]
