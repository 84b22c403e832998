/**
 * Every (event, destination) pair ends in exactly one {@link Outcome}. Nothing is silent.
 */
import type { DeliveryError } from "./DeliveryError.ts"
import type { Event, Violation } from "./Event.ts"

/** The destination accepted the event. */
export interface Delivered {
  readonly _tag: "Delivered"
  readonly destination: string
  readonly eventId: string
  readonly event: Event
  /** The destination's receipt, e.g. EventBridge's EventId. */
  readonly receipt?: string
  /** The id actually sent, when the adapter had to derive one (e.g. an IoT Events messageId). */
  readonly sentId?: string
  /** Requests that carried the event, this one included. */
  readonly attempts: number
  /**
   * `true` when an earlier request that carried the event ended with an unknown outcome (e.g. a
   * timeout after it was sent): the destination may hold the event more than once. Absent otherwise.
   */
  readonly possibleDuplicate?: boolean
}

/** Invalid for this destination, found before any network call. */
export interface Rejected {
  readonly _tag: "Rejected"
  readonly destination: string
  readonly eventId: string
  /** The event, or what the caller passed when it was not even a valid event. */
  readonly event: Event | unknown
  readonly violations: ReadonlyArray<Violation>
  /** One sentence naming the event, the field and the rule. */
  readonly message: string
}

/** The destination refused the event, or retries ran out. */
export interface Failed {
  readonly _tag: "Failed"
  readonly destination: string
  readonly eventId: string
  readonly event: Event
  readonly error: DeliveryError
  readonly attempts: number
}

export type Outcome = Delivered | Rejected | Failed

/**
 * Builds a {@link Delivered} outcome. Optional fields are set only when given, so an outcome never
 * carries `receipt: undefined`. Positional on purpose: the engine builds one per delivered pair it
 * keeps, and an options object would be one more allocation per event.
 */
export const deliveredOutcome = (
  destination: string,
  event: Event,
  attempts: number,
  receipt?: string,
  sentId?: string,
  possibleDuplicate?: boolean,
): Delivered => {
  const outcome: { -readonly [K in keyof Delivered]: Delivered[K] } = {
    _tag: "Delivered",
    destination,
    eventId: event.id,
    event,
    attempts,
  }
  if (receipt !== undefined) outcome.receipt = receipt
  if (sentId !== undefined) outcome.sentId = sentId
  if (possibleDuplicate === true) outcome.possibleDuplicate = true
  return outcome
}

/**
 * Builds a {@link Rejected} outcome with its message ({@link rejectionMessage}). `eventId` is the
 * event's id, or a name for an input that was not even a valid event (e.g. `input[3]`).
 */
export const rejectedOutcome = (
  destination: string,
  eventId: string,
  event: Event | unknown,
  violations: ReadonlyArray<Violation>,
): Rejected => ({
  _tag: "Rejected",
  destination,
  eventId,
  event,
  violations,
  message: rejectionMessage(eventId, destination, violations),
})

/** Builds a {@link Failed} outcome. */
export const failedOutcome = (
  destination: string,
  event: Event,
  error: DeliveryError,
  attempts: number,
): Failed => ({ _tag: "Failed", destination, eventId: event.id, event, error, attempts })

export const isDelivered = (o: Outcome): o is Delivered => o._tag === "Delivered"
export const isRejected = (o: Outcome): o is Rejected => o._tag === "Rejected"
export const isFailed = (o: Outcome): o is Failed => o._tag === "Failed"

/** Per-destination counts. */
export interface DestinationCounts {
  delivered: number
  rejected: number
  failed: number
  /**
   * Failed with `outcomeUnknown`: a request that carried them may have been applied, so the
   * destination may hold them (possible duplicates on resend).
   */
  outcomeUnknown: number
  /**
   * Delivered with `possibleDuplicate`: an earlier request that carried them ended with an unknown
   * outcome, so the destination may hold them twice.
   */
  possibleDuplicates: number
  /** Requests sent, retries included. */
  requests: number
  /** Entries resent after a retryable failure. */
  retried: number
}

export const emptyCounts = (): DestinationCounts => ({
  delivered: 0,
  rejected: 0,
  failed: 0,
  outcomeUnknown: 0,
  possibleDuplicates: 0,
  requests: 0,
  retried: 0,
})

