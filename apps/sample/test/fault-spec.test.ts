import { describe, expect, it } from "vitest"
import { describeFaultSpec, emulatorFaults, parseFaultSpec } from "../src/FaultSpec.ts"

describe("--faults spec", () => {
  it("parses the documented example", () => {
    const spec = parseFaultSpec("throttle=0.2,internal=0.05,entry=0.05,latency=20-80,drop=0.01")
    expect(spec).toEqual({ throttle: 0.2, internal: 0.05, entry: 0.05, latency: [20, 80], drop: 0.01 })
    expect(emulatorFaults(spec)).toEqual([
      { type: "latency", ms: [20, 80] },
      { type: "dropConnection", afterStore: true, rate: 0.01 },
      { type: "requestError", error: "throttling", rate: 0.2 },
      { type: "requestError", error: "internal", rate: 0.05 },
      { type: "entryError", rate: 0.05 },
    ])
    expect(describeFaultSpec(spec)).toBe(
      "throttle=0.2, internal=0.05, entry=0.05, latency=20-80 ms, drop=0.01",
    )
  })

  it("takes a fixed latency, spaces and an empty spec", () => {
    expect(parseFaultSpec(" latency=15 , unavailable=1 ")).toEqual({ latency: [15, 15], unavailable: 1 })
    expect(emulatorFaults(parseFaultSpec("latency=15"))).toEqual([{ type: "latency", ms: 15 }])
    expect(parseFaultSpec("")).toEqual({})
    expect(describeFaultSpec({})).toBe("none")
  })

  it.each([
    [
      "slow=0.1",
      /unknown fault "slow"; expected one of throttle, internal, unavailable, entry, latency, drop/,
    ],
    ["throttle=1.5", /throttle=1.5: expected a rate between 0 and 1/],
    ["throttle=", /throttle=: expected a rate between 0 and 1/],
    ["throttle", /throttle: expected throttle=<value>/],
    ["latency=80-20", /latency=80-20: expected milliseconds/],
    ["latency=fast", /latency=fast: expected milliseconds/],
    ["drop=0.1,drop=0.2", /drop is given twice/],
  ])("rejects %s with a message naming the key", (text, message) => {
    expect(() => parseFaultSpec(text)).toThrow(message)
  })
})
