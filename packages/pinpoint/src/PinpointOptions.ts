/**
 * Options of the Pinpoint adapter. Destination specifics are options, never event fields: a
 * constant, or a function of the event (core `PerEvent`).
 */
import type { PinpointClient, PinpointClientConfig, PublicEndpoint } from "@aws-sdk/client-pinpoint"
import type { Event, OptionNames, PerEvent } from "@eventport/core"

/**
 * A Pinpoint session. `Id` and `StartTimestamp` are required by the model (`Session`). Timestamps
 * are sent as ISO 8601 strings; a `Date` is converted.
 */
export interface PinpointSession {
  readonly Id: string
  readonly StartTimestamp: string | Date
  readonly StopTimestamp?: string | Date
  /** Milliseconds. */
  readonly Duration?: number
}

/** Options of {@link pinpoint}. */
export interface PinpointOptions {
  /** The Pinpoint project (application) id, constant or per event. Requests never mix two. */
  readonly applicationId: PerEvent<string>
  /**
   * The endpoint id the event is recorded for. Default: the event's `subject`. An event with neither
   * is Rejected (field `subject`, rule `required`).
   */
  readonly endpointId?: PerEvent<string | undefined>
  /**
   * The `Endpoint` object sent with the endpoint's events. Default `{}`. When two events in one
   * request share an endpoint id, the first event's Endpoint is sent for both (one EventsBatch per
   * endpoint id): keep it a function of the endpoint id.
   */
  readonly endpoint?: PerEvent<PublicEndpoint>
  /** `EventType`. Default: the event's `type`. */
  readonly eventType?: PerEvent<string>
  /**
   * `Attributes`. Default: the string fields at the top level of an object `data`. Other fields are
   * not sent as attributes.
   */
  readonly attributes?: (event: Event) => Readonly<Record<string, string>>
  /**
   * `Metrics`. Default: the finite number fields at the top level of an object `data`. Other fields are
   * not sent as metrics.
   */
  readonly metrics?: (event: Event) => Readonly<Record<string, number>>
  /** `Session`, validated (Id and StartTimestamp required). Default: none. */
  readonly session?: PerEvent<PinpointSession | undefined>
  /**
   * A preconfigured client, used as given (its retry settings included) and never destroyed by the
   * adapter. Give either `client` or `clientConfig`.
   */
  readonly client?: PinpointClient
  /**
   * Configuration for a client the adapter makes and destroys on close. `maxAttempts` is forced to 1:
   * the publisher retries only the failed events, so SDK retries would multiply requests.
   */
  readonly clientConfig?: PinpointClientConfig
}

/** Every option's name, held to {@link PinpointOptions} by the compiler: `pinpoint` refuses any other. */
export const pinpointOptionNames = {
  applicationId: true,
  endpointId: true,
  endpoint: true,
  eventType: true,
  attributes: true,
  metrics: true,
  session: true,
  client: true,
  clientConfig: true,
} as const satisfies OptionNames<PinpointOptions>
