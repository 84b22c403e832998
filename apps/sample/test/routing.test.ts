import { createEvent } from "@eventport/core"
import { describe, expect, it } from "vitest"
import { compileNameTemplate } from "../src/NameTemplate.ts"
import { describeRoute, routePredicate } from "../src/Routing.ts"

const event = (type: string, source = "urn:shop", subject?: string) =>
  createEvent({
    type,
    source,
    data: null,
    ...(subject === undefined ? {} : { subject }),
    extensions: { site: "lyon" },
  })

describe("routes", () => {
  it("matches prefixes and exact values, any of a list, all conditions together", () => {
    const route = routePredicate({ typePrefix: ["device.", "sensor."], source: "urn:fleet" })
    expect(route(event("device.telemetry.reported", "urn:fleet"))).toBe(true)
    expect(route(event("sensor.x", "urn:fleet"))).toBe(true)
    expect(route(event("device.telemetry.reported", "urn:shop"))).toBe(false)
    expect(route(event("app.order.placed", "urn:fleet"))).toBe(false)
    expect(routePredicate({ type: "app.order.placed" })(event("app.order.placed"))).toBe(true)
    expect(routePredicate({ type: "app.order" })(event("app.order.placed"))).toBe(false)
  })

  it("takes every event without conditions, and no event without a subject for subjectPrefix", () => {
    expect(routePredicate({})(event("anything"))).toBe(true)
    expect(routePredicate({ subjectPrefix: "user-" })(event("a", "s", "user-1"))).toBe(true)
    expect(routePredicate({ subjectPrefix: "user-" })(event("a"))).toBe(false)
  })

  it("describes itself for the header", () => {
    expect(describeRoute(undefined)).toBe("every event")
    expect(describeRoute({ typePrefix: ["app.", "web."], source: "s" })).toBe(
      "typePrefix app. | web. and source s",
    )
  })
})

describe("name templates", () => {
  it("keeps constants and fills placeholders from the event", () => {
    expect(compileNameTemplate("orders")).toBe("orders")
    const name = compileNameTemplate("{type}/{subject}/{extensions.site}/{extensions.none}")
    expect(typeof name === "function" && name(event("app.x", "s", "user-7"))).toBe("app.x/user-7/lyon/")
  })
})
