import { describe, expect, it } from "vitest"
import { createPublisher } from "../src/index.ts"
import { events, scriptedAdapter } from "./ScriptedAdapter.ts"

describe("smoke", () => {
  it("publishes", async () => {
    const a = scriptedAdapter()
    const b = scriptedAdapter()
    const p = createPublisher({ destinations: { a: a.adapter, b: b.adapter } })
    const r = await p.publish(events(25))
    expect(r.ok).toBe(true)
    expect(r.outcomes).toHaveLength(50)
    expect(a.requests).toHaveLength(3)
    await p.enqueue(events(1, "q")[0]!)
    const f = await p.flush()
    expect(f.delivered).toBe(2)
    const c = await p.close()
    expect(c.outcomes).toHaveLength(0)
    expect(a.closed).toBe(1)
  })
})
