/**
 * What checking options needs beyond each option's own rule: the names an options object may carry
 * (a misnamed option, `timeoutMs` for `requestTimeoutMs` or `eventBusname`, would otherwise be
 * ignored and its default used in silence: events sent to the default bus, requests that wait ten
 * seconds).
 */

/**
 * Every name of an options type, as a record the type checks: written `{ … } as const satisfies
 * OptionNames<T>`, it fails to compile when a name of `T` is missing or a name is not one of `T`'s.
 */
export type OptionNames<T> = { readonly [K in keyof T]-?: true }

/** An options object: not null, not an array. */
export const isOptionsObject = (value: unknown): value is object =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** A name an options object carries that is not an option, with the option it most likely meant. */
export interface UnknownOptionName {
  readonly name: string
  readonly suggestion: string | undefined
}

/**
 * The first own name of `options` that is not in `known`, or undefined. A name whose value is
 * `undefined` carries nothing and passes, so a spread of optional settings is fine.
 */
export const unknownOptionName = (
  options: object,
  known: OptionNames<object> | Readonly<Record<string, true>>,
): UnknownOptionName | undefined => {
  for (const name of Object.keys(options)) {
    if (Object.hasOwn(known, name) || (options as Record<string, unknown>)[name] === undefined) continue
    return { name, suggestion: closestName(name, Object.keys(known)) }
  }
  return undefined
}

/** `is not an option` and, when a known name is close, `, did you mean …?`. */
export const notAnOptionMessage = (unknown: UnknownOptionName): string =>
  unknown.suggestion === undefined
    ? "is not an option"
    : `is not an option, did you mean ${unknown.suggestion}?`

/**
 * The known name `name` most likely meant: the same but for case or a plural (`maxRetry`,
 * `maxRetries`); else one at most two single-character edits away (a third of the name for short
 * names); else, for names of 4 characters or more, one that contains it or that it contains
 * (`timeoutMs`, `requestTimeoutMs`). Undefined when none is that close.
 */
const closestName = (name: string, known: ReadonlyArray<string>): string | undefined => {
  const singular = singularLower(name)
  const same = known.find((k) => singularLower(k) === singular)
  if (same !== undefined) return same
  const lower = name.toLowerCase()
  const limit = Math.min(2, Math.floor(name.length / 3))
  let best: string | undefined
  let bestDistance = limit + 1
  for (const k of known) {
    const d = editDistance(lower, k.toLowerCase())
    if (d < bestDistance) {
      best = k
      bestDistance = d
    }
  }
  if (best !== undefined) return best
  return known.find((k) => {
    const other = k.toLowerCase()
    return Math.min(lower.length, other.length) >= 4 && (other.includes(lower) || lower.includes(other))
  })
}

/** Lower case, and an English plural's ending taken off: `maxRetries` → `maxretry`. */
const singularLower = (name: string): string => name.toLowerCase().replace(/ies$/, "y").replace(/s$/, "")

/** Levenshtein distance: insertions, deletions and substitutions, one row at a time. */
const editDistance = (a: string, b: string): number => {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      )
    previous = current
  }
  return previous[b.length]!
}
