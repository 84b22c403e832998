/**
 * The publisher: one engine, two faces. The Effect API (`Publisher` service, `Publisher.layer`) is
 * the implementation; `createPublisher` runs that same implementation behind Promises. The engine
 * itself lives in `internal/Engine.ts`; options are checked by `resolvePublisherOptions`.
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Result from "effect/Result"
import * as Scope from "effect/Scope"
import type * as Stream from "effect/Stream"
import type { Event, EventInput } from "./Event.ts"
import { Engine } from "./internal/Engine.ts"
import type { PublishResult } from "./Outcome.ts"
import type {
  BufferOverflowError,
  PublisherClosedError,
  PublisherOptionsError,
  PublishInputError,
} from "./PublisherError.ts"
import {
  type PublisherOptions,
  type ResolvedPublisherOptions,
  resolvePublisherOptions,
} from "./PublisherOptions.ts"

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

const shapeOf = (engine: Engine): PublisherShape => ({
  publish: (input) => engine.publish(input),
  enqueue: (event) => engine.enqueue(event),
  flush: engine.flush,
  close: (options) => engine.close(options),
})

/** The publisher as an Effect service. */
export class Publisher extends Context.Service<Publisher, PublisherShape>()("@eventport/core/Publisher") {
  /**
   * A publisher living in the current scope: closing the scope closes it (default deadline). Bad
   * options fail with a {@link PublisherOptionsError} naming the option.
   */
  static make(options: PublisherOptions): Effect.Effect<PublisherShape, PublisherOptionsError, Scope.Scope> {
    return Effect.flatMap(Effect.fromResult(resolvePublisherOptions(options)), (resolved) =>
      Effect.map(Engine.make(resolved), shapeOf),
    )
  }

  /** A layer providing a {@link Publisher}; releasing the layer closes the publisher. */
  static layer(options: PublisherOptions): Layer.Layer<Publisher, PublisherOptionsError> {
    return Layer.effect(Publisher, Publisher.make(options))
  }
}

const enqueued: Promise<void> = Promise.resolve()

/** The options resolved, or the error thrown as the Promise face always has: a RangeError or TypeError. */
const resolveOrThrow = (options: PublisherOptions): ResolvedPublisherOptions => {
  const resolved = resolvePublisherOptions(options)
  if (Result.isSuccess(resolved)) return resolved.success
  const error = resolved.failure
  throw error.problem === "range" ? new RangeError(error.message) : new TypeError(error.message)
}

/**
 * A publisher with a Promise API. Bad options throw here (RangeError/TypeError naming the option).
 * Close it (`await publisher.close()` or `await using`) to stop its fibers and the adapters' clients.
 */
export const createPublisher = (options: PublisherOptions): PromisePublisher => {
  const resolved = resolveOrThrow(options)
  const scope = Scope.makeUnsafe()
  const engine = Effect.runSync(Scope.provide(scope)(Engine.make(resolved)))
  const shape = shapeOf(engine)
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
