/**
 * What the hostile-input checks share: fixed hostile events (so every run covers the classic cases,
 * whatever fast-check draws), a guard that notices and undoes prototype pollution, and the comparison
 * of data as a destination carries it with the event's data.
 */
import { Buffer } from "node:buffer"
import { createEvent, type Event, type EventData, maxDataDepth, type Violation } from "@eventport/core"
import { deeplyNestedData } from "../Arbitraries.ts"
import type { ConformanceHarness } from "../ConformanceHarness.ts"
import { check, suiteEvents } from "./ConformanceSupport.ts"

/** An event id in a message: quoted, escaped and cut short (hostile ids may be long or unprintable). */
export const describeId = (id: unknown): string => {
  const text = typeof id === "string" ? id : String(id)
  return JSON.stringify(text.length > 48 ? `${text.slice(0, 48)}…` : text)
}

/**
 * The suite's valid events for this destination, each with its data (and for one, its id) replaced
 * by a classic hostile case: nesting as deep as the event model allows (`maxDataDepth`, objects,
 * then arrays), own `__proto__` /
 * `constructor` / `prototype` keys, lone surrogates and bidi controls in keys and values, -0, and
 * bytes that are not UTF-8.
 */
export const hostileSamples = (harness: ConformanceHarness): Array<Event> => {
  const data: ReadonlyArray<EventData> = [
    deeplyNestedData(maxDataDepth),
    deeplyNestedData(maxDataDepth, "array"),
    JSON.parse(
      '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"prototype":{"polluted":true}}',
    ),
    { "\uD800": "a\uDC00b", "\u202Eevil": "\uFEFF\u0000", "👩‍👩‍👧‍👦": "e\u0301\u0301", '"}]': "</script>" },
    { zero: -0, list: [-0, 1e308, -5e-324], nested: { "": null } },
    new Uint8Array([0x00, 0xff, 0xfe, 0x7b, 0x22]),
  ]
  return suiteEvents(harness, data.length, "hos").map((event, i) =>
    createEvent({ ...event, id: i === 3 ? `${event.id} \u202E✓` : event.id, data: data[i]! }),
  )
}

/** Every violation names a field and a rule (non-empty strings), and there is at least one. */
export const checkViolations = (what: string, violations: ReadonlyArray<Violation>): void => {
  check(violations.length > 0, () => `${what} without saying why (no violations)`)
  for (const v of violations)
    check(
      typeof v.field === "string" && v.field.length > 0 && typeof v.rule === "string" && v.rule.length > 0,
      () => `${what} with a violation that does not name its field and rule`,
    )
}

const watchedPrototypes = [
  ["Object.prototype", Object.prototype],
  ["Array.prototype", Array.prototype],
] as const

const sameDescriptor = (a: PropertyDescriptor, b: PropertyDescriptor) =>
  Object.is(a.value, b.value) &&
  a.get === b.get &&
  a.set === b.set &&
  a.writable === b.writable &&
  a.enumerable === b.enumerable &&
  a.configurable === b.configurable

/**
 * Remembers `Object.prototype` and `Array.prototype` as they are; `restore()` undoes any change made
 * since (so one polluting adapter does not break the tests after it) and names what changed.
 */
export const prototypeGuard = () => {
  // Maps, not plain objects: a polluted Object.prototype must not answer for what was saved.
  const saved = watchedPrototypes.map(
    ([, proto]) =>
      new Map(Reflect.ownKeys(proto).map((key) => [key, Object.getOwnPropertyDescriptor(proto, key)!])),
  )
  return {
    restore: (): string | undefined => {
      const changes: Array<string> = []
      watchedPrototypes.forEach(([name, proto], i) => {
        const before = saved[i]!
        for (const key of Reflect.ownKeys(proto)) {
          const was = before.get(key)
          const now = Object.getOwnPropertyDescriptor(proto, key)!
          if (was === undefined) {
            changes.push(`added ${name}.${String(key)}`)
            Reflect.deleteProperty(proto, key)
          } else if (!sameDescriptor(was, now)) {
            changes.push(`changed ${name}.${String(key)}`)
            Reflect.defineProperty(proto, key, was)
          }
        }
        for (const [key, was] of before)
          if (!Object.hasOwn(proto, key)) {
            changes.push(`removed ${name}.${String(key)}`)
            Reflect.defineProperty(proto, key, was)
          }
      })
      if (({} as Record<string, unknown>).polluted !== undefined) changes.push("made ({}).polluted defined")
      return changes.length === 0 ? undefined : changes.join(", ")
    },
  }
}

