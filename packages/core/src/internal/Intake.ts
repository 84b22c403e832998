/**
 * The per-event hot path, one plain loop per window of input: validate, route, encode, pack.
 * No fiber and no Effect per event; the Effects start at request granularity.
 */
import { Effect } from "effect"
import type { EncodeResult } from "../Adapter.ts"
import { type DeliveryError, deliveryError } from "../DeliveryError.ts"
import { type Event, type Violation, validateEvent } from "../Event.ts"
import { rejectionMessage } from "../Outcome.ts"
import { BatchPacker, type PackedBatch, type PackRejection } from "../Packing.ts"
import { type Destination, type Entry, Job } from "./Destination.ts"
import type { Run } from "./Run.ts"

const errorText = (error: unknown): { rawCode?: string; rawMessage: string } => {
  if (error instanceof Error) return { rawCode: error.name, rawMessage: error.message }
  return { rawMessage: String(error) }
}

export class Intake {
  private readonly packers: Array<BatchPacker<Entry>>
  private readonly routed: Array<Array<Entry>>
  private readonly rejectedCount: Array<number>
  private readonly failedCount: Array<number>
  private readonly jobs: Array<Array<Job>>
  /** Position in the input, to name events that have no id. */
  private index = 0

  constructor(
    private readonly destinations: ReadonlyArray<Destination>,
    private readonly run: Run,
    windowSize: number,
  ) {
    this.packers = destinations.map((d) => new BatchPacker<Entry>(d.adapter.limits, windowSize))
    this.routed = destinations.map(() => [])
    this.rejectedCount = destinations.map(() => 0)
    this.failedCount = destinations.map(() => 0)
    this.jobs = destinations.map(() => [])
  }

  /**
   * Takes one window of input. With `final`, partly filled requests are sent too; otherwise they
   * wait for the next window to top them up.
   */
  take(window: ReadonlyArray<unknown>, final: boolean): Effect.Effect<void> {
    return Effect.suspend(() => {
      this.admit(window)
      for (let d = 0; d < this.destinations.length; d++) {
        const entries = this.routed[d]!
        this.routed[d] = []
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
        let routed = false
        for (let d = 0; d < destinations.length; d++) {
          const destination = destinations[d]!
          let take = true
          try {
            take = destination.route === undefined || destination.route(event)
          } catch {}
          if (!take) continue
          routed = true
          this.failedCount[d]!++
          this.run.record({
            _tag: "Failed",
            destination: destination.name,
            eventId: event.id,
            event,
            error,
            attempts: 0,
          })
        }
        if (!routed) this.run.recordUnrouted(event)
      }
      return this.dispatch()
    })
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
      const destination = this.destinations[d]!.name
      this.rejectedCount[d]!++
      this.run.record({
        _tag: "Rejected",
        destination,
        eventId,
        event: input,
        violations,
        message: rejectionMessage(eventId, destination, violations),
      })
    }
  }

  /** Validates, routes and encodes; records every pair that ends here. */
  private admit(window: ReadonlyArray<unknown>) {
    const destinations = this.destinations
    const run = this.run
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
      const generatedId = (input as { id?: unknown }).id === undefined
      let routed = false
      for (let d = 0; d < destinations.length; d++) {
        const destination = destinations[d]!
        const route = destination.route
        if (route !== undefined) {
          let take: boolean
          try {
            take = route(event)
          } catch (error) {
            this.reject(d, event, [
              {
                field: "(route)",
                rule: "route",
                message: `the route predicate threw ${errorText(error).rawCode ?? "an error"}`,
              },
            ])
            routed = true
            continue
          }
          if (!take) continue
        }
        routed = true
        let encoded: EncodeResult<unknown>
        try {
          encoded = destination.adapter.encode(event)
        } catch (error) {
          // An adapter bug: the pair fails, the publisher keeps going.
          const text = errorText(error)
          this.failedCount[d]!++
          run.record({
            _tag: "Failed",
            destination: destination.name,
            eventId: event.id,
            event,
            attempts: 0,
            error: deliveryError("Unknown", {
              retryable: false,
              ...(text.rawCode === undefined ? {} : { rawCode: text.rawCode }),
              rawMessage: `adapter ${destination.adapter.kind} encode threw: ${text.rawMessage}`,
              attempts: 0,
            }),
          })
          continue
        }
        if (encoded._tag === "Rejected") {
          this.reject(d, event, encoded.violations)
          continue
        }
        this.routed[d]!.push({
          event,
          entry: encoded.entry,
          bytes: encoded.bytes,
          id: encoded.sentId ?? event.id,
          batchKey: encoded.batchKey,
          sentId: encoded.sentId,
          uniqueId: generatedId && encoded.sentId === undefined,
        })
      }
      if (!routed) run.recordUnrouted(event)
    }
  }

  private reject(d: number, event: Event, violations: ReadonlyArray<Violation>) {
    const destination = this.destinations[d]!.name
    this.rejectedCount[d]!++
    this.run.record({
      _tag: "Rejected",
      destination,
      eventId: event.id,
      event,
      violations,
      message: rejectionMessage(event.id, destination, violations),
    })
  }

  private emitFor(d: number) {
    const jobs = this.jobs[d]!
    const run = this.run
    return (batch: PackedBatch<Entry>) => {
      jobs.push(new Job(batch.items, batch.batchKey, run))
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
      Effect.suspend(() => this.dispatchJobs()),
    )
  }

  private dispatchJobs(): Effect.Effect<void> {
    const work: Array<Effect.Effect<void>> = []
    for (let d = 0; d < this.destinations.length; d++) {
      const destination = this.destinations[d]!
      const rejected = this.rejectedCount[d]!
      const failed = this.failedCount[d]!
      const jobs = this.jobs[d]!
      if (rejected === 0 && failed === 0 && jobs.length === 0) continue
      this.rejectedCount[d] = 0
      this.failedCount[d] = 0
      this.jobs[d] = []
      work.push(
        Effect.andThen(
          destination.countSettled(rejected, failed),
          Effect.forEach(jobs, (job) => destination.submit(job), { discard: true }),
        ),
      )
    }
    if (work.length === 0) return Effect.void
    if (work.length === 1) return work[0]!
    return Effect.all(work, { concurrency: "unbounded", discard: true })
  }
}
