/**
 * What the conformance checks share: making the suite's events, encoding and packing them into a
 * request within the adapter's limits, calling `send`, and reading the destination.
 */
import {
  type Adapter,
  type Batch,
  createEvent,
  DeliveryError,
  type Encoded,
  type Event,
  type EventInput,
  packBatches,
  type SendResult,
} from "@eventport/core"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import fc from "fast-check"
import type { ConformanceHarness } from "../ConformanceHarness.ts"

// biome-ignore lint/suspicious/noExplicitAny: an adapter's entry type is its own business
export type AnyAdapter = Adapter<any>

/** Thrown when a check finds the adapter or destination breaking the contract. */
export class ConformanceError extends Error {
  override readonly name = "ConformanceError"
}

export const fail = (message: string): never => {
  throw new ConformanceError(message)
}

export const check = (condition: boolean, message: () => string): void => {
  if (!condition) fail(message())
}

/**
 * Runs a property and turns a counterexample into a `ConformanceError` with the property's own
 * message and how to replay it (seed and path), without printing the counterexample: hostile inputs
 * hold megabyte strings, and payloads stay out of messages.
 */
export const assertProperty = async <Ts>(property: fc.IRawProperty<Ts>, numRuns: number): Promise<void> => {
  const details = await fc.check(property, { numRuns })
  if (!details.failed) return
  const cause = details.errorInstance
  fail(
    `${cause instanceof Error ? cause.message : String(cause)} ` +
      `(fast-check seed ${details.seed}, path "${details.counterexamplePath ?? ""}", after ${details.numRuns} runs)`,
  )
}

/** A token per check run so events of two runs against one persistent destination never collide. */
const runToken = () => Math.random().toString(36).slice(2, 8)

/** Event ids are short ASCII (letters, digits, `-`), which every destination's id pattern accepts. */
export const suiteEvents = (
  harness: ConformanceHarness,
  count: number,
  tag: string,
  payloadBytes = 0,
): Array<Event> => {
  const token = runToken()
  const events: Array<Event> = []
  for (let i = 0; i < count; i++) {
    const id = `${tag}-${token}-${i}`
    const input: EventInput =
      harness.validEvent === undefined
        ? {
            type: "eventport.conformance",
            source: "eventport-testkit",
            data: payloadBytes > 0 ? { index: i, pad: "x".repeat(payloadBytes) } : { index: i },
          }
        : harness.validEvent(i, { payloadBytes })
    events.push(createEvent({ ...input, id }))
  }
  return events
}

export const encodeAll = (adapter: AnyAdapter, events: ReadonlyArray<Event>) =>
  events.map((event) => {
    let result: ReturnType<AnyAdapter["encode"]>
    try {
      result = adapter.encode(event)
    } catch (error) {
      return fail(`encode threw for the suite's event ${event.id}: ${String(error)}`)
    }
    if (result._tag !== "Encoded")
      return fail(
        `encode rejected the suite's event ${event.id} (${result.violations
          .map((v) => `${v.field}: ${v.message}`)
          .join("; ")}); give the harness a validEvent(index, { payloadBytes }) factory for this destination`,
      )
    return {
      event,
      encoded: result as Encoded<unknown>,
      id: event.id,
      bytes: result.bytes,
      batchKey: result.batchKey,
    }
  })

/** The first request the engine would form from these events, at most `max` entries. */
export const firstBatch = (
  adapter: AnyAdapter,
  events: ReadonlyArray<Event>,
  max: number,
): { readonly batch: Batch<unknown>; readonly events: ReadonlyArray<Event> } => {
  const items = encodeAll(adapter, events)
  const limits = { ...adapter.limits, maxEntries: Math.min(adapter.limits.maxEntries, max) }
  const packed = packBatches(items, limits).batches[0]
  if (packed === undefined)
    return fail("no request could be formed from the suite's events within the limits")
  return {
    batch: { entries: packed.items.map((i) => i.encoded.entry), batchKey: packed.batchKey, attempt: 1 },
    events: packed.items.map((i) => i.event),
  }
}

export type SendOutcome =
  | { readonly _tag: "Results"; readonly results: SendResult }
  | { readonly _tag: "RequestError"; readonly error: DeliveryError }

/**
 * The time one check has left, shared by its steps: a step that has not settled when the time runs
 * out fails the check naming that step (a `send` that never settles, a publish that hangs), in
 * seconds instead of the test runner's timeout.
 */
