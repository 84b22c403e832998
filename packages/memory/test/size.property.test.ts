import { describe, expect, it } from "@effect/vitest"
import { createEvent, type Event, toCloudEvent } from "@eventport/core"
import { arbEvent } from "@eventport/testkit"
import fc from "fast-check"
import { cloudEventJsonBytes } from "../src/index.ts"

const stringified = (e: Event) => Buffer.byteLength(JSON.stringify(toCloudEvent(e)), "utf8")

/** Any UTF-16 text: lone surrogates, control characters, quotes and backslashes included. */
const anyText = fc.string({ unit: "binary", maxLength: 40 })

describe("cloudEventJsonBytes", () => {
  it("equals the UTF-8 length of JSON.stringify(toCloudEvent(e)) for arbitrary events", () => {
    fc.assert(
      fc.property(arbEvent, (e) => {
        expect(cloudEventJsonBytes(e)).toBe(stringified(e))
      }),
      { numRuns: 1_000 },
    )
  })

  it("stays exact for any text in every string attribute, extensions and string data", () => {
    fc.assert(
      fc.property(
        arbEvent,
        anyText,
        anyText,
        anyText,
        anyText,
        anyText,
        fc.boolean(),
        (e, id, type, source, subject, text, dataIsText) => {
          const event = createEvent({
            ...e,
            id: `x${id}`,
            type: `t${type}`,
            source: `s${source}`,
            subject,
            extensions: { ...e.extensions, zz: text },
            data: dataIsText ? text : { [text]: [text, 1.5e300, -0, null] },
          })
          expect(cloudEventJsonBytes(event)).toBe(stringified(event))
        },
      ),
      { numRuns: 1_000 },
    )
  })

  it("counts times outside years 0–9999 (extended ISO years) and binary data as base64", () => {
    for (const time of [new Date("+012345-01-01T00:00:00.000Z"), new Date("-000001-06-01T00:00:00.000Z")]) {
      for (const data of [new Uint8Array([1, 2, 3, 4]), new Uint8Array(0), null]) {
        const event = createEvent({ id: "e", type: "t", source: "s", time, data })
        expect(cloudEventJsonBytes(event)).toBe(stringified(event))
      }
    }
  })
})
