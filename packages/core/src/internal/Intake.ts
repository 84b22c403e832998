/**
 * The per-event hot path: read the input one window at a time, then one plain loop per window to
 * validate, route and encode, and the packers. No fiber and no Effect per event; the Effects start
 * at request granularity. Events that will not be sent (buffer overflow, publisher closed) go
 * through the same validate-and-route loop, so both agree on who gets an outcome.
 */
import * as Effect from "effect/Effect"
import type * as Stream from "effect/Stream"
// Effect's Stream, loaded the first time a Stream or an async iterable is published (StreamIntakeLoader.ts).
import { loadStreamIntake, type StreamIntake } from "#stream-intake-loader"
import type { DeliveryError } from "../DeliveryError.ts"
import { type Event, type Violation, validateEvent } from "../Event.ts"
import { failedOutcome, rejectedOutcome } from "../Outcome.ts"
import { BatchPacker, type PackedBatch, type PackRejection } from "../Packing.ts"
import { PublishInputError } from "../PublisherError.ts"
import type { Destination } from "./Destination.ts"
import { encodeEntry } from "./Encode.ts"
import { IntakeWindow } from "./IntakeWindow.ts"
import type { Entry } from "./Job.ts"
import { OrderedPacker } from "./OrderedPacker.ts"
import type { Run } from "./Run.ts"
import { describeThrown } from "./Thrown.ts"

/** What `publish` reads: an array, an iterable, an async iterable or an Effect Stream of inputs. */
export type IntakeInput<E> =
  | ReadonlyArray<unknown>
  | Iterable<unknown>
  | AsyncIterable<unknown>
  | Stream.Stream<unknown, E>

const inputError = (message: string, cause: unknown) => new PublishInputError({ message, cause })

/** The input had no id of its own (read guarded: a getter that threw for validation is not read twice). */
const hasNoId = (input: unknown): boolean => {
  try {
    return (input as { id?: unknown }).id === undefined
  } catch {
    return false
  }
}

const largestBytes = (entries: ReadonlyArray<Entry>): number => {
  let largest = 0
  for (let i = 0; i < entries.length; i++) if (entries[i]!.bytes > largest) largest = entries[i]!.bytes
  return largest
}

export class Intake {
  private readonly packers: Array<BatchPacker<Entry> | OrderedPacker<Entry>>
  private readonly routed: Array<Array<Entry>>
  private readonly rejectedCount: Array<number>
  private readonly failedCount: Array<number>
  private readonly batches: Array<Array<PackedBatch<Entry>>>
  /** Position in the input, to name events that have no id. */
  private index = 0
  private readonly window: IntakeWindow

  constructor(
    private readonly destinations: ReadonlyArray<Destination>,
    private readonly run: Run,
    windowSize: number,
  ) {
    this.window = new IntakeWindow(
      destinations.map((d) => ({ limits: d.adapter.limits, ordered: d.ordering !== "off" })),
      windowSize,
    )
    this.packers = destinations.map((d) =>
      d.ordering === "off"
        ? new BatchPacker<Entry>(d.adapter.limits, windowSize)
        : new OrderedPacker<Entry>(d.adapter.limits, windowSize, d.ordering === "strict"),
    )
    this.routed = destinations.map(() => [])
    this.rejectedCount = destinations.map(() => 0)
    this.failedCount = destinations.map(() => 0)
    this.batches = destinations.map(() => [])
  }

  /** How many inputs to read next: the full window, or a shallow one while entries are small (IntakeWindow.ts). */
  get windowSize(): number {
    return this.window.size
  }

  /**
   * Reads a `publish` input one window at a time and takes each; stops early once `stopped()`
   * (the publisher closed), noting in the run what was left unread. `lingerMs`: how long a stream
   * may take to fill a window before a short one is sent.
   */
  feed<E>(
    input: IntakeInput<E>,
    lingerMs: number,
    stopped: () => boolean,
  ): Effect.Effect<void, E | PublishInputError> {
    try {
      if (Array.isArray(input)) return this.feedArray(input, stopped)
      if (Symbol.asyncIterator in (input as object))
        return Effect.flatMap(loadStreamIntake, (streams) =>
          this.feedStream(streams, input as AsyncIterable<unknown>, lingerMs, stopped),
        )
      // An Effect Stream is neither iterable nor async iterable: only inputs that are neither
      // load the Stream module to tell, so a publisher given arrays or iterables never loads it.
      if (Symbol.iterator in (input as object)) return this.feedIterable(input as Iterable<unknown>, stopped)
      return Effect.flatMap(loadStreamIntake, (streams) =>
        streams.isStream(input)
          ? this.feedStream(streams, input as Stream.Stream<unknown, E>, lingerMs, stopped)
          : this.feedIterable(input as Iterable<unknown>, stopped),
      )
    } catch (cause) {
      // Not even its kind could be read (a revoked proxy, a throwing trap): nothing was taken.
      return Effect.fail(inputError("the input given to publish could not be read", cause))
    }
  }

