/**
 * Flattens an Effect Schema failure into `{ path, message }` lines a person can act on. Messages say
 * what was expected; the caller decides whether the offending input may be echoed.
 */
import { type Schema, SchemaIssue } from "effect"
import { formatFieldPath } from "./FieldPath.ts"

export interface FieldProblem {
  /** e.g. `destinations.bus.eventBusName`. */
  readonly path: string
  /** e.g. `Expected string, got 3`. */
  readonly message: string
}

const formatter = SchemaIssue.makeFormatterStandardSchemaV1()

export const schemaProblems = (
  error: Schema.SchemaError,
  prefix: ReadonlyArray<PropertyKey> = [],
): Array<FieldProblem> =>
  formatter(error.issue).issues.map((issue) => ({
    path: formatFieldPath([...prefix, ...(issue.path ?? []).map((p) => (typeof p === "object" ? p.key : p))]),
    message: issue.message
      .replace(/^Missing key$/, "is required")
      .replace(/^(Expected no excess property|Unexpected key with value .*)$/s, "unknown field"),
  }))
