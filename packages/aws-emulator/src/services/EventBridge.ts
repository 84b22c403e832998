import { randomUUID } from "node:crypto"
import { describeViolations } from "../internal/modelValidation.ts"
import {
  type BatchItem,
  type EntryFailure,
  isRecord,
  parseJsonBody,
  requestError,
  type ServiceHandler,
  serviceModel,
} from "../internal/ServiceHandler.ts"
import model from "../models/eventbridge-2015-10-07.PutEvents.json" with { type: "json" }
import type { EventBridgeEntry } from "../Store.ts"

const { traits, validator } = serviceModel("eventbridge", model)

/** Documented on the DetailType member, not modelled. */
export const maxDetailTypeLength = 128
/** "Nesting is processed to at most 1000 levels" (PutEvents docs). */
export const maxDetailDepth = 1000

/**
 * The total entry size a request may have by default: "less than 1MB" since January 2026
 * (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html ;
 * https://aws.amazon.com/about-aws/whats-new/2026/01/amazon-eventbridge-increases-event-payload-size-256-kb-1-mb/),
 * read as 1,000,000 bytes, the safe reading of "1MB". 262,144 (256 KiB) was the figure before.
 */
export const defaultMaxRequestBytes = 1_000_000

/**
 * AWS's PutEvents entry size
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/calculate-putevents-entry-size.html):
 * 14 bytes for Time if set, plus the UTF-8 bytes of Source,
 * DetailType, Detail and each Resources string. EventBusName and TraceHeader do not count.
 */
export const putEventsEntrySize = (entry: Readonly<Record<string, unknown>>): number => {
  let size = entry.Time !== undefined && entry.Time !== null ? 14 : 0
  for (const key of ["Source", "DetailType", "Detail"]) {
    const value = entry[key]
    if (typeof value === "string") size += Buffer.byteLength(value, "utf8")
  }
  if (Array.isArray(entry.Resources)) {
    for (const resource of entry.Resources)
      if (typeof resource === "string") size += Buffer.byteLength(resource, "utf8")
  }
  return size
}

const depthOf = (value: unknown): number => {
  let max = 0
  const stack: [unknown, number][] = [[value, 1]]
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!
    if (typeof node !== "object" || node === null) continue
    if (depth > max) max = depth
    for (const child of Object.values(node))
      if (typeof child === "object" && child !== null) stack.push([child, depth + 1])
  }
  return max
}

const invalidArgument = (member: string, reason: string): EntryFailure => ({
  code: "InvalidArgument",
  message: `Parameter ${member} is not valid. Reason: ${reason}`,
  statusCode: 400,
})

const malformedDetail: EntryFailure = {
  code: "MalformedDetail",
  message: "Detail is malformed.",
  statusCode: 400,
}

/** The documented per-entry rules the model does not carry. */
const entryRejection = (entry: Readonly<Record<string, unknown>>): EntryFailure | undefined => {
  for (const member of ["Source", "DetailType", "Detail"]) {
    if (entry[member] === undefined) return invalidArgument(member, `${member} is a required argument.`)
  }
  const detailType = entry.DetailType as string
  if ([...detailType].length > maxDetailTypeLength) {
    return invalidArgument("DetailType", `DetailType exceeds ${maxDetailTypeLength} characters.`)
  }
  let detail: unknown
  try {
    detail = JSON.parse(entry.Detail as string)
  } catch {
    return malformedDetail
  }
  if (!isRecord(detail) || depthOf(detail) > maxDetailDepth) return malformedDetail
  return undefined
}

const isComplete = (entry: Readonly<Record<string, unknown>>): boolean =>
  entry.Source !== undefined && entry.DetailType !== undefined && entry.Detail !== undefined

export const eventBridgeHandler: ServiceHandler<"eventbridge"> = {
  traits,
  prepare(request, limits) {
    const input = parseJsonBody(request.body)
    if (!isRecord(input)) {
      return {
        ok: false,
        error: {
          code: "SerializationException",
          status: 400,
          message: "Start of structure or map found where not expected.",
        },
      }
    }
    const violations = validator.validate("PutEventsRequest", input)
    if (violations.length > 0) return requestError(traits, describeViolations(violations))
    const entries = input.Entries as Readonly<Record<string, unknown>>[]
    let total = 0
    for (const entry of entries) total += putEventsEntrySize(entry)
    if (total > limits.eventBridgeMaxRequestBytes) {
      return requestError(traits, "Total size of the entries in the request is over the limit.")
    }
    if (!entries.some(isComplete)) {
      // Documented: when no entry has Source, DetailType and Detail, the whole request fails.
      return requestError(
        traits,
        "Parameter(s) Source, DetailType and Detail are required for at least one entry.",
      )
    }
    const items: BatchItem<EventBridgeEntry>[] = entries.map((entry) => {
      const eventBusName = (entry.EventBusName as string | undefined) ?? "default"
      const eventId = randomUUID()
      const rejection = entryRejection(entry)
      const accepted: EventBridgeEntry = {
        target: eventBusName,
        requestId: request.requestId,
        receivedAt: request.receivedAt,
        eventId,
        eventBusName,
        source: (entry.Source as string | undefined) ?? "",
        detailType: (entry.DetailType as string | undefined) ?? "",
        detail: (entry.Detail as string | undefined) ?? "",
        time:
          typeof entry.Time === "number"
            ? new Date(entry.Time * 1000)
            : typeof entry.Time === "string"
              ? new Date(entry.Time)
              : request.receivedAt,
        resources: (entry.Resources as string[] | undefined) ?? [],
        ...(typeof entry.TraceHeader === "string" ? { traceHeader: entry.TraceHeader } : {}),
      }
      return {
        view: { service: "eventbridge", target: eventBusName, id: eventId, fields: entry },
        accepted,
        ...(rejection === undefined ? {} : { rejection }),
      }
    })
    return {
      ok: true,
      batch: {
        items,
        render(failures) {
          let failed = 0
          const resultEntries = items.map((item, i) => {
            const failure = failures[i]
            if (failure === undefined) return { EventId: item.accepted.eventId }
            failed++
            return { ErrorCode: failure.code, ErrorMessage: failure.message }
          })
          return { status: 200, body: { FailedEntryCount: failed, Entries: resultEntries } }
        },
      },
    }
  },
}
