/**
 * One request of a destination, and only that: the adapter's send with its timeout (which aborts
 * the adapter's signal), its span and its latency. Never fails: a whole-request error is returned
 * as the `DeliveryError` it is. What the answer means is Settle.ts's business.
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as References from "effect/References"
import type * as Scope from "effect/Scope"
import * as Tracer from "effect/Tracer"
import type { Adapter, Batch, RawSend, SendResult } from "../Adapter.ts"
import { DeliveryError, deliveryError } from "../DeliveryError.ts"
import * as Metrics from "../Metrics.ts"
import { RequestDeadlines } from "./RequestDeadlines.ts"
import { describeThrown } from "./Thrown.ts"

/** A request's answer: per-entry results, or the whole-request error. */
export type RequestAnswer = SendResult | DeliveryError

export class RequestSend {
  /** The destination's span and metric attributes. */
  readonly attributes: Readonly<Record<string, string>>
  /** The definition's own send, when the adapter's `send` is still the one made from it. */
  private readonly raw: RawSend<unknown> | undefined
  /** Timeouts of requests sent through `raw`, watched by one fiber; made at start. */
  private deadlines: RequestDeadlines | undefined
  /** The workers' context with the destination's metric attributes (MetricContext.ts); set at start. */
  private metricContext: Context.Context<never> | undefined
  /**
   * No tracing backend is installed (Effect's native tracer, or tracing disabled) where the workers
   * run: a span per Promise send could be seen by no one, so that path makes none. Set at start.
   */
  private untraced = false

  constructor(
    name: string,
    private readonly adapter: Adapter<unknown>,
    private readonly timeoutMs: number,
  ) {
    this.attributes = { destination: name, kind: adapter.kind }
    const raw = adapter.rawSend as RawSend<unknown> | undefined
    this.raw = raw !== undefined && raw.madeSend === adapter.send ? raw : undefined
  }

  /**
   * Takes the workers' context (tracing, clock) and that context with the destination's metric
   * attributes (MetricContext.ts); with the raw send, starts the deadline watcher in `scope` and
   * returns its fiber, so stopping the destination interrupts it too.
   */
  start(
    context: Context.Context<never>,
    metricContext: Context.Context<never>,
    scope: Scope.Scope,
  ): Effect.Effect<Fiber.Fiber<unknown> | undefined> {
    this.metricContext = metricContext
    this.untraced =
      !Context.get(context, References.TracerEnabled) ||
      Context.get(context, Tracer.Tracer) === Tracer.nativeTracer
    if (this.raw === undefined) return Effect.succeed(undefined)
    const deadlines = new RequestDeadlines(this.timeoutMs, Context.get(context, Clock.Clock))
    this.deadlines = deadlines
    return Effect.forkIn(deadlines.watch, scope)
  }

  /**
   * One request, started at `startedAt` on `clock`. The latency is read from the clock around the
   * request rather than through a tracking wrapper.
   */
  send(batch: Batch<unknown>, startedAt: number, clock: Clock.Clock): Effect.Effect<RequestAnswer> {
    const raw = this.raw
    const deadlines = this.deadlines
    if (raw !== undefined && deadlines !== undefined && this.untraced)
      return this.sendRaw(raw, deadlines, batch, startedAt, clock)
    const answer =
      raw === undefined || deadlines === undefined
        ? // Suspended: an adapter of its own making may throw instead of returning an Effect.
          this.withTimeout(Effect.suspend(() => this.adapter.send(batch)))
        : // Traced: the raw send runs inside the span made below.
          Effect.suspend(() => this.sendRaw(raw, deadlines, batch, undefined, clock))
    return this.traced(batch, answer, startedAt, clock)
  }

  private recordLatency(startedAt: number, clock: Clock.Clock) {
    if (this.metricContext !== undefined)
      Metrics.requestDuration.updateUnsafe(
        Duration.millis(clock.currentTimeMillisUnsafe() - startedAt),
        this.metricContext,
      )
  }

  /** The span and latency of one request. */
  private traced(
    batch: Batch<unknown>,
    answer: Effect.Effect<RequestAnswer>,
    startedAt: number,
    clock: Clock.Clock,
  ): Effect.Effect<RequestAnswer> {
    return answer.pipe(
      Effect.map((result) => {
        this.recordLatency(startedAt, clock)
        return result
      }),
      // No stack trace per span: capturing one (an Error per request) was the engine's largest
      // single cost per request, and the span's name and attributes already say where it is.
      Effect.withSpan(
        Metrics.sendSpanName,
        { attributes: { ...this.attributes, entries: batch.entries.length, attempt: batch.attempt } },
        { captureStackTrace: false },
      ),
    )
  }

  private timeoutError(): DeliveryError {
    return deliveryError("Timeout", {
      rawMessage: `no response within ${this.timeoutMs} ms`,
      outcomeUnknown: true,
    })
  }

  /** The adapter's bug: its send died (a defect) or its error could not be classified. */
  private adapterBug(what: string): DeliveryError {
    return deliveryError("Unknown", {
      retryable: false,
      outcomeUnknown: true,
      rawCode: "AdapterBug",
      rawMessage: `adapter ${this.adapter.kind} bug: ${what}`,
    })
  }

