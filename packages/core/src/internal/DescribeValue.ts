/**
 * How messages name a value they refuse: by its kind for event data and hook results
 * ({@link describeValue}), and as it is where a user wrote it, in options ({@link shownValue}).
 */

/** What a value is, for violation messages: `null`, `an array`, `binary data`, `a number`… */
export const describeValue = (u: unknown): string =>
  u === null
    ? "null"
    : Array.isArray(u)
      ? "an array"
      : u instanceof Uint8Array
        ? "binary data"
        : typeof u === "object"
          ? "an object"
          : typeof u === "undefined"
            ? "undefined"
            : `a ${typeof u}`

/**
 * A bad option value as a message shows it: numbers, booleans and `undefined` as they are, strings
 * quoted, anything else by its kind ({@link describeValue}: `null`, `an array`, `a function`…).
 */
export const shownValue = (value: unknown): string => {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value)
    case "number":
    case "boolean":
    case "bigint":
    case "undefined":
      return String(value)
    default:
      return describeValue(value)
  }
}
