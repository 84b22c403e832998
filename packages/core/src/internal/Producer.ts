/**
 * The buffered producer behind `enqueue`: an Effect Queue bounded by count (blocking or dropping,
 * by overflow policy), a byte bound, a linger time, and one consumer fiber that feeds windows of
 * events to the destinations.
 */
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Queue from "effect/Queue"
import type * as Scope from "effect/Scope"
import { deliveryError } from "../DeliveryError.ts"
import type { PublishResult } from "../Outcome.ts"
import { BufferOverflowError, PublisherClosedError } from "../PublisherError.ts"
import type { Intake } from "./Intake.ts"
import { jsonLength } from "./JsonLength.ts"
import type { Run } from "./Run.ts"
import type { Signal } from "./Signal.ts"

export interface ProducerSettings {
  readonly maxEvents: number
  readonly maxBytes: number
  readonly lingerMs: number
  readonly overflow: "block" | "dropNewest" | "fail"
}

/**
 * An event that waited for room (overflow `block`): it carries the size it reserved before waiting.
 * Events that go straight into the buffer are buffered as they are, their sizes kept apart in
 * {@link Producer}'s `sizes`, so a queued event costs no wrapper object. Told apart by identity
 * (`Producer.waited`), never by reading the item: an input may be a proxy whose traps throw.
 */
class Waited {
  constructor(
    readonly input: unknown,
    readonly bytes: number,
  ) {}
}

/** What the buffer holds: an input that went straight in, or one that waited. */
type Buffered = unknown

/**
 * The buffer's size measure: JSON text length of the data (measured, not built), or its byte length
 * when binary. Never throws: an input whose data cannot be read (a throwing getter, a proxy)
 * measures 0, and validation rejects it with the reason.
 */
export const bufferedBytes = (input: unknown): number => {
  if (typeof input !== "object" || input === null) return 0
  try {
    const data = (input as { data?: unknown }).data
    if (data instanceof Uint8Array) return data.byteLength
    if (typeof data === "string") return data.length + 2
    return jsonLength(data, false) ?? 0
  } catch {
    return 0
  }
}

const eventIdOf = (input: unknown): string | undefined => {
  try {
    const id = typeof input === "object" && input !== null ? (input as { id?: unknown }).id : undefined
    return typeof id === "string" ? id : undefined
  } catch {
    return undefined
  }
}

export class Producer {
  private bytes = 0
  private accepted = 0
  private processed = 0
  private flushing = 0
  private closing = false
  private lingerWake: Deferred.Deferred<void> | undefined
  /**
   * Sizes of the inputs that went straight into the buffer, in buffer order, from `sizesHead` on
   * (a FIFO beside the queue; the consumer takes inputs in the same order).
   */
  private sizes: Array<number> = []
  private sizesHead = 0
  /** The {@link Waited} items offered and not taken yet. */
  private readonly waited = new Set<Waited>()
  private consumer: Fiber.Fiber<unknown> | undefined

  private constructor(
    private readonly settings: ProducerSettings,
    private readonly queue: Queue.Queue<Buffered>,
    readonly run: Run,
    private readonly intake: Intake,
    private readonly signal: Signal,
  ) {}

  static make(settings: ProducerSettings, run: Run, intake: Intake, signal: Signal): Effect.Effect<Producer> {
    const queue =
      settings.overflow === "block"
        ? Queue.bounded<Buffered>(settings.maxEvents)
        : Queue.dropping<Buffered>(settings.maxEvents)
    return Effect.map(queue, (q) => new Producer(settings, q, run, intake, signal))
  }

  /** Everything accepted so far has been handed to destinations and settled. */
  get drained(): boolean {
    return this.processed >= this.accepted && this.run.idle
  }

  start(scope: Scope.Scope): Effect.Effect<void> {
    return Effect.map(Effect.forkIn(Effect.forever(Effect.suspend(() => this.step())), scope), (fiber) => {
      this.consumer = fiber
    })
  }

