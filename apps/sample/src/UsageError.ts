/**
 * A mistake in what the user asked for (flags, config file, request JSON): the run stops before
 * anything is sent and exits with code 2, printing only the message (no stack).
 */
const UsageErrorTypeId: unique symbol = Symbol.for("@eventport/sample/UsageError") as never

export class UsageError extends Error {
  readonly [UsageErrorTypeId] = true
  override readonly name = "UsageError"

  static isInstance(u: unknown): u is UsageError {
    return typeof u === "object" && u !== null && UsageErrorTypeId in u
  }
}
