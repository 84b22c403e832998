/**
 * Request timeouts of one destination without a fiber per request. Every request of a destination
 * has the same timeout, so deadlines come in start order: one watcher fiber sleeps (on the Effect
 * clock, so test clocks drive it) until the oldest open deadline and expires what is due. Racing
 * each request against its own sleep forked two fibers and interrupted one per request, which was
 * the engine's largest cost per request against a real SDK client.
 */
import type * as Clock from "effect/Clock"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"

/** One request waiting for its answer or its deadline, whichever comes first. */
export interface PendingRequest {
  readonly deadline: number
  /** Undefined once settled (answered, expired or abandoned). */
  expire: (() => void) | undefined
}

export class RequestDeadlines {
  /** Open and settled requests in start order; settled ones at the front are dropped as they settle. */
  private pending: Array<PendingRequest> = []
  private head = 0
  private wake: Deferred.Deferred<void> | undefined

  constructor(
    private readonly timeoutMs: number,
    private readonly clock: Clock.Clock,
  ) {}

  /** Starts the clock of one request: `expire` runs once if it is still open at its deadline. */
  start(expire: () => void): PendingRequest {
    const request: PendingRequest = {
      deadline: this.clock.currentTimeMillisUnsafe() + this.timeoutMs,
      expire,
    }
    this.pending.push(request)
    const wake = this.wake
    if (wake !== undefined) {
      this.wake = undefined
      Deferred.doneUnsafe(wake, Effect.void)
    }
    return request
  }

  /** Settles a request; false when its deadline (or an earlier settle) came first. */
  settle(request: PendingRequest): boolean {
    if (request.expire === undefined) return false
    request.expire = undefined
    this.dropSettled()
    return true
  }

  /** Requests not settled yet (diagnostics and tests). */
  get open(): number {
    let n = 0
    for (let i = this.head; i < this.pending.length; i++) if (this.pending[i]!.expire !== undefined) n++
    return n
  }

  /** The watcher: run it in one fiber per destination; interrupting it stops every timeout. */
  readonly watch: Effect.Effect<never> = Effect.forever(
    Effect.suspend(() => {
      this.dropSettled()
      const next = this.pending[this.head]
      if (next === undefined) {
        const wake = Deferred.makeUnsafe<void>()
        this.wake = wake
        return Deferred.await(wake)
      }
      const wait = next.deadline - this.clock.currentTimeMillisUnsafe()
      if (wait > 0) return Effect.sleep(Duration.millis(wait))
      const expire = next.expire!
      next.expire = undefined
      this.head++
      expire()
      return Effect.void
    }),
  )

  private dropSettled() {
    const pending = this.pending
    while (this.head < pending.length && pending[this.head]!.expire === undefined) this.head++
    if (this.head === pending.length) {
      if (this.head > 0) {
        pending.length = 0
        this.head = 0
      }
    } else if (this.head >= 1024 && this.head * 2 >= pending.length) {
      this.pending = pending.slice(this.head)
      this.head = 0
    }
  }
}