  /** `raw.toDeliveryError`, which is user code (`classifyError`): what it throws or returns wrong is named. */
  private classify(raw: RawSend<unknown>, error: unknown): DeliveryError {
    try {
      const classified: unknown = raw.toDeliveryError(error)
      if (DeliveryError.isInstance(classified)) return classified
      return this.adapterBug(
        `classifyError returned something other than a DeliveryError for ${describeThrown(error)}`,
      )
    } catch (thrown) {
      return this.adapterBug(`classifyError threw ${describeThrown(thrown)} for ${describeThrown(error)}`)
    }
  }

  /**
   * An adapter's own Effect raced against the request timeout. A defect (`Effect.die`, a throw
   * inside `Effect.sync` or `Effect.map`) is the adapter's bug: the request fails with it named.
   */
  private withTimeout(sent: Effect.Effect<SendResult, DeliveryError>): Effect.Effect<RequestAnswer> {
    const answer: Effect.Effect<RequestAnswer> = sent.pipe(
      Effect.catchDefect((defect) =>
        Effect.fail(this.adapterBug(`send died with ${describeThrown(defect)}`)),
      ),
      Effect.catch((error: DeliveryError) => Effect.succeed(error)),
    )
    // The send runs in a fiber of its own and the request waits only for its answer: a timeout
    // (or close) interrupts that fiber without waiting for it, so even an uninterruptible send
    // that never ends cannot hold the request past its timeout.
    return Effect.flatMap(Effect.forkDetach(answer, { startImmediately: true }), (fiber) =>
      Fiber.join(fiber).pipe(
        Effect.timeoutOrElse({
          duration: Duration.millis(this.timeoutMs),
          orElse: () =>
            Effect.sync(() => {
              fiber.interruptUnsafe()
              return this.timeoutError()
            }),
        }),
        Effect.onInterrupt(() => Effect.sync(() => fiber.interruptUnsafe())),
      ),
    )
  }

  /**
   * One request through the definition's own send. A Promise is awaited in one async step: the
   * deadline watcher (not a fiber per request) aborts the signal and answers Timeout when it is due,
   * and an interrupt (close) aborts the signal too. An Effect-returning send runs as an Effect,
   * raced against the timeout. `untracedStart`: no span is made around this call, so it records
   * the latency itself (the worker is already inside its step for this request).
   */
  private sendRaw(
    raw: RawSend<unknown>,
    deadlines: RequestDeadlines,
    batch: Batch<unknown>,
    untracedStart: number | undefined,
    clock: Clock.Clock,
  ): Effect.Effect<RequestAnswer> {
    const controller = new AbortController()
    let sent: unknown
    try {
      sent = raw.call(batch, { signal: controller.signal })
    } catch (error) {
      const thrown = Effect.sync(() => this.classify(raw, error))
      return untracedStart === undefined ? thrown : this.traced(batch, thrown, untracedStart, clock)
    }
    // A native Promise (what an async send returns) skips Effect.isEffect, whose `in` check is
    // megamorphic on Promises: it showed in the per-request profile.
    if (!(sent instanceof Promise) && Effect.isEffect(sent)) {
      const answer = this.withTimeout(
        (sent as Effect.Effect<SendResult, unknown>).pipe(Effect.mapError((e) => this.classify(raw, e))),
      )
      // An Effect send may read its span even without a tracing backend: it keeps it.
      return untracedStart === undefined ? answer : this.traced(batch, answer, untracedStart, clock)
    }
    return this.awaitPromise(
      raw,
      deadlines,
      sent as PromiseLike<SendResult>,
      controller,
      untracedStart,
      clock,
    )
  }

  /** A Promise send's answer, its deadline, or an interrupt, whichever comes first. */
  private awaitPromise(
    raw: RawSend<unknown>,
    deadlines: RequestDeadlines,
    promise: PromiseLike<SendResult>,
    controller: AbortController,
    untracedStart: number | undefined,
    clock: Clock.Clock,
  ): Effect.Effect<RequestAnswer> {
    return Effect.callback<RequestAnswer>((resume) => {
      const request = deadlines.start(() => {
        controller.abort()
        if (untracedStart !== undefined) this.recordLatency(untracedStart, clock)
        resume(Effect.succeed(this.timeoutError()))
      })
      const answered = (result: SendResult) => {
        if (!deadlines.settle(request)) return
        if (untracedStart !== undefined) this.recordLatency(untracedStart, clock)
        resume(Effect.succeed(result))
      }
      const failed = (error: unknown) => {
        if (!deadlines.settle(request)) return
        if (untracedStart !== undefined) this.recordLatency(untracedStart, clock)
        // Classified in the fiber, as Effect.tryPromise does with its catch.
        resume(Effect.sync(() => this.classify(raw, error)))
      }
      try {
        promise.then(answered, failed)
      } catch (error) {
        // Neither a Promise nor an Effect: `then` is missing or throws.
        failed(error)
      }
      return Effect.sync(() => {
        // Interrupted (the publisher is closing): the request is abandoned and aborted.
        deadlines.settle(request)
        controller.abort()
      })
    })
  }
}
