/**
 * Reading JSON from files and text for the config file, `--cli-input-json` and NDJSON lines, with
 * problems a person can act on. JSON.parse messages quote the input (which may hold payloads), so
 * only the position of the syntax error is kept.
 */
import { readFileSync } from "node:fs"

export type JsonText =
  | { readonly ok: true; readonly value: unknown }
  /** `part` says what failed: reading the file, or parsing its JSON. */
  | { readonly ok: false; readonly part: "file" | "json"; readonly problem: string }

/**
 * Where a JSON text broke, as an editor shows it: `line 3, column 14` (both from 1), or `column 14`
 * for one-line texts such as an NDJSON line. Computed from the parser's offset, so it is right
 * whatever the Node version writes in its message.
 */
export const textPosition = (text: string, offset: number, lines: "lines" | "one line"): string => {
  const before = text.slice(0, offset)
  const line = before.split("\n").length
  const column = offset - (before.lastIndexOf("\n") + 1) + 1
  return lines === "one line" ? `column ${column}` : `line ${line}, column ${column}`
}

/** `not valid JSON (syntax error at line L, column C)`, or `not valid JSON` when the parser gives no offset. */
export const jsonSyntaxProblem = (error: unknown, text: string, lines: "lines" | "one line"): string => {
  const message = String((error as Error)?.message)
  const offset = /position (\d+)/.exec(message)?.[1]
  if (offset !== undefined)
    return `not valid JSON (syntax error at ${textPosition(text, Number(offset), lines)})`
  // "Unexpected end of JSON input" carries no position: the text ended too early.
  if (/end of (JSON|data)/i.test(message))
    return `not valid JSON (the text ends too early, at ${textPosition(text, text.length, lines)})`
  return "not valid JSON"
}

export const parseJsonText = (text: string, lines: "lines" | "one line" = "lines"): JsonText => {
  try {
    return { ok: true, value: JSON.parse(text) }
  } catch (error) {
    return { ok: false, part: "json", problem: jsonSyntaxProblem(error, text, lines) }
  }
}

/** A UTF-8 file's JSON: the problem says `file not found`, `cannot be read (CODE)` or where the syntax broke. */
export const readJsonFile = (path: string): JsonText => {
  let text: string
  try {
    text = readFileSync(path, "utf8")
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    return {
      ok: false,
      part: "file",
      problem: code === "ENOENT" ? "file not found" : `cannot be read (${code ?? "error"})`,
    }
  }
  return parseJsonText(text)
}
