import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { createEvent, type EventInput, fromCloudEvent, type JsonValue, toCloudEvent } from "../src/index.ts"

const reserved = new Set([
  "id",
  "type",
  "source",
  "specversion",
  "time",
  "subject",
  "data",
  "datacontenttype",
  "dataschema",
])
const extensionsArb = fc.dictionary(
  fc.stringMatching(/^[a-z0-9]{1,20}$/).filter((k) => !reserved.has(k) && k !== "data_base64"),
  fc.oneof(fc.string(), fc.boolean(), fc.maxSafeInteger()),
  { maxKeys: 4 },
)
const jsonArb = fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.parse(JSON.stringify(v)) as JsonValue)

const eventArb = fc.record(
  {
    id: fc.string({ minLength: 1 }),
    type: fc.string({ minLength: 1 }),
    source: fc.string({ minLength: 1 }),
    time: fc.date({ min: new Date("1970-01-01"), max: new Date("9999-12-31"), noInvalidDate: true }),
    subject: fc.string(),
    data: fc.oneof(jsonArb, fc.uint8Array({ maxLength: 64 })),
    dataContentType: fc.constantFrom("application/json", "application/octet-stream", "text/plain"),
    extensions: extensionsArb,
  },
  { requiredKeys: ["id", "type", "source", "time", "data"] },
)

describe("CloudEvent", () => {
  it("fromCloudEvent(toCloudEvent(e)) gives back an equal event, binary data and extensions included", () => {
    fc.assert(
      fc.property(eventArb, (input) => {
        const event = createEvent(input as EventInput)
        const back = fromCloudEvent(toCloudEvent(event))
        expect(back).toEqual(event)
        // Through JSON text too, as it travels.
        expect(fromCloudEvent(JSON.stringify(toCloudEvent(event)))).toEqual(event)
      }),
      { numRuns: 300 },
    )
  })
})
