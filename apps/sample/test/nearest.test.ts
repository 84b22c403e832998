import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { editDistance, nearest } from "../src/internal/Nearest.ts"

const names = ["memory", "eventbridge", "iot-events", "iot-analytics", "pinpoint", "bus", "alarms"]

describe("nearest", () => {
  it("suggests the near name for common typos", () => {
    expect(nearest("eventbrige", names)).toBe("eventbridge")
    expect(nearest("EventBridge", names)).toBe("eventbridge")
    expect(nearest("iot-analytic", names)).toBe("iot-analytics")
    expect(nearest("pinpiont", names)).toBe("pinpoint")
    expect(nearest("memroy", names)).toBe("memory")
    expect(nearest("bsu", names)).toBe("bus")
  })

  it("suggests nothing for a word unlike every candidate", () => {
    expect(nearest("kinesis", names)).toBeUndefined()
    expect(nearest("x", names)).toBeUndefined()
    expect(nearest("anything", [])).toBeUndefined()
  })

  it("editDistance is a metric: zero only for equal words, symmetric, at most the longer length", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        const d = editDistance(a, b)
        expect(d === 0).toBe(a === b)
        expect(editDistance(b, a)).toBe(d)
        expect(d).toBeLessThanOrEqual(Math.max(a.length, b.length))
      }),
    )
  })
})