  private feedArray(
    events: ReadonlyArray<unknown>,
    stopped: () => boolean,
  ): Effect.Effect<void, PublishInputError> {
    const intake = this
    return Effect.gen(function* () {
      let i = 0
      while (i < events.length && !stopped()) {
        let window: Array<unknown>
        try {
          window = events.slice(i, i + intake.windowSize)
        } catch (cause) {
          // An array-like proxy whose traps throw: what was taken is settled, the rest not read.
          return yield* Effect.fail(inputError("the array given to publish threw while it was read", cause))
        }
        i += window.length
        yield* intake.take(window, false)
      }
      if (i < events.length) {
        intake.run.cutShort(events.length - i)
      }
    })
  }

  private feedStream<E>(
    streams: StreamIntake,
    input: Stream.Stream<unknown, E> | AsyncIterable<unknown>,
    lingerMs: number,
    stopped: () => boolean,
  ): Effect.Effect<void, E | PublishInputError> {
    // A stream is cut into windows once, at their full size.
    const windowSize = this.window.full
    return streams.feedStream(input, windowSize, lingerMs, (window) =>
      // A short window means the input paused: send it rather than keep it for topping up.
      Effect.map(this.take(window, window.length < windowSize), () => {
        if (stopped()) this.run.cutShort()
        return !stopped()
      }),
    )
  }

  /**
   * Reads a sync iterable a window at a time. One that throws is treated as the async path treats
   * it: the events read before are taken (and get outcomes), then the publish fails with
   * `PublishInputError`.
   */
  private feedIterable(
    input: Iterable<unknown>,
    stopped: () => boolean,
  ): Effect.Effect<void, PublishInputError> {
    const intake = this
    return Effect.gen(function* () {
      let iterator: Iterator<unknown>
      try {
        iterator = input[Symbol.iterator]()
      } catch (cause) {
        return yield* Effect.fail(inputError("the iterable given to publish threw", cause))
      }
      while (true) {
        if (stopped()) {
          intake.run.cutShort()
          return
        }
        const window: Array<unknown> = []
        const windowSize = intake.windowSize
        let done = false
        let failure: PublishInputError | undefined
        try {
          while (window.length < windowSize) {
            const next = iterator.next()
            if (next.done === true) {
              done = true
              break
            }
            window.push(next.value)
          }
        } catch (cause) {
          failure = inputError("the iterable given to publish threw", cause)
        }
        if (window.length > 0) yield* intake.take(window, false)
        if (failure !== undefined) return yield* Effect.fail(failure)
        if (done) return
      }
    })
  }

  /**
   * Takes one window of input. With `final`, partly filled requests are sent too; otherwise they
   * wait for the next window to top them up.
   */
  take(window: ReadonlyArray<unknown>, final: boolean): Effect.Effect<void> {
    return Effect.suspend(() => {
      this.admit(window, undefined)
      for (let d = 0; d < this.destinations.length; d++) {
        const entries = this.routed[d]!
        this.routed[d] = []
        if (entries.length > 0) this.window.observe(d, largestBytes(entries))
        this.packers[d]!.pack(entries, final, this.emitFor(d), this.rejectFor(d))
      }
      return this.dispatch()
    })
  }

  /** Sends every partly filled request (end of input). */
  get finish(): Effect.Effect<void> {
    return Effect.suspend(() => {
      for (let d = 0; d < this.destinations.length; d++) this.packers[d]!.drain(this.emitFor(d))
      return this.dispatch()
    })
  }

  /**
   * Settles events that will not be sent (buffer overflow, publisher closed): `Failed` with
   * `error` for every destination they would have gone to.
   */
  refuse(window: ReadonlyArray<unknown>, error: DeliveryError): Effect.Effect<void> {
    return Effect.suspend(() => {
      this.admit(window, error)
      return this.dispatch()
    })
  }