/** What the dead-letter destination did with the Rejected and Failed outcomes it was given. */
export interface DeadLetterCounts {
  /** Dead letters the dead-letter destination accepted. */
  readonly sent: number
  /** Dead letters it refused, could not take, or that were still unsent at close. */
  readonly failed: number
}

/** Builds the message of a {@link Rejected} outcome. */
export const rejectionMessage = (
  eventId: string,
  destination: string,
  violations: ReadonlyArray<Violation>,
): string =>
  `event ${eventId} rejected for ${destination}: ${violations.map((v) => `${v.field} ${v.message} (${v.rule})`).join("; ")}`

/**
 * The result of one publish (or of a flush/close of the buffered producer). The single source of
 * truth in tests: every (event, destination) pair appears once in `outcomes`, unless the caller
 * asked not to retain outcomes, in which case the counts still hold every pair.
 */
export class PublishResult {
  readonly outcomes: ReadonlyArray<Outcome>
  readonly counts: Readonly<Record<string, Readonly<DestinationCounts>>>
  /** Valid events that no destination's route accepted. Reported, never dropped silently. */
  readonly unrouted: ReadonlyArray<Event>
  /** How many events were unrouted, also when `retainOutcomes: "none"` kept no list. */
  readonly unroutedCount: number
  /** Dead letters sent and failed (all zero without `PublisherOptions.deadLetter`). */
  readonly deadLetters: DeadLetterCounts
  /**
   * Events of a `publish` input left unread because the publisher closed meanwhile: they got no
   * outcome. Exact for arrays; for iterables and streams, see {@link inputCutShort}.
   */
  readonly unread: number
  /** `publish` stopped reading its input before its end because the publisher closed. */
  readonly inputCutShort: boolean
  private byId: Map<string, Array<Outcome>> | undefined

  constructor(args: {
    outcomes: ReadonlyArray<Outcome>
    counts: Readonly<Record<string, Readonly<DestinationCounts>>>
    unrouted?: ReadonlyArray<Event>
    unroutedCount?: number
    deadLetters?: DeadLetterCounts
    unread?: number
    inputCutShort?: boolean
  }) {
    this.outcomes = args.outcomes
    this.counts = args.counts
    this.unrouted = args.unrouted ?? []
    this.unroutedCount = args.unroutedCount ?? this.unrouted.length
    this.deadLetters = args.deadLetters ?? { sent: 0, failed: 0 }
    this.unread = args.unread ?? 0
    this.inputCutShort = args.inputCutShort ?? false
  }

  /** True when every (event, destination) pair was delivered, every event routed and the whole input read. */
  get ok(): boolean {
    if (this.unroutedCount > 0 || this.inputCutShort) return false
    for (const c of Object.values(this.counts)) if (c.failed > 0 || c.rejected > 0) return false
    return true
  }

  get delivered(): number {
    return this.sum("delivered")
  }
  get rejected(): number {
    return this.sum("rejected")
  }
  get failed(): number {
    return this.sum("failed")
  }
  /** Delivered pairs the destination may hold twice (see {@link Delivered.possibleDuplicate}), all destinations. */
  get possibleDuplicates(): number {
    return this.sum("possibleDuplicates")
  }

  /** Outcomes of one event, one per destination it was routed to. */
  forEvent(eventId: string): ReadonlyArray<Outcome> {
    if (this.byId === undefined) {
      this.byId = new Map()
      for (const o of this.outcomes) {
        const list = this.byId.get(o.eventId)
        if (list) list.push(o)
        else this.byId.set(o.eventId, [o])
      }
    }
    return this.byId.get(eventId) ?? []
  }

  /** Outcomes for one destination. */
  forDestination(destination: string): ReadonlyArray<Outcome> {
    return this.outcomes.filter((o) => o.destination === destination)
  }

  /** Everything that was not delivered. */
  get problems(): ReadonlyArray<Rejected | Failed> {
    return this.outcomes.filter((o): o is Rejected | Failed => o._tag !== "Delivered")
  }

  private sum(key: keyof DestinationCounts): number {
    let n = 0
    for (const c of Object.values(this.counts)) n += c[key]
    return n
  }
}
