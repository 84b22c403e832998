/**
 * Reads a PutEvents response into index-aligned entry results. A 200 with failed entries is never
 * success, and a response that contradicts itself is reported, not trusted.
 */
import type { PutEventsResponse } from "@aws-sdk/client-eventbridge"
import { type EntryResult, entryFailed, entryOk, inconsistentResponse } from "@eventport/core"
import { classifyEntryError } from "../EventBridgeError.ts"

const unknownOutcome = (rawMessage: string): EntryResult => entryFailed(inconsistentResponse(rawMessage))

/**
 * `Entries[i]` answers request entry `i`
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevents.html). An entry the response does not mention, or
 * that has neither EventId nor ErrorCode, has an unknown outcome. When `FailedEntryCount` disagrees
 * with the entries, the side it puts in doubt is reported: if it counts more failures than listed,
 * the listed successes are unknown; if fewer, the listed failures may have been applied.
 */
export const readPutEventsResults = (
  sent: number,
  response: PutEventsResponse,
): ReadonlyArray<EntryResult> => {
  const entries = response.Entries ?? []
  const results: Array<EntryResult> = []
  let listedFailures = 0
  for (let i = 0; i < sent; i++) {
    const entry = entries[i]
    if (entry === undefined) {
      listedFailures++
      results.push(unknownOutcome(`the PutEvents response has ${entries.length} entries for ${sent} sent`))
    } else if (entry.ErrorCode !== undefined) {
      listedFailures++
      results.push(entryFailed(classifyEntryError(entry.ErrorCode, entry.ErrorMessage)))
    } else if (entry.EventId !== undefined) results.push(entryOk(entry.EventId))
    else {
      listedFailures++
      results.push(unknownOutcome("the PutEvents response entry has neither EventId nor ErrorCode"))
    }
  }
  const counted = response.FailedEntryCount ?? 0
  if (counted === listedFailures) return results
  const disagreement = `FailedEntryCount is ${counted} but the response lists ${listedFailures} failed of ${sent} entries`
  return results.map((result) => {
    if (counted > listedFailures) return result.ok ? unknownOutcome(disagreement) : result
    return result.ok
      ? result
      : entryFailed(
          result.error.with({
            outcomeUnknown: true,
            rawMessage: `${result.error.rawMessage ?? ""} (${disagreement})`.trimStart(),
          }),
        )
  })
}
