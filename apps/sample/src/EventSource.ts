/**
 * Where events come from: the generator, an NDJSON file or stdin, or the `events` of a
 * `--cli-input-json` request. Each item is an event to send or a problem with the input; a bad
 * line is reported with its line number and the rest of the input is still sent.
 */
import { createReadStream } from "node:fs"
import { createInterface } from "node:readline"
import type { Readable } from "node:stream"
import { type Event, type EventInput, readNdjsonDeadLetters, validateEvent } from "@eventport/core"
import { parseJsonText } from "./internal/JsonText.ts"

/** Something in the input that could not become an event; never holds payload values. */
export interface InputProblem {
  /** `line 3` for NDJSON, `events[2]` for a request. */
  readonly where: string
  /** The offending field (`type`, `data.x`), or `(line)` when the line itself is not an event. */
  readonly field: string
  readonly rule: string
  readonly message: string
  /** The event's id, when the input had one. */
  readonly eventId?: string
}

export type InputItem =
  | { readonly _tag: "Event"; readonly event: EventInput }
  | { readonly _tag: "Problem"; readonly problem: InputProblem }

const problemItem = (problem: InputProblem): InputItem => ({ _tag: "Problem", problem })

/**
 * One NDJSON line: an event (normalized: id and time filled in), a problem naming the line, or
 * nothing for a blank line.
 */
export const parseNdjsonLine = (line: string, lineNumber: number): InputItem | undefined => {
  if (line.trim() === "") return undefined
  const where = `line ${lineNumber}`
  const json = parseJsonText(line, "one line")
  if (!json.ok) return problemItem({ where, field: "(line)", rule: "json", message: json.problem })
  return checkEventInput(json.value, where)
}

/** Validates one event input against the event model; `where` names it in problems. */
export const checkEventInput = (json: unknown, where: string): InputItem => {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    const got = json === null ? "null" : Array.isArray(json) ? "an array" : `a ${typeof json}`
    return problemItem({
      where,
      field: "(event)",
      rule: "type",
      message: `an event must be a JSON object, got ${got}`,
    })
  }
  const result = validateEvent(json)
  if (result.ok) return { _tag: "Event", event: result.event satisfies Event }
  const [first, ...rest] = result.violations
  const more = rest.length === 0 ? "" : ` (and ${rest.length} more: ${rest.map((v) => v.field).join(", ")})`
  return problemItem({
    where,
    field: first?.field ?? "(event)",
    rule: first?.rule ?? "invalid",
    message: `${first?.message ?? "not a valid event"}${more}`,
    ...(result.eventId === undefined ? {} : { eventId: result.eventId }),
  })
}

/** Lines of a stream, numbered from 1 (node:readline splits them; CRLF is handled). */
export async function* readNdjson(input: Readable): AsyncGenerator<InputItem> {
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })
  let lineNumber = 0
  for await (const line of lines) {
    lineNumber++
    const item = parseNdjsonLine(line, lineNumber)
    if (item !== undefined) yield item
  }
}

/** `-` reads stdin; anything else is a file path. */
export const openNdjson = (path: string, stdin: Readable = process.stdin): AsyncGenerator<InputItem> =>
  readNdjson(path === "-" ? stdin : createReadStream(path))

/**
 * The original events of a dead-letter file, each once: an event that failed at several
 * destinations has one dead letter per destination but is sent again once, to the destinations of
 * this run. A line that is not a dead letter, or one that holds no event (its input was not a
 * valid event), is a problem naming the line.
 */
export async function* readDeadLetterFile(path: string): AsyncGenerator<InputItem> {
  const seen = new Set<string>()
  for await (const line of readNdjsonDeadLetters(path)) {
    if (line._tag === "BadLine") {
      const [first] = line.violations
      yield problemItem({
        where: `line ${line.line}`,
        field: first?.field ?? "(line)",
        rule: first?.rule ?? "deadLetter",
        message: first?.message ?? "is not a dead letter",
      })
    } else if (!seen.has(line.event.id)) {
      seen.add(line.event.id)
      yield { _tag: "Event", event: line.event }
    }
  }
}

/**
 * How many items a file holds, counted before the run so progress has a fixed total: one per
 * non-blank line of an NDJSON file, one per item a dead-letter file yields.
 */
export const countNdjsonItems = async (path: string): Promise<number> => {
  let count = 0
  for await (const _ of openNdjsonLines(path)) count++
  return count
}

export const countDeadLetterItems = async (path: string): Promise<number> => {
  let count = 0
  for await (const _ of readDeadLetterFile(path)) count++
  return count
}

/** Non-blank lines of a file, not parsed: counting must not cost a JSON parse per line. */
async function* openNdjsonLines(path: string): AsyncGenerator<string> {
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Number.POSITIVE_INFINITY })
  for await (const line of lines) if (line.trim() !== "") yield line
}
