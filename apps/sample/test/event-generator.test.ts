import { validateEvent } from "@eventport/core"
import { describe, expect, it } from "vitest"
import { appSource, generateEvents, telemetrySource } from "../src/EventGenerator.ts"

const start = new Date("2026-11-02T09:00:00.000Z")

describe("event generator", () => {
  it("is deterministic for a seed, ids included, and differs between seeds", () => {
    const a = [...generateEvents({ count: 300, seed: 7, start })]
    const b = [...generateEvents({ count: 300, seed: 7, start })]
    const c = [...generateEvents({ count: 300, seed: 8, start })]
    expect(a).toEqual(b)
    expect(a.map((e) => e.id)).not.toEqual(c.map((e) => e.id))
    expect(new Set(a.map((e) => e.id)).size).toBe(300)
  })

  it("makes exactly count events, lazily", () => {
    const iterator = generateEvents({ count: 3, seed: 1, start })
    expect([...iterator]).toHaveLength(3)
    expect([...generateEvents({ count: 0, seed: 1, start })]).toEqual([])
  })

  it("mixes device telemetry and app events, and a small share of deliberately invalid ones", () => {
    const events = [...generateEvents({ count: 2000, seed: 1, start })]
    const telemetry = events.filter((e) => e.type.startsWith("device."))
    const app = events.filter((e) => e.type.startsWith("app."))
    expect(telemetry.length + app.length).toBe(2000)
    expect(telemetry.length).toBeGreaterThan(900)
    expect(app.length).toBeGreaterThan(500)
    expect(telemetry.every((e) => e.source === telemetrySource && e.subject?.startsWith("dev-"))).toBe(true)

    const modelInvalid = events.filter((e) => !validateEvent(e).ok)
    expect(modelInvalid.length).toBeGreaterThan(0)
    expect(modelInvalid.every((e) => e.source === undefined && e.type.startsWith("app."))).toBe(true)
    const badFieldName = telemetry.filter(
      (e) => typeof e.data === "object" && e.data !== null && "temp-01" in e.data,
    )
    expect(badFieldName.length).toBeGreaterThan(0)
    const longType = app.filter((e) => e.type.length > 128)
    expect(longType.length).toBeGreaterThan(0)
    expect(longType.every((e) => e.source === appSource)).toBe(true)
    const invalid = modelInvalid.length + badFieldName.length + longType.length
    expect(invalid).toBeLessThan(100)
  })

  it("generates no invalid events with invalidRate 0, and times 1 ms apart from start", () => {
    const events = [...generateEvents({ count: 500, seed: 3, start, invalidRate: 0 })]
    expect(events.every((e) => validateEvent(e).ok && e.type.length <= 128)).toBe(true)
    expect(events[0]?.time).toBe("2026-11-02T09:00:00.000Z")
    expect(events[499]?.time).toBe("2026-11-02T09:00:00.499Z")
  })
})
