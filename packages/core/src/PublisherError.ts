/**
 * The two ways the buffered producer refuses an event. Destination errors are never thrown: they
 * are outcomes (see DeliveryError).
 */
import * as Data from "effect/Data"

/** `enqueue` with overflow policy `fail` found the buffer full. The event also gets a `Failed` outcome (code `Overflow`). */
export class BufferOverflowError extends Data.TaggedError("BufferOverflowError")<{
  readonly message: string
  readonly eventId: string | undefined
}> {}

/** The publisher is closing or closed: it takes no more events. */
export class PublisherClosedError extends Data.TaggedError("PublisherClosedError")<{
  readonly message: string
}> {}

/** An async iterable given to `publish` threw while it was read. Pairs already handed over still end with outcomes (and `onOutcome` calls). */
export class PublishInputError extends Data.TaggedError("PublishInputError")<{
  readonly message: string
  readonly cause: unknown
}> {}

/**
 * The options given to `Publisher.make` or `Publisher.layer` cannot make a publisher: `option`
 * names the one at fault (e.g. `orders.retry.maxAttempts`), `message` says which rule it broke.
 * (`createPublisher` throws a `RangeError` or `TypeError` with the same message instead.)
 */
export class PublisherOptionsError extends Data.TaggedError("PublisherOptionsError")<{
  readonly message: string
  /** The option at fault, as a path from the publisher's options. */
  readonly option: string
  /**
   * `range`: a number out of its allowed range; `type`: a value of the wrong kind or not one of the
   * allowed names; `unknown`: a name that is not an option (a misspelling, or an option this version
   * does not have), which would otherwise be ignored.
   */
  readonly problem: "range" | "type" | "unknown"
}> {}
