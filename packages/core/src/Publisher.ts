/**
 * The publisher: one engine, two faces. The Effect API (`Publisher` service, `Publisher.layer`) is
 * the implementation; `createPublisher` runs that same implementation behind Promises.
 */
import { type Cause, Context, Effect, Exit, Layer, Scope, Stream } from "effect"
import { isAdapter } from "./Adapter.ts"
import type { Event, EventInput } from "./Event.ts"
import { DeadLetterSink } from "./internal/DeadLetterSink.ts"
import { Destination, type ResolvedRetry } from "./internal/Destination.ts"
import { Intake } from "./internal/Intake.ts"
import { Producer } from "./internal/Producer.ts"
import { defaultRetryBudget } from "./internal/RetryBudget.ts"
import { Run } from "./internal/Run.ts"
import { Signal } from "./internal/Signal.ts"
import type { PublishResult } from "./Outcome.ts"
import { defaultPackWindow } from "./Packing.ts"
import {
  type BufferOverflowError,
  PublisherClosedError as ClosedError,
  type PublisherClosedError,
  PublishInputError,
} from "./PublisherError.ts"
import type {
  DestinationConfig,
  DestinationOptions,
  PublisherOptions,
  RetryOptions,
} from "./PublisherOptions.ts"
import { retryScheduleDefaults } from "./RetrySchedule.ts"

/** Defaults of {@link PublisherOptions}, {@link RetryOptions} and {@link BufferOptions}. */
export const publisherDefaults = {
  concurrency: 4,
  requestTimeoutMs: 10_000,
  maxQueuedEvents: 10_000,
  retry: { ...retryScheduleDefaults, budget: defaultRetryBudget },
  buffer: {
    maxEvents: 10_000,
    maxBytes: 64 * 1024 * 1024,
    lingerMs: 50,
    overflow: "block",
  },
  closeDeadlineMs: 30_000,
  closeDeadLetterDeadlineMs: 5_000,
  retainOutcomes: "all",
} as const

/** What `publish` takes. Every form is read lazily, one window at a time. */
export type PublishInput<E = never> =
  | ReadonlyArray<EventInput | Event>
  | Iterable<EventInput | Event>
  | AsyncIterable<EventInput | Event>
  | Stream.Stream<EventInput | Event, E>

export interface CloseOptions {
  /** How long `close` may spend sending what is buffered or in flight. Default 30_000 ms. */
  readonly deadlineMs?: number
  /**
   * Extra time after the deadline for the dead-letter destination to take the pairs that close
   * itself failed (`Closed`), so they are not lost with the process. Default 5_000 ms.
   */
  readonly deadLetterDeadlineMs?: number
}

/** The Effect face of a publisher. Destination errors are outcomes, never failures. */
export interface PublisherShape {
  /** Publishes every event to every destination its routes allow; resolves when all pairs are settled. */
  readonly publish: <E = never>(
    input: PublishInput<E>,
  ) => Effect.Effect<PublishResult, E | PublishInputError | PublisherClosedError>
  /** Adds one event to the buffer (see `BufferOptions.overflow` for a full buffer). */
  readonly enqueue: (
    event: EventInput | Event,
  ) => Effect.Effect<void, BufferOverflowError | PublisherClosedError>
  /** Sends everything enqueued so far; the outcomes of enqueued events since the last flush. */
  readonly flush: Effect.Effect<PublishResult>
  /**
   * Takes no more events, sends what is buffered and in flight within the deadline, then stops:
   * pairs not delivered by then are `Failed` with code `Closed`. The outcomes of enqueued events
   * since the last flush. A second call returns the first call's result.
   */
  readonly close: (options?: CloseOptions) => Effect.Effect<PublishResult>
}

/** The Promise face, from {@link createPublisher}. */
export interface PromisePublisher {
  readonly publish: (input: PublishInput<unknown>) => Promise<PublishResult>
  readonly enqueue: (event: EventInput | Event) => Promise<void>
  readonly flush: () => Promise<PublishResult>
  readonly close: (options?: CloseOptions) => Promise<PublishResult>
  readonly [Symbol.asyncDispose]: () => Promise<void>
  /** The same publisher as an Effect service value, for code that mixes both. */
  readonly effect: PublisherShape
}

