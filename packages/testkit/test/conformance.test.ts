import { describe, expect, it } from "vitest"
import {
  type ConformanceCheckName,
  ConformanceError,
  conformanceChecks,
  describeAdapterConformance,
} from "../src/index.ts"
import { type Breakage, referenceHarness } from "./fixtures/ReferenceDestination.ts"

// The suite passes on a correct adapter…
describeAdapterConformance({ harness: referenceHarness(), propertyRuns: 20 })

// …and fails on each broken one, in the check that covers the breakage.
const caughtBy: ReadonlyArray<readonly [Breakage, ConformanceCheckName, RegExp]> = [
  ["dropsResult", "sendAnswersEveryEntryInOrder", /returned 9 results for 10 entries/],
  [
    "okWithoutStoring",
    "sendAnswersEveryEntryInOrder",
    /reported event .* ok but the destination holds it 0 times/,
  ],
  [
    "underReportsBytes",
    "acceptsRequestsFilledToDeclaredLimits",
    /refused a request filled towards maxRequestBytes/,
  ],
  ["liesAboutMaxEntries", "acceptsRequestsFilledToDeclaredLimits", /refused a request filled to maxEntries/],
  ["shiftsResults", "sendAttributesEntryFailures", /was reported (failed|ok)/],
  [
    "permanentAsRetryable",
    "sendAttributesEntryFailures",
    /permanent destination error but was classified retryable: true/,
  ],
  ["unclassifiedRequestErrors", "sendClassifiesRequestErrors", /throttling error was classified Unknown/],
  ["impureEncode", "encodeIsPureAndDeterministic", /encode is not deterministic/],
  ["throwsOnDeepData", "encodeSurvivesHostileInput", /encode threw for the valid event .*data too deep/],
  [
    "pollutesPrototype",
    "encodeSurvivesHostileInput",
    /polluted a prototype: added Object\.prototype\.polluted/,
  ],
  [
    "replacesLoneSurrogates",
    "encodeSurvivesHostileInput",
    /the entry encode made of event .* does not decode to its data .*: a difference at data\["\\ud800"\]/,
  ],
  // the same breakages, seen through the engine
  [
    "dropsResult",
    "publishDeliversEveryEventOnceWithinLimits",
    /was not delivered with no fault scripted|holds it/,
  ],
  [
    "okWithoutStoring",
    "publishDeliversEveryEventOnceWithinLimits",
    /is Delivered but the destination holds it 0 times/,
  ],
  [
    "liesAboutMaxEntries",
    "publishDeliversEveryEventOnceWithinLimits",
    /was not delivered with no fault scripted/,
  ],
  ["shiftsResults", "publishLosesNothingOnPartialFailure", /event .* (ended|is Delivered|is Failed)/],
  ["permanentAsRetryable", "publishDoesNotRetryPermanentErrors", /the permanent error was retried/],
  [
    "unclassifiedRequestErrors",
    "publishRetriesRetryableErrors",
    /was not delivered after transient failures/,
  ],
  ["throwsOnDeepData", "publishSurvivesHostileInput", /Failed \(Unknown/],
  ["pollutesPrototype", "publishSurvivesHostileInput", /publishing hostile input polluted a prototype/],
  [
    "replacesLoneSurrogates",
    "publishSurvivesHostileInput",
    /the destination does not hold delivered event .* as its data .*: a difference at data/,
  ],
  ["okWithoutStoring", "publishSurvivesHostileMembers", /valid event .* is held 0 times \(expected once\)/],
  [
    "refusesHostileKeys",
    "publishSurvivesHostileInput",
    /Failed \(InvalidRequest, raw Invalid\) with no fault scripted/,
  ],
]

// A send that misbehaves fails the check fast and clearly: a malformed result or a defect is named,
// and a send that never settles fails the check when its `timeoutMs` runs out, naming the send.
const misbehavingSends: ReadonlyArray<readonly [Breakage, ConformanceCheckName, RegExp]> = [
  [
    "resultWithoutError",
    "sendAnswersEveryEntryInOrder",
    /send of 10 entries resolved to a malformed result: result 0 is \{ ok: false \} without a DeliveryError/,
  ],
  ["resolvesUndefined", "sendAnswersEveryEntryInOrder", /malformed result: undefined instead of an array/],
  ["resolvesNulls", "sendAnswersEveryEntryInOrder", /malformed result: result 0 is null/],
  [
    "resolvesObject",
    "sendAnswersEveryEntryInOrder",
    /malformed result: a non-array object instead of an array/,
  ],
  ["diesInEffect", "sendAnswersEveryEntryInOrder", /TypeError: Cannot read properties of undefined/],
  [
    "neverSettles",
    "sendAnswersEveryEntryInOrder",
    /adapter reference-neverSettles's send of 10 entries had not settled when the check's 2000 ms ran out/,
  ],
  ["neverSettles", "sendAttributesEntryFailures", /send of \d+ entries had not settled/],
  ["neverSettles", "sendClassifiesRequestErrors", /send of 3 entries had not settled/],
  ["neverSettles", "acceptsRequestsFilledToDeclaredLimits", /send of 10 entries had not settled/],
  // Through the engine: the adapter's bug is each pair's Failed outcome, named; a send that never
  // settles is still bounded by the check's time.
  [
    "resultWithoutError",
    "publishDeliversEveryEventOnceWithinLimits",
    /was not delivered with no fault scripted: Unknown \(AdapterBug: adapter reference-resultWithoutError bug: send's result \d+ is \{ ok: false \} without a DeliveryError/,
  ],
  [
    "resolvesUndefined",
    "publishDeliversEveryEventOnceWithinLimits",
    /AdapterBug: adapter reference-resolvesUndefined bug: send resolved to undefined instead of an array/,
  ],
  [
    "resolvesNulls",
    "publishRetriesRetryableErrors",
    /AdapterBug: adapter reference-resolvesNulls bug: send's result \d+ is null/,
  ],
  [
    "resolvesObject",
    "publishLosesNothingOnPartialFailure",
    /AdapterBug: adapter reference-resolvesObject bug: send resolved to an object that is not a DeliveryError/,
  ],
  [
    "diesInEffect",
    "publishDeliversEveryEventOnceWithinLimits",
    /AdapterBug: adapter reference-diesInEffect bug: send died with TypeError: Cannot read properties of undefined/,
  ],
  [
    "neverSettles",
    "publishDeliversEveryEventOnceWithinLimits",
    /publishing 21 events through the engine to adapter reference-neverSettles had not settled when the check's 2000 ms ran out/,
  ],
]

const failureOf = async (run: Promise<void>): Promise<unknown> => {
  try {
    await run
  } catch (error) {
    return error
  }
  return undefined
}

describe("the suite catches broken adapters", () => {
  for (const [breakage, name, message] of caughtBy)
    it(`${breakage} fails ${name}`, async () => {
      const error = await failureOf(
        conformanceChecks[name]({ harness: referenceHarness(breakage), propertyRuns: 5 }),
      )
      expect(error).toBeInstanceOf(ConformanceError)
      expect((error as Error).message).toMatch(message)
    })

  // With the check's default 60 s, a send that never settles still fails its check as soon as the
  // engine's request timeout has passed (here 300 ms), naming that timeout.
  for (const name of [
    "sendAnswersEveryEntryInOrder",
    "sendAttributesEntryFailures",
    "sendClassifiesRequestErrors",
    "acceptsRequestsFilledToDeclaredLimits",
  ] as const)
    it(`neverSettles fails ${name} at the publisher's requestTimeoutMs, not the check's 60 s`, {
      timeout: 15_000,
    }, async () => {
      const error = await failureOf(
        conformanceChecks[name]({
          harness: referenceHarness("neverSettles"),
          propertyRuns: 5,
          publisher: { requestTimeoutMs: 300 },
        }),
      )
      expect(error).toBeInstanceOf(ConformanceError)
      expect((error as Error).message).toMatch(
        /send of \d+ entries had not settled within 300 ms, the engine's request timeout \(publisher\.requestTimeoutMs\)/,
      )
    })

  for (const [breakage, name, message] of misbehavingSends)
    it(`${breakage} fails ${name} within the check's timeoutMs`, { timeout: 15_000 }, async () => {
      const error = await failureOf(
        conformanceChecks[name]({ harness: referenceHarness(breakage), propertyRuns: 5, timeoutMs: 2_000 }),
      )
      expect(error).toBeInstanceOf(ConformanceError)
      expect((error as Error).message).toMatch(message)
    })
})
