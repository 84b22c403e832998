/**
 * The UTF-8 size of `JSON.stringify(toCloudEvent(event))`, computed without building the CloudEvent:
 * the attributes are measured as JSON strings in place, and `data` is measured without being
 * stringified when it is plain JSON (see `jsonUtf8Length`).
 */
import { type Event, jsonUtf8Length } from "@eventport/core"

/** UTF-8 bytes of `JSON.stringify(text)`, quotes included (lone surrogates are escaped as `\uXXXX`). */
export const jsonStringBytes = (text: string): number => {
  let bytes = 2
  const n = text.length
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x80) {
      if (c >= 0x20) bytes += c === 0x22 || c === 0x5c ? 2 : 1
      // \b \t \n \f \r have two-character escapes, other control characters \u00XX.
      else bytes += c === 8 || c === 9 || c === 10 || c === 12 || c === 13 ? 2 : 6
    } else if (c < 0x800) bytes += 2
    else if (c >= 0xd800 && c <= 0xdbff) {
      const next = i + 1 < n ? text.charCodeAt(i + 1) : 0
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4
        i++
      } else bytes += 6
    } else if (c >= 0xdc00 && c <= 0xdfff) bytes += 6
    else bytes += 3
  }
  return bytes
}

// `{"specversion":"1.0","id":` … the fixed parts of every CloudEvent's JSON, braces included.
const fixedBytes =
  '{"specversion":"1.0"}'.length +
  ',"id":'.length +
  ',"source":'.length +
  ',"type":'.length +
  ',"time":'.length

/** `toISOString()` is 24 characters for years 0–9999, 27 (±YYYYYY) outside them; quotes added. */
const timeBytes = (time: Date): number => {
  const year = time.getUTCFullYear()
  return year >= 0 && year <= 9999 ? 26 : 29
}

export const cloudEventJsonSize = (event: Event): number => {
  let bytes =
    fixedBytes +
    jsonStringBytes(event.id) +
    jsonStringBytes(event.source) +
    jsonStringBytes(event.type) +
    timeBytes(event.time)
  if (event.subject !== undefined) bytes += ',"subject":'.length + jsonStringBytes(event.subject)
  if (event.dataContentType !== undefined)
    bytes += ',"datacontenttype":'.length + jsonStringBytes(event.dataContentType)
  const extensions = event.extensions
  if (extensions !== undefined)
    for (const name in extensions) {
      if (!Object.hasOwn(extensions, name)) continue
      const value = extensions[name]
      if (value === undefined) continue // JSON leaves it out
      // Names are 1–20 lower-case letters or digits: `,"name":` is ASCII.
      bytes += name.length + 4
      bytes +=
        typeof value === "string"
          ? jsonStringBytes(value)
          : typeof value === "boolean"
            ? value
              ? 4
              : 5
            : (JSON.stringify(value)?.length ?? 4)
    }
  const data = event.data
  if (data instanceof Uint8Array) bytes += ',"data_base64":""'.length + Math.ceil(data.byteLength / 3) * 4
  else if (typeof data === "string") bytes += ',"data":'.length + jsonStringBytes(data)
  else {
    // Measured in place: stringifying the data made one string of garbage per measure.
    const json = jsonUtf8Length(data)
    if (json !== undefined) bytes += ',"data":'.length + json
  }
  return bytes
}
