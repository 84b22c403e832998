import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  createEvent,
  type DeadLetterData,
  deadLetterData,
  deadLetterEvent,
  deadLetterSource,
  deadLetterType,
  deliveryError,
  type Failed,
  InvalidEventError,
  isDeadLetter,
  originalEvent,
  type Rejected,
  toCloudEvent,
  validateEvent,
} from "../src/index.ts"

const original = createEvent({
  id: "order-1",
  type: "order.created",
  source: "shop",
  subject: "orders/1",
  time: "2026-11-02T10:00:00.000Z",
  data: { id: 1, items: ["a"] },
  extensions: { tenant: "t1" },
})

const failed: Failed = {
  _tag: "Failed",
  destination: "bus",
  eventId: original.id,
  event: original,
  attempts: 3,
  error: deliveryError("Throttled", {
    rawCode: "ThrottlingException",
    rawMessage: "Rate exceeded",
    attempts: 3,
    outcomeUnknown: true,
  }),
}

const rejected: Rejected = {
  _tag: "Rejected",
  destination: "bus",
  eventId: original.id,
  event: original,
  violations: [{ field: "data", rule: "maxBytes", message: "is too large" }],
  message: "event order-1 rejected for bus: data is too large (maxBytes)",
}

describe("deadLetterEvent", () => {
  it("wraps a Failed outcome: type, source, subject, reason and the original as a CloudEvent", () => {
    const dl = deadLetterEvent(failed)
    expect(dl.type).toBe(deadLetterType)
    expect(dl.source).toBe(deadLetterSource)
    expect(dl.subject).toBe("bus")
    expect(dl.id).not.toBe(original.id)
    const data = deadLetterData(dl)
    expect(data).toEqual({
      destination: "bus",
      eventId: "order-1",
      outcome: "Failed",
      reason: {
        code: "Throttled",
        retryable: true,
        rawCode: "ThrottlingException",
        message: failed.error.message,
        outcomeUnknown: true,
        attempts: 3,
      },
      event: toCloudEvent(original),
    } satisfies DeadLetterData)
    // The envelope is a valid event: any adapter can carry it.
    expect(validateEvent(dl).ok).toBe(true)
    expect(JSON.parse(JSON.stringify(dl.data))).toEqual(dl.data)
  })

  it("wraps a Rejected outcome with its message and violations", () => {
    const data = deadLetterData(deadLetterEvent(rejected))
    expect(data.outcome).toBe("Rejected")
    expect(data.reason).toEqual({ message: rejected.message, violations: rejected.violations })
    expect(originalEvent(deadLetterEvent(rejected))).toEqual(original)
  })

  it("describes an input that was not a valid event and never copies it", () => {
    const secret = { type: "x", source: "y", data: { password: "hunter2" }, time: "not a time" }
    const dl = deadLetterEvent({
      _tag: "Rejected",
      destination: "bus",
      eventId: "input[0]",
      event: secret,
      violations: [{ field: "time", rule: "timestamp", message: "must be a valid Date" }],
      message: "event input[0] rejected for bus: time must be a valid Date (timestamp)",
    })
    expect(JSON.stringify(dl.data)).not.toContain("hunter2")
    expect(deadLetterData(dl).event).toEqual({
      invalidInput: "an object that is not a valid event (see reason.violations)",
    })
    expect(() => originalEvent(dl)).toThrow(InvalidEventError)
  })

  it("originalEvent gives back the original event for replay (binary data and extensions too)", () => {
    fc.assert(
      fc.property(
        fc.record({
          id: fc.string({ minLength: 1 }),
          type: fc.string({ minLength: 1 }),
          source: fc.string({ minLength: 1 }),
          data: fc.oneof(
            fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.parse(JSON.stringify(v))),
            fc.uint8Array({ maxLength: 32 }),
          ),
          time: fc.date({ min: new Date("1970-01-01"), max: new Date("9999-12-31"), noInvalidDate: true }),
        }),
        (input) => {
          const event = createEvent(input)
          const dl = deadLetterEvent({ ...failed, eventId: event.id, event })
          expect(isDeadLetter(dl)).toBe(true)
          expect(originalEvent(dl)).toEqual(event)
        },
      ),
    )
  })

  it("originalEvent refuses an event that is not a dead letter", () => {
    expect(isDeadLetter(original)).toBe(false)
    expect(() => originalEvent(original)).toThrow(/must be a dead letter/)
  })
})

describe("dead-letter event ids", () => {
  it("carry the outcome's event id, also for an input that was not a valid event", async () => {
    const { createPublisher, defineAdapter, entryOk, encoded, deadLetterData } = await import(
      "../src/index.ts"
    )
    const letters: Array<unknown> = []
    const sink = defineAdapter<unknown>({
      kind: "sink",
      limits: { maxEntries: 10, maxRequestBytes: Number.POSITIVE_INFINITY, maxEntryBytes: 1_000_000 },
      encode: (event) => encoded(event, 1),
      send: async (batch) => {
        letters.push(...batch.entries)
        return batch.entries.map(() => entryOk())
      },
    })
    const publisher = createPublisher({ destinations: { a: sink }, deadLetter: sink })
    const result = await publisher.publish([
      { id: "e1", type: "", source: "s", data: null },
      { bogus: true } as never,
    ])
    await publisher.close()
    const ids = letters.map((l) => deadLetterData(l as never).eventId).sort()
    expect(ids).toEqual(result.outcomes.map((o) => o.eventId).sort())
    expect(ids).toEqual(["e1", "input[1]"])
  })
})
