/**
 * Reading a `publish` input that is an Effect Stream or an async iterable, one window at a time.
 * A module of its own, loaded by `Intake` the first time such an input arrives: Effect's Stream
 * (with Channel, Sink and PubSub) is most of the Effect code core would otherwise load at start-up,
 * and a publisher given arrays or iterables never needs it.
 */
import type * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { PublishInputError } from "../PublisherError.ts"

export const isStream = Stream.isStream

/**
 * Reads `input` in windows of up to `windowSize` and hands each to `take` (a short window when
 * the input paused for `lingerMs`) until `take` answers false. A failing input still hands over
 * the events read before the failure, then fails.
 */
export const feedStream = <E>(
  input: Stream.Stream<unknown, E> | AsyncIterable<unknown>,
  windowSize: number,
  lingerMs: number,
  take: (window: ReadonlyArray<unknown>) => Effect.Effect<boolean>,
): Effect.Effect<void, E | PublishInputError> => {
  const stream: Stream.Stream<unknown, E | PublishInputError> = Stream.isStream(input)
    ? input
    : Stream.fromAsyncIterable(
        input,
        (cause) => new PublishInputError({ message: "the async iterable given to publish threw", cause }),
      )
  let failure: Cause.Cause<E | PublishInputError> | undefined
  return stream.pipe(
    Stream.catchCause((cause) => {
      failure = cause
      return Stream.empty
    }),
    Stream.groupedWithin(windowSize, lingerMs),
    Stream.runForEachWhile(take),
    Effect.andThen(Effect.suspend(() => (failure === undefined ? Effect.void : Effect.failCause(failure)))),
  )
}
