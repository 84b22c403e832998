/**
 * What an adapter author supplies so the conformance suite can look at the destination from outside
 * and make it fail on cue. Small on purpose: the memory adapter implements it with its own fault
 * script, the AWS adapters with the emulator's store and fault API, a custom adapter with a test server.
 */
import type { Adapter, Event, EventInput } from "@eventport/core"

/** One entry the destination holds. */
export interface ReceivedEntry {
  /**
   * The id of the event the entry came from: the neutral `Event.id`, or the id `encode` sent instead
   * when it reported one (`Encoded.sentId`, e.g. a derived IoT messageId).
   */
  readonly eventId: string
  /** Identifies the request that delivered it (any value shared by that request's entries), when known. */
  readonly request?: string | number
  /**
   * The event's data as the destination holds it, decoded from its wire form: a JSON value, or bytes.
   * Bytes stand for the data itself when the event's data is binary, else for its UTF-8 JSON text
   * (as a destination that stores a payload blob holds it). When given, the hostile-input publish
   * check compares it with each delivered event's data (see {@link ConformanceHarness.carriedData}).
   */
  readonly data?: unknown
}

/** One request the destination saw, whether it accepted it or not. */
export interface ReceivedRequest {
  /** How many entries it carried. */
  readonly entries: number
  /** Its size by the destination's own size rule, when the destination measures it. */
  readonly bytes?: number
}

/** A per-entry failure to script. */
export interface EntryFaultSpec {
  /**
   * `true`: fail with an error the destination means as transient (e.g. its throttling or internal
   * error code); `false`: with one it means as permanent (e.g. its invalid-argument code).
   */
  readonly retryable: boolean
  /** Fail each listed event only the first `times` times it is sent (then accept it). Default: always. */
  readonly times?: number
}

export interface ConformanceFaults {
  /** Make the destination fail the entries of these events (matched by event id). */
  failEntries(eventIds: ReadonlyArray<string>, fault: EntryFaultSpec): void | Promise<void>
  /**
   * Make the next `n` requests fail whole: `throttle` with the destination's throttling error
   * (e.g. HTTP 429 / ThrottlingException), `internal` with its server error (e.g. HTTP 500).
   */
  failNextRequests(n: number, kind: "throttle" | "internal"): void | Promise<void>
  /** Remove every scripted fault. */
  clear(): void | Promise<void>
}

/** The adapter under test and its destination, as the conformance suite sees them. */
export interface ConformanceHarness {
  /** Names the suite, e.g. `eventbridge (emulator)`. */
  readonly name: string
  /** A fresh adapter sending to the harness's destination. The suite closes it after each check. */
  // biome-ignore lint/suspicious/noExplicitAny: an adapter's entry type is its own business
  makeAdapter(): Adapter<any> | Promise<Adapter<any>>
  /** Every entry the destination holds (since the last `reset`), in arrival order, duplicates included. */
  received(): ReadonlyArray<ReceivedEntry> | Promise<ReadonlyArray<ReceivedEntry>>
  /** Every request the destination saw since the last `reset`, when it can tell. Enables request-level limit checks. */
  requests?(): ReadonlyArray<ReceivedRequest> | Promise<ReadonlyArray<ReceivedRequest>>
  readonly faults: ConformanceFaults
  /** Forget what the destination holds and every scripted fault. Called before each check. */
  reset(): void | Promise<void>
  /**
   * A valid event for this destination (the suite sets its `id`). Needed when the destination has
   * payload rules; `payloadBytes` asks for about that many bytes of payload (honour it when you can:
   * the suite uses it to make requests that hit the byte limits).
   */
  validEvent?(index: number, options: { readonly payloadBytes: number }): EventInput
  /**
   * The event's data as the wire entry `encode` made of it carries it (same forms as
   * {@link ReceivedEntry.data}), e.g. `JSON.parse(entry.Detail)`. When given, the hostile-input encode
   * check asserts every encoded entry decodes back to its event's data.
   */
  // biome-ignore lint/suspicious/noExplicitAny: an adapter's entry type is its own business
  decodeEntry?(entry: any, event: Event): unknown
  /**
   * What the destination carries of an event's data, for adapters that map the data lossily (e.g.
   * only some fields, renamed); compared with `decodeEntry` and `ReceivedEntry.data`. Default: the
   * whole data.
   */
  carriedData?(event: Event): unknown
  /** Runs once before the checks (e.g. start a server). */
  setup?(): void | Promise<void>
  /** Runs once after the checks. */
  teardown?(): void | Promise<void>
}