  /** The synchronous path of `enqueue`: true when the event went straight into the buffer. */
  offerUnsafe(input: unknown): boolean {
    if (this.closing) return false
    const bytes = bufferedBytes(input)
    if (this.bytes + bytes > this.settings.maxBytes) return false
    if (!Queue.offerUnsafe(this.queue, input)) return false
    this.sizes.push(bytes)
    this.bytes += bytes
    this.accepted++
    return true
  }

  enqueue(input: unknown): Effect.Effect<void, BufferOverflowError | PublisherClosedError> {
    return Effect.suspend((): Effect.Effect<void, BufferOverflowError | PublisherClosedError> => {
      if (this.closing) return Effect.fail(closedError())
      if (this.offerUnsafe(input)) return Effect.void
      const bytes = bufferedBytes(input)
      const { maxBytes, maxEvents, overflow } = this.settings
      if (bytes > maxBytes)
        return this.overflow(
          input,
          `the event's data is ${bytes} bytes, more than the buffer's maxBytes ${maxBytes}`,
        )
      // The buffer is full (by count or bytes): a window the consumer is lingering over goes now,
      // as waiting for more would only hold up the producer (a buffer smaller than the window
      // would otherwise wait the whole linger every time).
      this.wake()
      if (overflow !== "block")
        return this.overflow(input, `the buffer is full (maxEvents ${maxEvents}, maxBytes ${maxBytes})`)
      return Effect.andThen(
        this.signal.waitUntil(() => this.closing || this.bytes + bytes <= maxBytes),
        Effect.suspend(() => {
          if (this.closing) return Effect.fail(closedError())
          // Reserve the bytes before waiting for a slot so concurrent enqueues cannot overrun them.
          this.bytes += bytes
          const item = new Waited(input, bytes)
          this.waited.add(item)
          return Effect.flatMap(Queue.offer(this.queue, item), (offered) => {
            if (offered) {
              this.accepted++
              return Effect.void
            }
            this.waited.delete(item)
            this.bytes -= bytes
            return Effect.fail(closedError())
          }).pipe(Effect.onInterrupt(() => Effect.sync(() => this.waited.delete(item))))
        }),
      )
    })
  }

  /** Sends everything enqueued so far; the outcomes since the last flush. */
  get flush(): Effect.Effect<PublishResult> {
    return Effect.suspend(() => {
      const target = this.accepted
      this.flushing++
      this.wake()
      return this.run
        .waitUntil(() => this.processed >= target && this.run.idle)
        .pipe(
          Effect.ensuring(
            Effect.sync(() => {
              this.flushing--
            }),
          ),
          Effect.map(() => this.run.cut()),
        )
    })
  }

  /** Takes no more events; what is buffered is sent without waiting for the linger time. */
  beginClose(): void {
    this.closing = true
    this.wake()
    this.signal.notify()
  }

  /** Stops the consumer; what is still buffered ends `Failed` with code `Closed`. */
  get stop(): Effect.Effect<void> {
    return Effect.suspend(() => {
      this.closing = true
      const consumer = this.consumer
      return Effect.andThen(consumer === undefined ? Effect.void : Fiber.interrupt(consumer), () =>
        Effect.flatMap(Queue.clear(this.queue), (left) => {
          Queue.shutdownUnsafe(this.queue)
          return this.refuse(left)
        }),
      )
    })
  }

  private wake() {
    const wake = this.lingerWake
    this.lingerWake = undefined
    if (wake !== undefined) Deferred.doneUnsafe(wake, Effect.void)
  }

  private overflow(input: unknown, reason: string): Effect.Effect<void, BufferOverflowError> {
    const error = deliveryError("Overflow", { rawMessage: reason, attempts: 0 })
    const refused = this.intake.refuse([input], error)
    if (this.settings.overflow !== "fail") return refused
    return Effect.andThen(
      refused,
      Effect.fail(
        new BufferOverflowError({
          message: `enqueue refused event ${eventIdOf(input) ?? "(no id)"}: ${reason}`,
          eventId: eventIdOf(input),
        }),
      ),
    )
  }