const positive = (name: string, value: number, integer: boolean) => {
  if (!(value > 0) || (integer && !Number.isInteger(value)))
    throw new RangeError(
      `createPublisher: ${name} must be a positive ${integer ? "integer" : "number"}, got ${value}`,
    )
  return value
}

const resolveRetry = (name: string, ...layers: ReadonlyArray<RetryOptions | undefined>): ResolvedRetry => {
  const pick = <K extends keyof RetryOptions>(key: K): RetryOptions[K] | undefined => {
    for (const l of layers) if (l?.[key] !== undefined) return l[key]
    return undefined
  }
  const d = publisherDefaults.retry
  const budget = pick("budget")
  return {
    maxAttempts: positive(`${name}.retry.maxAttempts`, pick("maxAttempts") ?? d.maxAttempts, true),
    baseDelayMs: positive(`${name}.retry.baseDelayMs`, pick("baseDelayMs") ?? d.baseDelayMs, false),
    maxDelayMs: positive(`${name}.retry.maxDelayMs`, pick("maxDelayMs") ?? d.maxDelayMs, false),
    throttledBaseDelayMs: positive(
      `${name}.retry.throttledBaseDelayMs`,
      pick("throttledBaseDelayMs") ?? d.throttledBaseDelayMs,
      false,
    ),
    maxElapsedMs: positive(`${name}.retry.maxElapsedMs`, pick("maxElapsedMs") ?? d.maxElapsedMs, false),
    budget: budget === false ? undefined : { ...d.budget, ...budget },
  }
}

interface Engine {
  readonly shape: PublisherShape
  /** `enqueue` without an Effect when the buffer has room (the Promise API's fast path). */
  readonly offerUnsafe: (event: unknown) => boolean
}

