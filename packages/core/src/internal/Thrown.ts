/**
 * Describes what user code threw (a getter, a proxy trap, a hook, an iterable, an adapter) for a
 * message, without ever throwing itself: the thrown value may be a revoked proxy, an object whose
 * `message` getter throws, or an Error subclass whose `name` is not a string.
 */
const maxLength = 200

const clip = (text: string) => (text.length > maxLength ? `${text.slice(0, maxLength)}…` : text)

export const describeThrown = (thrown: unknown): string => {
  try {
    if (thrown instanceof Error) {
      const name = typeof thrown.name === "string" && thrown.name.length > 0 ? thrown.name : "Error"
      const message = typeof thrown.message === "string" ? thrown.message : ""
      return clip(message.length > 0 ? `${name}: ${message}` : name)
    }
    switch (typeof thrown) {
      case "string":
        return clip(`the string ${JSON.stringify(thrown)}`)
      case "number":
      case "boolean":
      case "bigint":
        return `the ${typeof thrown} ${String(thrown)}`
      case "undefined":
        return "undefined"
      case "symbol":
        return "a symbol"
      case "function":
        return "a function"
      default:
        return thrown === null ? "null" : "an object that is not an Error"
    }
  } catch {
    // A revoked proxy or a throwing `name`/`message` getter.
    return "a value that could not be read"
  }
}
