/**
 * The engine behind both faces of a publisher: its destinations, the buffered producer, the runs
 * of `publish` calls in progress, and shutdown. Options arrive resolved (`resolvePublisherOptions`).
 */
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Scope from "effect/Scope"
import type { PublishResult } from "../Outcome.ts"
import { defaultPackWindow } from "../Packing.ts"
import { PublisherClosedError, type PublishInputError } from "../PublisherError.ts"
import { publisherDefaults, type ResolvedPublisherOptions } from "../PublisherOptions.ts"
import { DeadLetterSink } from "./DeadLetterSink.ts"
import { Destination, type DestinationSettings } from "./Destination.ts"
import { Intake, type IntakeInput } from "./Intake.ts"
import { Producer } from "./Producer.ts"
import { Run } from "./Run.ts"
import { Signal } from "./Signal.ts"

export interface CloseDeadlines {
  readonly deadlineMs?: number | undefined
  readonly deadLetterDeadlineMs?: number | undefined
}

const makeDestination = (settings: DestinationSettings, scope: Scope.Scope) =>
  Effect.tap(Destination.make(settings), (destination) => destination.start(scope))

export class Engine {
  private readonly windowSize = defaultPackWindow
  private readonly signal = new Signal()
  /** Runs of `publish` calls in progress. */
  private readonly active = new Set<Run>()
  private closing = false
  /** Destinations stopped: inputs still being read stop early. */
  private stopped = false
  private closed: Effect.Effect<PublishResult> | undefined
  private readonly producerRun: Run
  private readonly deadLetters: DeadLetterSink | undefined
  private producer!: Producer

  private constructor(
    private readonly options: ResolvedPublisherOptions,
    private readonly destinations: ReadonlyArray<Destination>,
    private readonly deadLetterDestination: Destination | undefined,
  ) {
    this.deadLetters =
      deadLetterDestination === undefined ? undefined : new DeadLetterSink(deadLetterDestination)
    this.producerRun = this.newRun()
  }

  /** Starts every destination and the producer in `scope`; closing the scope closes the engine. */
  static make(options: ResolvedPublisherOptions): Effect.Effect<Engine, never, Scope.Scope> {
    return Effect.gen(function* () {
      const scope = yield* Effect.scope
      const destinations: Array<Destination> = []
      for (const settings of options.destinations) destinations.push(yield* makeDestination(settings, scope))
      const deadLetter =
        options.deadLetter === undefined ? undefined : yield* makeDestination(options.deadLetter, scope)
      const engine = new Engine(options, destinations, deadLetter)
      const run = engine.producerRun
      engine.producer = yield* Producer.make(
        options.buffer,
        run,
        new Intake(destinations, run, engine.windowSize),
        engine.signal,
      )
      yield* engine.producer.start(scope)
      yield* Effect.addFinalizer(() => engine.close())
      return engine
    })
  }

  private newRun(): Run {
    const names = this.destinations.map((d) => d.name)
    const { retainOutcomes, onOutcome } = this.options
    return new Run(names, retainOutcomes, onOutcome, this.signal, this.deadLetters)
  }

  /** `enqueue` without an Effect when the buffer has room (the Promise API's fast path). */
  offerUnsafe(event: unknown): boolean {
    return this.producer.offerUnsafe(event)
  }

  enqueue(event: unknown) {
    return this.producer.enqueue(event)
  }

  get flush(): Effect.Effect<PublishResult> {
    return this.producer.flush
  }

  /** Publishes one input in a run of its own; resolves when every pair of it is settled. */
  publish<E>(
    input: IntakeInput<E>,
  ): Effect.Effect<PublishResult, E | PublishInputError | PublisherClosedError> {
    return Effect.suspend((): Effect.Effect<PublishResult, E | PublishInputError | PublisherClosedError> => {
      if (this.closing)
        return Effect.fail(
          new PublisherClosedError({
            message: "the publisher is closing or closed and takes no more events",
          }),
        )
      const run = this.newRun()
      const intake = new Intake(this.destinations, run, this.windowSize)
      this.active.add(run)
      return Effect.exit(intake.feed(input, this.options.buffer.lingerMs, () => this.stopped)).pipe(
        Effect.flatMap((fed) =>
          intake.finish.pipe(
            Effect.andThen(run.waitUntil(() => run.idle)),
            Effect.andThen(Exit.isFailure(fed) ? Effect.failCause(fed.cause) : Effect.succeed(run.result())),
          ),
        ),
        Effect.ensuring(
          Effect.sync(() => {
            this.active.delete(run)
            this.signal.notify()
          }),
        ),
      )
    })
  }

  /** Closes once; a second call returns the first call's result. */
  close(options?: CloseDeadlines): Effect.Effect<PublishResult> {
    return Effect.suspend(() => {
      if (this.closed === undefined)
        this.closed = Effect.runSync(
          Effect.cached(
            this.shutDown(
              options?.deadlineMs ?? publisherDefaults.closeDeadlineMs,
              options?.deadLetterDeadlineMs ?? publisherDefaults.closeDeadLetterDeadlineMs,
            ),
          ),
        )
      return this.closed
    })
  }

  private allDrained(): boolean {
    if (!this.producer.drained) return false
    for (const run of this.active) if (!run.idle) return false
    return true
  }

  private shutDown(deadlineMs: number, deadLetterDeadlineMs: number): Effect.Effect<PublishResult> {
    const engine = this
    return Effect.gen(function* () {
      engine.closing = true
      engine.producer.beginClose()
      yield* Effect.timeoutOption(
        engine.producerRun.waitUntil(() => engine.allDrained()),
        Math.max(0, deadlineMs),
      )
      engine.stopped = true
      // Destinations first: their queues refuse new requests, so the producer's last window
      // settles (as Closed) instead of waiting on them.
      for (const d of engine.destinations) yield* d.stop
      yield* engine.producer.stop
      // The dead-letter destination goes last, after a grace to take the pairs that close failed:
      // what it could not send by then is counted in deadLetters.failed.
      const deadLetter = engine.deadLetterDestination
      if (deadLetter !== undefined) {
        yield* Effect.timeoutOption(
          engine.producerRun.waitUntil(() => !deadLetter.busy),
          Math.max(0, deadLetterDeadlineMs),
        )
        yield* deadLetter.stop
        yield* deadLetter.close
      }
      for (const d of engine.destinations) yield* d.close
      return engine.producerRun.cut()
    })
  }
}