const makeEngine = (options: PublisherOptions): Effect.Effect<Engine, never, Scope.Scope> =>
  Effect.gen(function* () {
    const names = Object.keys(options.destinations)
    if (names.length === 0)
      throw new RangeError("createPublisher: destinations must name at least one destination")
    const retain = options.retainOutcomes ?? publisherDefaults.retainOutcomes
    const buffer = { ...publisherDefaults.buffer, ...options.buffer }
    const windowSize = defaultPackWindow
    const signal = new Signal()
    const scope = yield* Effect.scope

    const makeDestination = (name: string, config: DestinationConfig, deadLetter: boolean) =>
      Effect.gen(function* () {
        const dest: DestinationOptions = isAdapter(config)
          ? { adapter: config }
          : (config as DestinationOptions)
        if (!isAdapter(dest.adapter))
          throw new TypeError(
            `createPublisher: destination ${name} is not an adapter (make one with defineAdapter)`,
          )
        const concurrency = positive(
          `${name}.concurrency`,
          dest.concurrency ?? options.concurrency ?? publisherDefaults.concurrency,
          true,
        )
        const destination = yield* Destination.make({
          name,
          adapter: dest.adapter,
          route: deadLetter ? undefined : (options.routes?.[name] ?? dest.route),
          concurrency,
          retry: resolveRetry(name, dest.retry, options.retry),
          requestTimeoutMs: positive(
            `${name}.requestTimeoutMs`,
            dest.requestTimeoutMs ?? options.requestTimeoutMs ?? publisherDefaults.requestTimeoutMs,
            false,
          ),
          maxQueuedEvents: positive(
            `${name}.maxQueuedEvents`,
            dest.maxQueuedEvents ?? options.maxQueuedEvents ?? publisherDefaults.maxQueuedEvents,
            true,
          ),
          deadLetter,
        })
        yield* destination.start(scope)
        return destination
      })

    const destinations: Array<Destination> = []
    for (const name of names)
      destinations.push(yield* makeDestination(name, options.destinations[name]!, false))
    const deadLetterDestination =
      options.deadLetter === undefined
        ? undefined
        : yield* makeDestination("deadLetter", options.deadLetter, true)
    const deadLetters =
      deadLetterDestination === undefined ? undefined : new DeadLetterSink(deadLetterDestination)
    for (const name of Object.keys(options.routes ?? {}))
      if (!names.includes(name)) throw new RangeError(`createPublisher: routes.${name} names no destination`)

    const newRun = () => new Run(names, retain, options.onOutcome, signal, deadLetters)
    const producerRun = newRun()
    const producer = yield* Producer.make(
      {
        maxEvents: positive("buffer.maxEvents", buffer.maxEvents, true),
        maxBytes: positive("buffer.maxBytes", buffer.maxBytes, false),
        lingerMs: buffer.lingerMs,
        overflow: buffer.overflow,
        windowSize,
      },
      producerRun,
      new Intake(destinations, producerRun, windowSize),
      signal,
    )
    yield* producer.start(scope)

    let closing = false
    let stopped = false
    let closed: Effect.Effect<PublishResult> | undefined
    const active = new Set<Run>()

    /** Reads the input one window at a time; stops early once the publisher has stopped. */
    const feed = <E>(
      input: PublishInput<E>,
      intake: Intake,
      run: Run,
    ): Effect.Effect<void, E | PublishInputError> => {
      if (Array.isArray(input)) {
        const events = input as ReadonlyArray<unknown>
        return Effect.gen(function* () {
          let i = 0
          for (; i < events.length && !stopped; i += windowSize)
            yield* intake.take(events.slice(i, i + windowSize), false)
          if (i < events.length) {
            run.unread = events.length - i
            run.inputCutShort = true
          }
        })
      }
      if (Stream.isStream(input) || Symbol.asyncIterator in (input as object)) {
        const stream: Stream.Stream<unknown, E | PublishInputError> = Stream.isStream(input)
          ? (input as Stream.Stream<unknown, E>)
          : Stream.fromAsyncIterable(
              input as AsyncIterable<unknown>,
              (cause) =>
                new PublishInputError({ message: "the async iterable given to publish threw", cause }),
            )
        // A failing input still hands over the events read before the failure, then fails.
        let failure: Cause.Cause<E | PublishInputError> | undefined
        return stream.pipe(
          Stream.catchCause((cause) => {
            failure = cause
            return Stream.empty
          }),
          Stream.groupedWithin(windowSize, buffer.lingerMs),
          Stream.runForEachWhile((window) =>
            // A short window means the input paused: send it rather than keep it for topping up.
            Effect.map(intake.take(window, window.length < windowSize), () => {
              if (stopped) run.inputCutShort = true
              return !stopped
            }),
          ),
          Effect.andThen(
            Effect.suspend(() => (failure === undefined ? Effect.void : Effect.failCause(failure))),
          ),
        )
      }
      const iterator = (input as Iterable<unknown>)[Symbol.iterator]()
      return Effect.gen(function* () {
        while (true) {
          if (stopped) {
            run.inputCutShort = true
            return
          }
          const window: Array<unknown> = []
          let next = iterator.next()
          while (!next.done) {
            window.push(next.value)
            if (window.length >= windowSize) break
            next = iterator.next()
          }
          if (window.length > 0) yield* intake.take(window, false)
          if (next.done) return
        }
      })
    }

    const publish = <E = never>(
      input: PublishInput<E>,
    ): Effect.Effect<PublishResult, E | PublishInputError | PublisherClosedError> =>
      Effect.suspend((): Effect.Effect<PublishResult, E | PublishInputError | PublisherClosedError> => {
        if (closing)
          return Effect.fail(
            new ClosedError({ message: "the publisher is closing or closed and takes no more events" }),
          )
        const run = newRun()
        const intake = new Intake(destinations, run, windowSize)
        active.add(run)
        return Effect.exit(feed(input, intake, run)).pipe(
          Effect.flatMap((fed) =>
            intake.finish.pipe(
              Effect.andThen(run.waitUntil(() => run.idle)),
              Effect.andThen(
                Exit.isFailure(fed) ? Effect.failCause(fed.cause) : Effect.succeed(run.result()),
              ),
            ),
          ),
          Effect.ensuring(
            Effect.sync(() => {
              active.delete(run)
              signal.notify()
            }),
          ),
        )
      })

    const allDrained = () => {
      if (!producer.drained) return false
      for (const run of active) if (!run.idle) return false
      return true
    }

    const shutDown = (deadlineMs: number, deadLetterDeadlineMs: number): Effect.Effect<PublishResult> =>
      Effect.gen(function* () {
        closing = true
        producer.beginClose()
        yield* Effect.timeoutOption(producerRun.waitUntil(allDrained), Math.max(0, deadlineMs))
        stopped = true
        // Destinations first: their queues refuse new requests, so the producer's last window
        // settles (as Closed) instead of waiting on them.
        for (const d of destinations) yield* d.stop
        yield* producer.stop
        // The dead-letter destination goes last, after a grace to take the pairs that close failed:
        // what it could not send by then is counted in deadLetters.failed.
        if (deadLetterDestination !== undefined) {
          yield* Effect.timeoutOption(
            producerRun.waitUntil(() => !deadLetterDestination.busy),
            Math.max(0, deadLetterDeadlineMs),
          )
          yield* deadLetterDestination.stop
          yield* deadLetterDestination.close
        }
        for (const d of destinations) yield* d.close
        return producerRun.cut()
      })

    const close = (options?: CloseOptions): Effect.Effect<PublishResult> =>
      Effect.suspend(() => {
        if (closed === undefined)
          closed = Effect.runSync(
            Effect.cached(
              shutDown(
                options?.deadlineMs ?? publisherDefaults.closeDeadlineMs,
                options?.deadLetterDeadlineMs ?? publisherDefaults.closeDeadLetterDeadlineMs,
              ),
            ),
          )
        return closed
      })

    yield* Effect.addFinalizer(() => close())

    const shape: PublisherShape = {
      publish,
      enqueue: (event) => producer.enqueue(event),
      flush: producer.flush,
      close,
    }
    return { shape, offerUnsafe: (event: unknown) => producer.offerUnsafe(event) }
  })

