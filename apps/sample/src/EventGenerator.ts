/**
 * A realistic, reproducible event stream: device telemetry from a small fleet and application
 * events from a web shop, with a few deliberately invalid events so the run shows `Rejected`
 * outcomes naming the event, the destination, the field and the rule. Same seed, same stream.
 */
import type { EventInput, JsonValue } from "@eventport/core"
import { Effect, Random } from "effect"

export interface GeneratorOptions {
  /** How many events. */
  readonly count: number
  /** Same seed, same events (ids included). */
  readonly seed: number
  /** Time of the first event; each next one is 1 ms later. */
  readonly start: Date
  /** Share of deliberately invalid events, 0..1. Default 0.02. */
  readonly invalidRate?: number
}

/** The ways a generated event is deliberately wrong, and which destinations should refuse it. */
export const invalidKinds = {
  /** IoT Analytics allows only letters, digits and `_` in payload field names. */
  "telemetry-field-name": "a telemetry reading with a field `temp-01` (IoT Analytics field-name rule)",
  /** EventBridge DetailType is at most 128 characters. */
  "detail-type-too-long": "an app event whose type is 140 characters (EventBridge DetailType limit)",
  /** The event model requires `source`. */
  "missing-source": "an app event without `source` (event model: required)",
} as const
export type InvalidKind = keyof typeof invalidKinds

export const telemetrySource = "urn:eventport:sample:fleet"
export const appSource = "urn:eventport:sample:shop"

const seededRandom = (seed: number): Random.Random =>
  Effect.runSync(
    Effect.gen(function* () {
      return yield* Random.Random
    }).pipe(Random.withSeed(seed)),
  )

interface Draw {
  readonly next: () => number
  readonly int: (min: number, max: number) => number
  readonly pick: <A>(items: ReadonlyArray<A>) => A
  readonly round: (min: number, max: number, digits: number) => number
  readonly uuid: () => string
}

const makeDraw = (random: Random.Random): Draw => {
  const next = () => random.nextDoubleUnsafe()
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1))
  const hex = (n: number) => Array.from({ length: n }, () => int(0, 15).toString(16)).join("")
  return {
    next,
    int,
    pick: (items) => items[Math.floor(next() * items.length)]!,
    round: (min, max, digits) => Number((min + next() * (max - min)).toFixed(digits)),
    // UUIDv4 layout, but from the seeded PRNG so runs are reproducible.
    uuid: () => `${hex(8)}-${hex(4)}-4${hex(3)}-${"89ab"[int(0, 3)]}${hex(3)}-${hex(12)}`,
  }
}

const sites = ["plant-berlin", "plant-lyon", "plant-porto"] as const
const firmware = ["2.4.1", "2.4.2", "2.5.0"] as const
const skus = ["SKU-1001", "SKU-1002", "SKU-2040", "SKU-3300", "SKU-4711"] as const
const signInMethods = ["password", "passkey", "sso"] as const

const deviceId = (n: number) => `dev-${String(n).padStart(4, "0")}`
const userId = (n: number) => `user-${String(n).padStart(5, "0")}`

const telemetry = (d: Draw, device: number): { type: string; data: { [k: string]: JsonValue } } => ({
  type: "device.telemetry.reported",
  data: {
    device_id: deviceId(device),
    temperature_c: d.round(18, 31, 1),
    humidity_pct: d.round(30, 65, 1),
    battery_pct: d.int(5, 100),
    rssi_dbm: d.int(-95, -40),
  },
})

const deviceStatus = (d: Draw, device: number) => ({
  type: "device.status.changed",
  data: {
    device_id: deviceId(device),
    status: d.pick(["online", "offline", "degraded"] as const),
    firmware: d.pick(firmware),
  },
})

const appEvent = (d: Draw, user: number): { type: string; data: { [k: string]: JsonValue } } => {
  const roll = d.next()
  if (roll < 0.3)
    return { type: "app.user.signed_in", data: { user_id: userId(user), method: d.pick(signInMethods) } }
  if (roll < 0.65)
    return {
      type: "app.cart.item_added",
      data: { user_id: userId(user), sku: d.pick(skus), quantity: d.int(1, 4) },
    }
  if (roll < 0.85)
    return {
      type: "app.order.placed",
      data: {
        user_id: userId(user),
        order_id: `ord-${d.int(100000, 999999)}`,
        total_eur: d.round(9, 420, 2),
      },
    }
  return {
    type: "app.page.viewed",
    data: { user_id: userId(user), path: d.pick(["/", "/cart", "/checkout"]) },
  }
}

/**
 * The generated stream, lazily: at most `count` events are ever made, one at a time, so memory
 * stays flat whatever the count. Invalid events are typed as inputs since that is what a caller
 * would have passed; the publisher finds what is wrong.
 */
export function* generateEvents(options: GeneratorOptions): Generator<EventInput> {
  const d = makeDraw(seededRandom(options.seed))
  const invalidRate = options.invalidRate ?? 0.02
  const kinds = Object.keys(invalidKinds) as InvalidKind[]
  const startMs = options.start.getTime()
  for (let i = 0; i < options.count; i++) {
    const id = d.uuid()
    const time = new Date(startMs + i).toISOString()
    const invalid = d.next() < invalidRate ? d.pick(kinds) : undefined
    const isTelemetry = invalid === "telemetry-field-name" || (invalid === undefined && d.next() < 0.6)
    if (isTelemetry) {
      const device = d.int(1, 40)
      const site = sites[device % sites.length]!
      const reading = d.next() < 0.92 ? telemetry(d, device) : deviceStatus(d, device)
      const data =
        invalid === "telemetry-field-name" ? { ...telemetry(d, device).data, "temp-01": 21.5 } : reading.data
      yield {
        id,
        type: invalid === "telemetry-field-name" ? "device.telemetry.reported" : reading.type,
        source: telemetrySource,
        subject: deviceId(device),
        time,
        data,
        extensions: { site },
      }
      continue
    }
    const user = d.int(1, 500)
    const event = appEvent(d, user)
    const type = invalid === "detail-type-too-long" ? `app.experiment.${"x".repeat(125)}` : event.type
    const input = { id, type, source: appSource, subject: userId(user), time, data: event.data }
    if (invalid === "missing-source") {
      const { source: _omitted, ...withoutSource } = input
      yield withoutSource as unknown as EventInput
    } else yield input
  }
}