export class CheckDeadline {
  readonly #endsAt: number
  /**
   * `sendTimeoutMs`: how long one `send` may take, the engine's request timeout (a send that takes
   * longer never delivers through a publisher), so a send that never settles fails its check then,
   * not only when the whole check's time runs out.
   */
  constructor(
    readonly timeoutMs: number,
    readonly sendTimeoutMs: number = Number.POSITIVE_INFINITY,
  ) {
    this.#endsAt = Date.now() + timeoutMs
  }
  get expired(): boolean {
    return Date.now() >= this.#endsAt
  }
  /**
   * Waits for `work`; when the check's time runs out first, fails with `what` (and aborts `signal`'s
   * controller, so a send that listens can stop). `atLeastMs` gives clean-up a little time even
   * after the deadline; `extraMs` lets a backstop fire after the steps' own deadlines; `limitMs`
   * bounds this step alone (a send: {@link sendTimeoutMs}) when that comes before the check's end.
   */
  within<A>(
    what: string,
    work: PromiseLike<A>,
    options: {
      readonly atLeastMs?: number
      readonly extraMs?: number
      readonly abort?: AbortController
      readonly limitMs?: number
    } = {},
  ): Promise<A> {
    const checkLeft = Math.max(this.#endsAt + (options.extraMs ?? 0) - Date.now(), options.atLeastMs ?? 0)
    const stepLimited = options.limitMs !== undefined && options.limitMs < checkLeft
    const left = stepLimited ? options.limitMs! : checkLeft
    return new Promise<A>((resolve, reject) => {
      const timer = setTimeout(() => {
        options.abort?.abort()
        reject(
          new ConformanceError(
            (stepLimited
              ? `${what} had not settled within ${options.limitMs} ms, the engine's request timeout ` +
                "(publisher.requestTimeoutMs), after which a publisher gives the request up; "
              : `${what} had not settled when the check's ${this.timeoutMs} ms ran out (timeoutMs); `) +
              "an adapter's send must always settle, with results or a DeliveryError",
          ),
        )
      }, left)
      Promise.resolve(work).then(
        (value) => {
          clearTimeout(timer)
          resolve(value)
        },
        (error: unknown) => {
          clearTimeout(timer)
          reject(error)
        },
      )
    })
  }
}

/** Why `results` is not a send result (an array of `{ ok: true }` / `{ ok: false, error: DeliveryError }`), if it is not. */
export const malformedSendResult = (results: unknown): string | undefined => {
  if (!Array.isArray(results))
    return `${results === null ? "null" : typeof results === "object" ? "a non-array object" : typeof results} instead of an array`
  for (let i = 0; i < results.length; i++) {
    const r: unknown = results[i]
    if (typeof r !== "object" || r === null) return `result ${i} is ${r === null ? "null" : typeof r}`
    const { ok, error } = r as { ok?: unknown; error?: unknown }
    if (ok === true) continue
    if (ok !== false) return `result ${i} has no boolean ok`
    if (!DeliveryError.isInstance(error)) return `result ${i} is { ok: false } without a DeliveryError`
  }
  return undefined
}

/**
 * Calls `send` once, within the check's time. A defect (a thrown non-DeliveryError that escaped
 * `defineAdapter`), a malformed result or a send that never settles fails the check, naming it.
 */
export const sendOnce = async (
  adapter: AnyAdapter,
  batch: Batch<unknown>,
  deadline: CheckDeadline,
): Promise<SendOutcome> => {
  const abort = new AbortController()
  const exit = await deadline.within(
    `adapter ${adapter.kind}'s send of ${batch.entries.length} entries`,
    Effect.runPromiseExit(
      Effect.suspend(() => adapter.send(batch)),
      { signal: abort.signal },
    ),
    { abort, limitMs: deadline.sendTimeoutMs },
  )
  if (Exit.isSuccess(exit)) {
    const malformed = malformedSendResult(exit.value)
    if (malformed !== undefined)
      return fail(
        `adapter ${adapter.kind}'s send of ${batch.entries.length} entries resolved to a malformed result: ${malformed}; ` +
          "it must resolve to one { ok: true } or { ok: false, error: DeliveryError } per entry, in order",
      )
    return { _tag: "Results", results: exit.value }
  }
  const error = Cause.findErrorOption(exit.cause)
  if (error._tag === "Some" && DeliveryError.isInstance(error.value))
    return { _tag: "RequestError", error: error.value }
  return fail(`send failed with something other than a DeliveryError: ${Cause.pretty(exit.cause)}`)
}

/** Ids the destination holds, with how often each arrived. */
export const receivedCounts = async (harness: ConformanceHarness): Promise<Map<string, number>> => {
  const counts = new Map<string, number>()
  for (const entry of await harness.received())
    counts.set(entry.eventId, (counts.get(entry.eventId) ?? 0) + 1)
  return counts
}

/**
 * A fresh adapter for one check, closed afterwards (and the faults cleared) even when the check
 * failed; the check's own failure wins over one in clean-up.
 */
export const withAdapter = async (
  harness: ConformanceHarness,
  deadline: CheckDeadline,
  use: (adapter: AnyAdapter) => Promise<void>,
) => {
  await deadline.within("the harness's reset()", Promise.resolve(harness.reset()))
  const adapter = await deadline.within("the harness's makeAdapter()", Promise.resolve(harness.makeAdapter()))
  let failure: { readonly error: unknown } | undefined
  try {
    await use(adapter)
  } catch (error) {
    failure = { error }
  }
  const cleanUp = async () => {
    await Effect.runPromise(adapter.close)
    await harness.faults.clear()
  }
  try {
    await deadline.within(`closing adapter ${adapter.kind} and clearing faults`, cleanUp(), {
      atLeastMs: cleanUpMs,
    })
  } catch (error) {
    if (failure === undefined) throw error
  }
  if (failure !== undefined) throw failure.error
}

/** Clean-up after a check that ran out of time still gets this long. */
export const cleanUpMs = 2_000
