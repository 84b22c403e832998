/**
 * Options of the IoT Events adapter. Destination specifics are options, never event fields: a
 * constant, or a function of the event (core `PerEvent`).
 */
import type { IoTEventsDataClient, IoTEventsDataClientConfig } from "@aws-sdk/client-iot-events-data"
import type { Event, JsonValue, OptionNames, PerEvent } from "@eventport/core"
import { documentedMaxBatchPayloadBytes } from "./limits.ts"

export interface IotEventsOptions {
  /** The IoT Events input each message goes to. Per message, so one request can carry several inputs. */
  readonly inputName: PerEvent<string>
  /**
   * A preconfigured client, used as given (its retry settings included) and never destroyed by the
   * adapter. Give either `client` or `clientConfig`.
   */
  readonly client?: IoTEventsDataClient
  /**
   * Configuration for a client the adapter makes and destroys on close. `maxAttempts` is forced to 1:
   * the publisher retries only the failed messages, so SDK retries would multiply requests.
   */
  readonly clientConfig?: IoTEventsDataClientConfig
  /**
   * The message payload. Default: the event's `data` as JSON text, or its bytes when binary. Bytes are
   * sent as they are; any other value is sent as its JSON text. Never base64-encode it yourself: the
   * SDK does that for the transport.
   */
  readonly payload?: (event: Event) => Uint8Array | JsonValue
  /**
   * Most payload bytes per request. Default {@link defaultMaxRequestBytes}: the documented "1024
   * Bytes (1 KiB)" per batch, whose meaning is unverified (see README). If your inputs take more,
   * raise it; if the figure is per message in your account, set `maxRequestBytes: Infinity` and
   * `maxEntryBytes: 1024`.
   */
  readonly maxRequestBytes?: number
  /** Most payload bytes per message. Default: `maxRequestBytes` (one message alone must fit a request). */
  readonly maxEntryBytes?: number
}

/** Every option's name, held to {@link IotEventsOptions} by the compiler: `iotEvents` refuses any other. */
export const iotEventsOptionNames = {
  inputName: true,
  client: true,
  clientConfig: true,
  payload: true,
  maxRequestBytes: true,
  maxEntryBytes: true,
} as const satisfies OptionNames<IotEventsOptions>

/** Default of {@link IotEventsOptions.maxRequestBytes}: 1024, as the API reference words it (unverified). */
export const defaultMaxRequestBytes: number = documentedMaxBatchPayloadBytes
