/**
 * createPublisher's option checks: every option that cannot work, misspelled or of the wrong kind,
 * is an error naming it and its rule, at construction, instead of a default used in silence.
 */
import { assert, describe, it } from "@effect/vitest"
import { Result } from "effect"
import fc from "fast-check"
import { createPublisher, type PublisherOptions, resolvePublisherOptions } from "../src/index.ts"
import { scriptedAdapter } from "./ScriptedAdapter.ts"

const adapter = scriptedAdapter().adapter

/** The error resolvePublisherOptions gives for `options` (they are not trusted to be well typed). */
const failure = (options: unknown) => {
  const resolved = resolvePublisherOptions(options as PublisherOptions)
  if (Result.isSuccess(resolved)) assert.fail(`accepted ${JSON.stringify(options)}`)
  return resolved.failure
}

describe("createPublisher: option checks", () => {
  it.each([
    // A name that is not an option, at each level, with the option it most likely meant.
    [
      { destinations: { a: adapter }, timeoutMs: 5 },
      "timeoutMs",
      "unknown",
      "timeoutMs is not an option, did you mean requestTimeoutMs?",
    ],
    [
      { destinations: { a: adapter }, RequestTimeoutMs: 5 },
      "RequestTimeoutMs",
      "unknown",
      "did you mean requestTimeoutMs?",
    ],
    [
      { destinations: { a: adapter }, retainOutcome: "all" },
      "retainOutcome",
      "unknown",
      "did you mean retainOutcomes?",
    ],
    [{ destinations: { a: adapter }, colour: "red" }, "colour", "unknown", "colour is not an option"],
    [{ destinations: { a: { adapter, timeout: 5 } } }, "a.timeout", "unknown", "a.timeout is not an option"],
    [
      { destinations: { a: adapter }, retry: { attempts: 3 } },
      "retry.attempts",
      "unknown",
      "did you mean maxAttempts?",
    ],
    [
      { destinations: { a: { adapter, retry: { maxAttempt: 3 } } } },
      "a.retry.maxAttempt",
      "unknown",
      "did you mean maxAttempts?",
    ],
    [
      { destinations: { a: adapter }, retry: { budget: { capacty: 5 } } },
      "retry.budget.capacty",
      "unknown",
      "did you mean capacity?",
    ],
    [
      { destinations: { a: adapter }, sendRate: { decreas: 0.5 } },
      "sendRate.decreas",
      "unknown",
      "did you mean decrease?",
    ],
    [
      { destinations: { a: { adapter, sendRate: { minrate: 1 } } } },
      "a.sendRate.minrate",
      "unknown",
      "did you mean minRate?",
    ],
    [
      { destinations: { a: adapter }, buffer: { linger: 5 } },
      "buffer.linger",
      "unknown",
      "did you mean lingerMs?",
    ],
    // Objects of the wrong kind.
    [undefined, "options", "type", "the options must be an object, got undefined"],
    [{}, "destinations", "type", "destinations is required"],
    [{ destinations: null }, "destinations", "type", "destinations must be an object, got null"],
    [
      { destinations: { a: adapter }, retry: false },
      "retry",
      "type",
      "retry must be an object (for no retries, { maxAttempts: 1 }), got false",
    ],
    [
      { destinations: { a: adapter }, retry: { budget: true } },
      "retry.budget",
      "type",
      "retry.budget must be an object or false, got true",
    ],
    [
      { destinations: { a: adapter }, sendRate: true },
      "sendRate",
      "type",
      "sendRate must be an object or false, got true",
    ],
    [
      { destinations: { a: adapter }, buffer: [] },
      "buffer",
      "type",
      "buffer must be an object, got an array",
    ],
    // Names out of their set, callbacks that are not functions.
    [
      { destinations: { a: adapter }, buffer: { overflow: "drop" } },
      "buffer.overflow",
      "type",
      'buffer.overflow must be "block", "dropNewest" or "fail", got "drop"',
    ],
    [
      { destinations: { a: adapter }, retainOutcomes: "problem" },
      "retainOutcomes",
      "type",
      'retainOutcomes must be "all", "problems" or "none", got "problem"',
    ],
    [
      { destinations: { a: adapter }, onOutcome: 5 },
      "onOutcome",
      "type",
      "onOutcome must be a function, got 5",
    ],
    [
      { destinations: { a: { adapter, route: "x" } } },
      "a.route",
      "type",
      'a.route must be a function, got "x"',
    ],
    [
      { destinations: { a: adapter }, routes: { a: true } },
      "routes.a",
      "type",
      "routes.a must be a function, got true",
    ],
    // Numbers: the kind, then the range.
    [
      { destinations: { a: adapter }, concurrency: "4" },
      "a.concurrency",
      "type",
      'a.concurrency must be a positive integer, got "4"',
    ],
    [
      { destinations: { a: adapter }, requestTimeoutMs: Number.POSITIVE_INFINITY },
      "a.requestTimeoutMs",
      "range",
      "a.requestTimeoutMs must be a positive finite number, got Infinity",
    ],
    [
      { destinations: { a: adapter }, retry: { baseDelayMs: Number.POSITIVE_INFINITY } },
      "a.retry.baseDelayMs",
      "range",
      "must be a positive finite number",
    ],
    [
      { destinations: { a: adapter }, buffer: { lingerMs: -1 } },
      "buffer.lingerMs",
      "range",
      "buffer.lingerMs must be a finite number, 0 or more, got -1",
    ],
    [
      { destinations: { a: adapter }, buffer: { lingerMs: Number.NaN } },
      "buffer.lingerMs",
      "range",
      "got NaN",
    ],
    [
      { destinations: { a: adapter }, retry: { budget: { capacity: -1 } } },
      "a.retry.budget.capacity",
      "range",
      "a.retry.budget.capacity must be a positive number, got -1",
    ],
    [
      { destinations: { a: adapter }, retry: { budget: { retryCost: Number.NaN } } },
      "a.retry.budget.retryCost",
      "range",
      "must be a finite number, 0 or more, got NaN",
    ],
    [
      { destinations: { a: adapter }, sendRate: { minShare: "0.5" } },
      "a.sendRate.minShare",
      "range",
      'got "0.5"',
    ],
  ] as const)("%j → %s (%s)", (options, option, problem, message) => {
    const error = failure(options)
    assert.strictEqual(error.option, option)
    assert.strictEqual(error.problem, problem)
    assert.include(error.message, message)
    // The Promise face throws the same message: RangeError for a range, TypeError for the rest.
    assert.throws(
      () => createPublisher(options as never),
      problem === "range" ? RangeError : TypeError,
      message,
    )
  })

  it("accepts what the options allow: 0 where it is allowed, Infinity where it bounds nothing, undefined names", () => {
    const resolved = resolvePublisherOptions({
      destinations: { a: { adapter } },
      buffer: { lingerMs: 0, maxBytes: Number.POSITIVE_INFINITY },
      retry: {
        maxDelayMs: Number.POSITIVE_INFINITY,
        maxElapsedMs: Number.POSITIVE_INFINITY,
        budget: { capacity: Number.POSITIVE_INFINITY, retryCost: 0, timeoutCost: 0, successRefill: 0 },
      },
      // A spread of optional settings may carry names it leaves undefined: they carry nothing.
      ...({ notAnOption: undefined } as object),
    })
    assert.isTrue(Result.isSuccess(resolved))
    const a = Result.getOrThrow(resolved).destinations[0]!
    assert.strictEqual(a.retry.maxDelayMs, Number.POSITIVE_INFINITY)
    assert.deepStrictEqual(a.retry.budget, {
      capacity: Number.POSITIVE_INFINITY,
      retryCost: 0,
      timeoutCost: 0,
      successRefill: 0,
    })
  })

  it("any name that is not an option, with a value, is refused by that name at every level", () => {
    const known = new Set([
      "destinations",
      "routes",
      "retry",
      "sendRate",
      "concurrency",
      "requestTimeoutMs",
      "maxQueuedEvents",
      "ordering",
      "deadLetter",
      "buffer",
      "onOutcome",
      "retainOutcomes",
      "adapter",
      "route",
      "maxAttempts",
      "baseDelayMs",
      "maxDelayMs",
      "throttledBaseDelayMs",
      "maxElapsedMs",
      "budget",
      "maxEvents",
      "maxBytes",
      "lingerMs",
      "overflow",
      "__proto__",
    ])
    const name = fc.string({ minLength: 1, maxLength: 20 }).filter((n) => !known.has(n))
    const value = fc.oneof(fc.integer(), fc.string(), fc.boolean(), fc.constant(null))
    const level = fc.constantFrom("top", "destination", "retry", "buffer")
    fc.assert(
      fc.property(name, value, level, (n, v, where) => {
        const extra = { [n]: v }
        const options =
          where === "top"
            ? { destinations: { a: adapter }, ...extra }
            : where === "destination"
              ? { destinations: { a: { adapter, ...extra } } }
              : { destinations: { a: adapter }, [where]: extra }
        const path = where === "top" ? n : where === "destination" ? `a.${n}` : `${where}.${n}`
        const error = failure(options)
        return (
          error.problem === "unknown" &&
          error.option === path &&
          error.message.includes(`${path} is not an option`)
        )
      }),
    )
  })
})