/** JSON's view of a value: no -0, no undefined members, plain objects. Throws where JSON cannot carry it. */
const asJson = (value: unknown): unknown => {
  const text = JSON.stringify(value)
  if (text === undefined) throw new TypeError("not a JSON value")
  return JSON.parse(text)
}

const pathStep = (key: string) => (/^[A-Za-z_$][\w$-]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`)

/** Where two JSON values first differ (a path from `path`), or undefined when they are equal. */
const firstDifference = (held: unknown, expected: unknown, path: string): string | undefined => {
  if (Object.is(held, expected)) return undefined
  if (typeof held !== "object" || typeof expected !== "object" || held === null || expected === null)
    return path
  if (Array.isArray(held) || Array.isArray(expected)) {
    if (!Array.isArray(held) || !Array.isArray(expected)) return path
    if (held.length !== expected.length) return `${path} (length ${held.length}, expected ${expected.length})`
    for (let i = 0; i < held.length; i++) {
      const at = firstDifference(held[i], expected[i], `${path}[${i}]`)
      if (at !== undefined) return at
    }
    return undefined
  }
  const h = held as Record<string, unknown>
  const e = expected as Record<string, unknown>
  for (const key of Object.keys(e)) if (!Object.hasOwn(h, key)) return `${path}${pathStep(key)} (missing)`
  for (const key of Object.keys(h)) {
    if (!Object.hasOwn(e, key)) return `${path}${pathStep(key)} (not in the data)`
    const at = firstDifference(h[key], e[key], `${path}${pathStep(key)}`)
    if (at !== undefined) return at
  }
  return undefined
}

const utf8 = new TextDecoder("utf-8", { fatal: true })
const bytesOf = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength)

/**
 * What is wrong with what a destination holds (or an entry carries) for what it should carry of the event's
 * data — `harness.carriedData(event)`, by default the data — as JSON carries it (-0 is 0), bytes as
 * bytes; bytes held for JSON data are read as its UTF-8 JSON text. Undefined when they agree. Names a
 * path, never a value: payloads stay out of messages.
 */
export const carriedDataDifference = (
  harness: ConformanceHarness,
  event: Event,
  held: unknown,
): string | undefined => {
  const root = harness.carriedData === undefined ? "data" : "carriedData(event)"
  const expected = harness.carriedData === undefined ? event.data : harness.carriedData(event)
  if (expected instanceof Uint8Array) {
    if (!(held instanceof Uint8Array))
      return `${held === undefined ? "nothing" : "not bytes"} for binary ${root}`
    return bytesOf(held).equals(bytesOf(expected))
      ? undefined
      : `${held.byteLength} bytes that are not the ${expected.byteLength} bytes of ${root}`
  }
  let value: unknown = held
  if (held instanceof Uint8Array)
    try {
      value = JSON.parse(utf8.decode(held))
    } catch {
      return `bytes that are not the UTF-8 JSON text of ${root}`
    }
  let heldJson: unknown
  try {
    heldJson = asJson(value)
  } catch {
    return `${value === undefined ? "nothing" : "a value JSON cannot carry"} for ${root}`
  }
  const at = firstDifference(heldJson, asJson(expected), root)
  return at === undefined ? undefined : `a difference at ${at}`
}
