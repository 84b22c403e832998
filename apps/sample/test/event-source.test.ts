import { Readable } from "node:stream"
import { describe, expect, it } from "vitest"
import { type InputItem, parseNdjsonLine, readNdjson } from "../src/EventSource.ts"

const collect = async (text: string): Promise<Array<InputItem>> => {
  const items: Array<InputItem> = []
  for await (const item of readNdjson(Readable.from([text]))) items.push(item)
  return items
}

describe("NDJSON input", () => {
  it("numbers lines from 1, skips blank lines, and keeps going after a bad line", async () => {
    const text = [
      '{"id":"e1","type":"app.user.signed_in","source":"shop","data":{"user_id":"u1"}}',
      "",
      '{"id":"e2","type":"app.order.placed", "source":',
      '{"id":"e3","source":"shop","data":null}',
      "[1,2]",
      '{"id":"e4","type":"device.telemetry.reported","source":"fleet","data":{"t":1},"time":"2026-01-02T03:04:05Z"}\r',
    ].join("\n")
    const items = await collect(text)
    expect(
      items.map((i) =>
        i._tag === "Event"
          ? `event ${i.event.id}`
          : `${i.problem.where} ${i.problem.field} ${i.problem.rule}`,
      ),
    ).toEqual(["event e1", "line 3 (line) json", "line 4 type required", "line 5 (event) type", "event e4"])
    const e4 = items[4]
    expect(e4?._tag === "Event" && e4.event.time).toEqual(new Date("2026-01-02T03:04:05Z"))
  })

  it("never echoes the line's content in a syntax error", () => {
    const item = parseNdjsonLine('{"secret": "hunter2", oops}', 7)
    expect(item?._tag).toBe("Problem")
    if (item?._tag !== "Problem") return
    expect(item.problem.where).toBe("line 7")
    expect(item.problem.message).toMatch(/^not valid JSON/)
    expect(item.problem.message).not.toContain("hunter2")
  })

  it("reports every violation of a line, first in full, and the event's id", () => {
    const item = parseNdjsonLine('{"id":"e9","type":"","data":1}', 2)
    expect(item).toEqual({
      _tag: "Problem",
      problem: {
        where: "line 2",
        field: "type",
        rule: "minLength",
        message: "must not be empty (and 1 more: source)",
        eventId: "e9",
      },
    })
  })

  it("gives an id to events that have none", () => {
    const item = parseNdjsonLine('{"type":"a","source":"b","data":{}}', 1)
    expect(item?._tag === "Event" && typeof item.event.id).toBe("string")
  })
})