  /**
   * The one validate-and-route loop. Invalid input is rejected for every destination; a route
   * that throws rejects the pair, naming the event and the cause. Each routed pair is then encoded
   * for its destination or, with `refusal`, ends `Failed` with it unsent.
   */
  private admit(window: ReadonlyArray<unknown>, refusal: DeliveryError | undefined) {
    const destinations = this.destinations
    for (let i = 0; i < window.length; i++) {
      const input = window[i]
      const position = this.index++
      const validation = validateEvent(input)
      if (!validation.ok) {
        this.rejectInvalid(input, position, validation.eventId, validation.violations)
        continue
      }
      const event = validation.event
      // An id the engine generated cannot collide: the packer need not check it for duplicates.
      const generatedId = hasNoId(input)
      let routed = false
      for (let d = 0; d < destinations.length; d++) {
        const route = destinations[d]!.route
        if (route !== undefined) {
          let take: boolean
          try {
            take = route(event)
          } catch (error) {
            this.reject(d, event, [
              {
                field: "(route)",
                rule: "route",
                message: `the route predicate threw ${describeThrown(error)}`,
              },
            ])
            routed = true
            continue
          }
          if (!take) continue
        }
        routed = true
        if (refusal === undefined) this.encode(d, event, generatedId)
        else this.fail(d, event, refusal)
      }
      if (!routed) this.run.recordUnrouted(event)
    }
  }

  private encode(d: number, event: Event, generatedId: boolean) {
    const encoded = encodeEntry(this.destinations[d]!.adapter, event, generatedId)
    if (encoded._tag === "Entry") this.routed[d]!.push(encoded)
    else if (encoded._tag === "Rejected") this.reject(d, event, encoded.violations)
    else this.fail(d, event, encoded)
  }

  private rejectInvalid(
    input: unknown,
    position: number,
    id: string | undefined,
    violations: ReadonlyArray<Violation>,
  ) {
    // Routing cannot run on an invalid event: it is rejected for every destination.
    const eventId = id ?? `input[${position}]`
    for (let d = 0; d < this.destinations.length; d++) {
      this.rejectedCount[d]!++
      this.run.record(rejectedOutcome(this.destinations[d]!.name, eventId, input, violations))
    }
  }

  private reject(d: number, event: Event, violations: ReadonlyArray<Violation>) {
    this.rejectedCount[d]!++
    this.run.record(rejectedOutcome(this.destinations[d]!.name, event.id, event, violations))
  }

  private fail(d: number, event: Event, error: DeliveryError) {
    this.failedCount[d]!++
    this.run.record(failedOutcome(this.destinations[d]!.name, event, error, 0))
  }

  private emitFor(d: number) {
    const batches = this.batches[d]!
    return (batch: PackedBatch<Entry>) => {
      batches.push(batch)
    }
  }

  private rejectFor(d: number) {
    return (r: PackRejection<Entry>) => {
      const limit =
        r.rule === "maxEntryBytes" ? "the entry limit" : "the room of an empty request (maxRequestBytes)"
      this.reject(d, r.item.event, [
        {
          field: "(entry)",
          rule: r.rule,
          message: `is ${r.bytes} bytes encoded, over ${limit} of ${r.limit} bytes`,
        },
      ])
    }
  }

  /**
   * Hands the packed requests to their destinations and updates the metrics of what ended here.
   * Destinations are fed side by side, so a full queue of one does not hold back the others' requests.
   */
  private dispatch(): Effect.Effect<void> {
    return Effect.andThen(
      this.run.flushDeadLetters,
      Effect.suspend(() => this.dispatchBatches()),
    )
  }

  private dispatchBatches(): Effect.Effect<void> {
    const work: Array<Effect.Effect<void>> = []
    const run = this.run
    for (let d = 0; d < this.destinations.length; d++) {
      const destination = this.destinations[d]!
      const rejected = this.rejectedCount[d]!
      const failed = this.failedCount[d]!
      const batches = this.batches[d]!
      if (rejected === 0 && failed === 0 && batches.length === 0) continue
      this.rejectedCount[d] = 0
      this.failedCount[d] = 0
      this.batches[d] = []
      work.push(
        Effect.andThen(
          destination.countSettled(rejected, failed),
          Effect.suspend(() => destination.submitAll(batches, run)),
        ),
      )
    }
    if (work.length === 0) return Effect.void
    if (work.length === 1) return work[0]!
    return Effect.all(work, { concurrency: "unbounded", discard: true })
  }
}