  private refuse(items: ReadonlyArray<Buffered>): Effect.Effect<void> {
    if (items.length === 0) return Effect.void
    const inputs = this.release(items)
    this.processed += items.length
    const error = deliveryError("Closed", {
      rawMessage: "the publisher closed before the event was sent",
      attempts: 0,
    })
    return Effect.andThen(
      this.intake.refuse(inputs, error),
      Effect.sync(() => this.run.notify()),
    )
  }

  /**
   * One window: wait for an event, give a partly filled window up to `lingerMs` to fill (unless
   * someone flushes or closes, or the buffer fills up), then hand it to the destinations. Taken
   * events are never lost: handing them over is uninterruptible, and an interrupted linger settles
   * them as `Closed`.
   */
  private step(): Effect.Effect<void> {
    const lingerMs = this.settings.lingerMs
    // Read at each step: the intake reads a shallow window while entries are small.
    const windowSize = this.intake.windowSize
    return Effect.uninterruptibleMask((restore) =>
      Effect.flatMap(restore(Queue.takeBetween(this.queue, 1, windowSize)), (first) => {
        let items: ReadonlyArray<Buffered> = first
        let linger: Effect.Effect<void> = Effect.void
        if (items.length < windowSize && lingerMs > 0 && this.flushing === 0 && !this.closing) {
          const wake = Deferred.makeUnsafe<void>()
          this.lingerWake = wake
          linger = restore(
            Effect.raceFirst(Effect.sleep(Duration.millis(lingerMs)), Deferred.await(wake)),
          ).pipe(Effect.onInterrupt(() => this.refuse(items)))
        }
        const more = Effect.suspend(() => {
          const room = windowSize - items.length
          if (room <= 0 || Queue.sizeUnsafe(this.queue) <= 0) return Effect.void
          return Effect.map(Queue.takeBetween(this.queue, 1, room), (rest) => {
            items = items.concat(rest)
          })
        })
        return linger.pipe(Effect.andThen(more), Effect.andThen(Effect.suspend(() => this.hand(items))))
      }),
    )
  }

  /** The inputs of items taken from the buffer; their bytes leave the buffer's count. */
  private release(items: ReadonlyArray<Buffered>): Array<unknown> {
    const n = items.length
    const inputs = new Array<unknown>(n)
    const sizes = this.sizes
    const waited = this.waited
    let head = this.sizesHead
    let bytes = 0
    for (let i = 0; i < n; i++) {
      const item = items[i]
      if (waited.size > 0 && waited.delete(item as Waited)) {
        const w = item as Waited
        inputs[i] = w.input
        bytes += w.bytes
      } else {
        inputs[i] = item
        bytes += sizes[head++]!
      }
    }
    // Drop the sizes read once they are half the array: copied down in place, no new array.
    if (head >= 1024 && head * 2 >= sizes.length) {
      sizes.copyWithin(0, head)
      sizes.length -= head
      head = 0
    }
    this.sizesHead = head
    this.bytes -= bytes
    return inputs
  }

  private hand(items: ReadonlyArray<Buffered>): Effect.Effect<void> {
    const n = items.length
    const inputs = this.release(items)
    this.signal.notify()
    // The continuation keeps only the count: the window (its wrappers and inputs) is garbage as soon
    // as it is encoded, not only once the destinations have room for it.
    return Effect.andThen(this.intake.take(inputs, true), this.processedEffect(n))
  }

  private processedEffect(n: number): Effect.Effect<void> {
    return Effect.sync(() => {
      this.processed += n
      this.run.notify()
    })
  }
}

const closedError = () =>
  new PublisherClosedError({ message: "the publisher is closing or closed and takes no more events" })
