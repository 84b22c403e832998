/**
 * A condition to wait on: waiters re-check their own predicate whenever the state they watch
 * changes (a request settled, a window was processed, buffer room was freed).
 */
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"

export class Signal {
  private waiters: Array<Deferred.Deferred<void>> = []

  notify(): void {
    if (this.waiters.length === 0) return
    const waiters = this.waiters
    this.waiters = []
    for (const w of waiters) Deferred.doneUnsafe(w, Effect.void)
  }

  waitUntil(condition: () => boolean): Effect.Effect<void> {
    const loop: Effect.Effect<void> = Effect.suspend(() => {
      if (condition()) return Effect.void
      const waiter = Deferred.makeUnsafe<void>()
      this.waiters.push(waiter)
      return Effect.andThen(Deferred.await(waiter), loop)
    })
    return loop
  }
}
