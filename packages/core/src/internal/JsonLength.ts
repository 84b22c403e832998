/**
 * The length of `JSON.stringify(value)` without building the string: the text would be garbage the
 * moment it is measured, one string per event on the hot path. Walks plain JSON (plain objects,
 * arrays, strings, numbers, booleans, null); anything else (a `toJSON`, a class instance, a Date,
 * nesting past {@link walkDepth}, a cycle) is measured on `JSON.stringify`'s own text, so the answer
 * is always exactly that text's length, and whatever `JSON.stringify` throws is thrown.
 */

/** Containers deeper than this are measured by `JSON.stringify` (which also reports a cycle). */
const walkDepth = 64

/** Thrown inside the walk when it meets something only `JSON.stringify` can measure. */
const bail: unique symbol = Symbol("bail")

/** Anything but printable ASCII other than `"` and `\`: what makes a character cost more than one. */
const notPlain = /[^\x20\x21\x23-\x5b\x5d-\x7e]/

/** Characters of a JSON string literal, quotes and escapes included; UTF-8 bytes when `utf8`. */
const stringLength = (text: string, utf8: boolean): number => {
  const n = text.length
  // A long string is usually plain: one native scan says so instead of a loop over it.
  if (n >= 64 && !notPlain.test(text)) return n + 2
  let length = 2
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x80) {
      if (c >= 0x20) length += c === 0x22 || c === 0x5c ? 2 : 1
      // \b \t \n \f \r have two-character escapes, other control characters \u00XX.
      else length += c === 8 || c === 9 || c === 10 || c === 12 || c === 13 ? 2 : 6
    } else if (c >= 0xd800 && c <= 0xdbff) {
      const next = i + 1 < n ? text.charCodeAt(i + 1) : 0
      if (next >= 0xdc00 && next <= 0xdfff) {
        length += utf8 ? 4 : 2
        i++
      } else length += 6 // a lone surrogate is escaped as \uXXXX
    } else if (c >= 0xdc00 && c <= 0xdfff) length += 6
    else length += utf8 ? (c < 0x800 ? 2 : 3) : 1
  }
  return length
}

/** `String(n).length` without the string for the usual integers. */
const numberLength = (n: number): number => {
  if (!Number.isFinite(n)) return 4 // null
  if (Number.isInteger(n) && n > -1e21 && n < 1e21) {
    // Powers of ten up to 1e21 are exact doubles, so the comparisons are too.
    const magnitude = n < 0 ? -n : n
    let length = n < 0 ? 2 : 1
    for (let power = 10; power <= magnitude; power *= 10) length++
    return length
  }
  return String(n).length
}

const isPlainObject = (value: object): boolean => {
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/** A value's length in its container: undefined when JSON leaves it out (an object member) or writes `null` (in an array). */
const valueLength = (value: unknown, utf8: boolean, depth: number): number | undefined => {
  switch (typeof value) {
    case "string":
      return stringLength(value, utf8)
    case "number":
      return numberLength(value)
    case "boolean":
      return value ? 4 : 5
    case "object": {
      if (value === null) return 4
      if (depth >= walkDepth) throw bail
      if (Array.isArray(value)) {
        const n = value.length
        let length = n > 0 ? n + 1 : 2 // brackets and commas
        for (let i = 0; i < n; i++) length += valueLength(value[i], utf8, depth + 1) ?? 4
        return length
      }
      if (!isPlainObject(value) || "toJSON" in value) throw bail
      let length = 1
      let members = 0
      for (const key in value) {
        if (!Object.hasOwn(value, key)) continue
        const member = valueLength((value as Record<string, unknown>)[key], utf8, depth + 1)
        if (member === undefined) continue
        length += stringLength(key, utf8) + 1 + member + 1 // "key":value and a comma or the closing brace
        members++
      }
      return members === 0 ? 2 : length
    }
    case "undefined":
    case "function":
    case "symbol":
      return undefined
    default:
      // A bigint: JSON.stringify throws its own TypeError.
      throw bail
  }
}

const textLength = (text: string | undefined, utf8: boolean): number | undefined =>
  text === undefined ? undefined : utf8 ? Buffer.byteLength(text, "utf8") : text.length

/**
 * The length of `JSON.stringify(value)` (UTF-16 code units, or UTF-8 bytes with `utf8`), built
 * only when the walk cannot measure it; undefined when `JSON.stringify` returns undefined. Throws
 * what `JSON.stringify` throws (a cycle, a bigint, a throwing getter).
 */
export const jsonLength = (value: unknown, utf8: boolean): number | undefined => {
  try {
    return valueLength(value, utf8, 0)
  } catch (error) {
    if (error !== bail) throw error
    return textLength(JSON.stringify(value), utf8)
  }
}
