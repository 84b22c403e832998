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

/** `not valid JSON (syntax error at <unit> N)`, or `not valid JSON` when the parser gives no position. */
export const jsonSyntaxProblem = (error: unknown, unit: "character" | "column"): string => {
  const position = /position (\d+)/.exec(String((error as Error)?.message))
  return position ? `not valid JSON (syntax error at ${unit} ${Number(position[1]) + 1})` : "not valid JSON"
}

export const parseJsonText = (text: string, unit: "character" | "column" = "character"): JsonText => {
  try {
    return { ok: true, value: JSON.parse(text) }
  } catch (error) {
    return { ok: false, part: "json", problem: jsonSyntaxProblem(error, unit) }
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