/** The publisher as an Effect service. */
export class Publisher extends Context.Service<Publisher, PublisherShape>()("@eventport/core/Publisher") {
  /** A publisher living in the current scope: closing the scope closes it (default deadline). */
  static make(options: PublisherOptions): Effect.Effect<PublisherShape, never, Scope.Scope> {
    return Effect.map(makeEngine(options), (engine) => engine.shape)
  }

  /** A layer providing a {@link Publisher}; releasing the layer closes the publisher. */
  static layer(options: PublisherOptions): Layer.Layer<Publisher> {
    return Layer.effect(Publisher, Publisher.make(options))
  }
}

const enqueued: Promise<void> = Promise.resolve()

/**
 * A publisher with a Promise API. Bad options throw here (RangeError/TypeError naming the option).
 * Close it (`await publisher.close()` or `await using`) to stop its fibers and the adapters' clients.
 */
export const createPublisher = (options: PublisherOptions): PromisePublisher => {
  const scope = Scope.makeUnsafe()
  const engine = Effect.runSync(Scope.provide(scope)(makeEngine(options)))
  const { shape } = engine
  const close = (closeOptions?: CloseOptions) =>
    Effect.runPromise(shape.close(closeOptions).pipe(Effect.ensuring(Scope.close(scope, Exit.void))))
  return {
    publish: (input) => Effect.runPromise(shape.publish(input)),
    // One settled promise for every event that went straight into the buffer, not a new one each.
    enqueue: (event) => (engine.offerUnsafe(event) ? enqueued : Effect.runPromise(shape.enqueue(event))),
    flush: () => Effect.runPromise(shape.flush),
    close,
    [Symbol.asyncDispose]: () => close().then(() => undefined),
    effect: shape,
  }
}
