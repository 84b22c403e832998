/**
 * Small pieces every adapter needs, kept here so adapters stay translation only.
 */
import type { Event, Violation } from "./Event.ts"

/** An adapter option given as a constant or as a function of the event. */
export type PerEvent<T> = T | ((event: Event) => T)

export const resolvePerEvent = <T>(option: PerEvent<T>, event: Event): T =>
  typeof option === "function" ? (option as (event: Event) => T)(event) : option

/** UTF-8 length of a string, as destinations count bytes. */
export const utf8Length = (text: string): number => Buffer.byteLength(text, "utf8")

/** Builds a {@link Violation}. */
export const violation = (field: string, rule: string, message: string): Violation => ({
  field,
  rule,
  message,
})

/** Checks a string against length bounds and a full-match pattern; returns the first violation. */
export const checkString = (
  field: string,
  value: string,
  rules: {
    readonly min?: number
    readonly max?: number
    readonly pattern?: RegExp
    readonly patternText?: string
  },
): Violation | undefined => {
  if (rules.min !== undefined && value.length < rules.min)
    return violation(field, "minLength", `must be at least ${rules.min} characters, got ${value.length}`)
  if (rules.max !== undefined && value.length > rules.max)
    return violation(field, "maxLength", `must be at most ${rules.max} characters, got ${value.length}`)
  if (rules.pattern !== undefined && !rules.pattern.test(value))
    return violation(field, "pattern", `must match ${rules.patternText ?? rules.pattern.source}`)
  return undefined
}

/** The event's data as JSON text, or its bytes when it is binary. */
export const payloadBytes = (event: Event): Uint8Array =>
  event.data instanceof Uint8Array ? event.data : Buffer.from(JSON.stringify(event.data), "utf8")
