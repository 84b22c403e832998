import { appendFileSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  classifyFileError,
  createEvent,
  createPublisher,
  type DeadLetterLine,
  deadLetterEvent,
  defineAdapter,
  deliveryError,
  type Event,
  encoded,
  entryFailed,
  entryOk,
  type Failed,
  ndjsonFile,
  parseDeadLetterLine,
  type Rejected,
  readNdjsonDeadLetters,
  rejected,
  toCloudEvent,
  violation,
} from "../src/index.ts"

const dir = mkdtempSync(join(tmpdir(), "eventport-ndjson-"))
let fileNumber = 0
const newPath = () => join(dir, `dead-letters-${++fileNumber}.ndjson`)

const readAll = async (path: string): Promise<Array<DeadLetterLine>> => {
  const lines: Array<DeadLetterLine> = []
  for await (const line of readNdjsonDeadLetters(path)) lines.push(line)
  return lines
}

const failedOutcome = (event: Event, destination = "bus"): Failed => ({
  _tag: "Failed",
  destination,
  eventId: event.id,
  event,
  attempts: 2,
  error: deliveryError("Throttled", { rawCode: "ThrottlingException", attempts: 2 }),
})

const rejectedOutcome = (event: Event): Rejected => ({
  _tag: "Rejected",
  destination: "telemetry",
  eventId: event.id,
  event,
  violations: [{ field: "data.temp-01", rule: "fieldName", message: "field name must contain only letters" }],
  message: `event ${event.id} rejected for telemetry: data.temp-01 field name (fieldName)`,
})

/** Events with the data a dead-letter file must carry losslessly: unicode, binary, nesting. */
const arbOriginal: fc.Arbitrary<Event> = fc
  .record({
    id: fc.uuid({ version: 4 }),
    data: fc.oneof(
      fc.jsonValue({ maxDepth: 4 }),
      fc.uint8Array({ maxLength: 64 }),
      fc.string({ unit: "binary", maxLength: 32 }).map((s) => ({ s, lone: "\uD800", nul: "\u0000\u2028" })),
    ),
    subject: fc.option(fc.string({ maxLength: 16 }), { nil: undefined }),
  })
  .map(({ id, data, subject }) =>
    createEvent({
      id,
      type: "order.created",
      source: "shop",
      time: "2026-11-02T10:00:00.123Z",
      data: data as Event["data"],
      ...(subject === undefined ? {} : { subject }),
      extensions: { tenant: "t1" },
    }),
  )

describe("ndjsonFile", () => {
  it("refuses a name that is not an option, naming the one it meant", () => {
    expect(() => ndjsonFile({ path: newPath(), fsynch: true } as never)).toThrow(
      new TypeError("ndjsonFile: option fsynch is not an option, did you mean fsync? (optionName)"),
    )
  })

  it("appends one CloudEvents line per dead letter; readNdjsonDeadLetters gives back the originals and reasons", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(arbOriginal, { minLength: 1, maxLength: 30, selector: (e) => e.id }),
        async (originals) => {
          const path = newPath()
          const publisher = createPublisher({ destinations: { dlq: ndjsonFile({ path, fsync: true }) } })
          const letters = originals.map((e, i) =>
            deadLetterEvent(i % 3 === 0 ? rejectedOutcome(e) : failedOutcome(e)),
          )
          const result = await publisher.publish(letters)
          await publisher.close()
          expect(result.ok).toBe(true)
          const lines = await readAll(path)
          expect(lines.map((l) => l._tag)).toEqual(originals.map(() => "DeadLetter"))
          const byId = new Map(originals.map((e) => [e.id, e]))
          for (const line of lines) {
            if (line._tag !== "DeadLetter") throw new Error(line.message)
            // Equal as JSON carries it (JSON has no -0).
            expect(toCloudEvent(line.event)).toEqual(
              JSON.parse(JSON.stringify(toCloudEvent(byId.get(line.event.id)!))),
            )
            expect(["Failed", "Rejected"]).toContain(line.data.outcome)
            if (line.data.outcome === "Failed") expect(line.data.reason.code).toBe("Throttled")
            else expect(line.data.reason.violations?.[0]?.rule).toBe("fieldName")
          }
        },
      ),
      { numRuns: 15 },
    )
  })

  it("keeps lines whole when many requests write at once", async () => {
    const path = newPath()
    const publisher = createPublisher({
      destinations: { dlq: ndjsonFile({ path }) },
      concurrency: 8,
    })
    const letters = Array.from({ length: 5000 }, (_, i) =>
      deadLetterEvent(
        failedOutcome(
          createEvent({ id: `e-${i}`, type: "t", source: "s", data: { i, pad: "x".repeat(i % 500) } }),
        ),
      ),
    )
    const result = await publisher.publish(letters)
    await publisher.close()
    expect(result.counts.dlq!.delivered).toBe(5000)
    const text = readFileSync(path, "utf8")
    expect(text.endsWith("\n")).toBe(true)
    const lines = await readAll(path)
    expect(lines.every((l) => l._tag === "DeadLetter")).toBe(true)
    expect(new Set(lines.map((l) => (l._tag === "DeadLetter" ? l.event.id : ""))).size).toBe(5000)
  })

  it("creates the file readable by its owner only (dead letters hold payloads) and appends to an existing one", async () => {
    const path = newPath()
    const adapter = ndjsonFile({ path, flush: "each" })
    const publisher = createPublisher({ destinations: { dlq: adapter } })
    await publisher.publish([
      deadLetterEvent(failedOutcome(createEvent({ id: "a", type: "t", source: "s", data: 1 }))),
    ])
    await publisher.close()
    expect(statSync(path).mode & 0o777).toBe(0o600)
    const again = createPublisher({ destinations: { dlq: ndjsonFile({ path }) } })
    await again.publish([
      deadLetterEvent(failedOutcome(createEvent({ id: "b", type: "t", source: "s", data: 2 }))),
    ])
    await again.close()
    expect((await readAll(path)).map((l) => (l._tag === "DeadLetter" ? l.event.id : l.message))).toEqual([
      "a",
      "b",
    ])
  })

  it("reports a full disk as a non-retryable Failed with an unknown outcome, never a crash", async () => {
    const publisher = createPublisher({ destinations: { dlq: ndjsonFile({ path: "/dev/full" }) } })
    const result = await publisher.publish([
      createEvent({ id: "x", type: "t", source: "s", data: { secret: "payload" } }),
    ])
    await publisher.close()
    const outcome = result.forEvent("x")[0]
    expect(outcome?._tag).toBe("Failed")
    if (outcome?._tag !== "Failed") return
    expect(outcome.error).toMatchObject({
      code: "Unavailable",
      retryable: false,
      rawCode: "ENOSPC",
      outcomeUnknown: true,
    })
    expect(outcome.attempts).toBe(1)
    expect(outcome.error.message).not.toContain("payload")
  })

  it("with flush each, fails entry by entry", async () => {
    const adapter = ndjsonFile({ path: "/dev/full", flush: "each" })
    const events = ["p", "q"].map((id) => createEvent({ id, type: "t", source: "s", data: 1 }))
    const results = await Effect.runPromise(
      adapter.send({
        entries: events.map((e) => `${JSON.stringify(toCloudEvent(e))}\n`),
        batchKey: undefined,
        attempt: 1,
      }),
    )
    expect(results.map((r) => (r.ok ? "ok" : r.error.rawCode))).toEqual(["ENOSPC", "ENOSPC"])
    await Effect.runPromise(adapter.close)
  })

  it("classifies a missing directory and a directory path as non-retryable, and busy files as retryable", async () => {
    const publisher = createPublisher({
      destinations: {
        missing: ndjsonFile({ path: join(dir, "no-such-dir", "x.ndjson") }),
        directory: ndjsonFile({ path: dir }),
      },
    })
    const result = await publisher.publish([createEvent({ id: "y", type: "t", source: "s", data: 1 })])
    await publisher.close()
    // Outcomes of two destinations come in the order they settle: pick each by its destination.
    const of = (destination: string) =>
      (result.forEvent("y") as ReadonlyArray<Failed>).find((o) => o.destination === destination)
    const missing = of("missing")
    const directory = of("directory")
    expect(missing?.error).toMatchObject({ code: "NotFound", retryable: false, rawCode: "ENOENT" })
    expect(missing?.error.outcomeUnknown).toBeUndefined()
    expect(directory?.error).toMatchObject({ code: "InvalidRequest", retryable: false, rawCode: "EISDIR" })
    const errno = (code: string) => Object.assign(new Error(`${code}: x, write`), { code })
    expect(classifyFileError(errno("EAGAIN"))).toMatchObject({ code: "Unavailable", retryable: true })
    expect(classifyFileError(errno("EBUSY"))).toMatchObject({ code: "Unavailable", retryable: true })
    expect(classifyFileError(errno("EACCES"))).toMatchObject({ code: "AccessDenied", retryable: false })
    expect(classifyFileError(errno("ENOSPC"))).toMatchObject({ code: "Unavailable", retryable: false })
  })

  it("rejects bad options with a TypeError naming the option", () => {
    expect(() => ndjsonFile({ path: "" })).toThrow(/path/)
    expect(() => ndjsonFile({ path: "x", flush: "never" as "each" })).toThrow(/flush/)
  })
})

describe("ndjsonFile as a publisher's deadLetter", () => {
  it("holds every Rejected and Failed pair with its reason; the originals read back for replay", async () => {
    const path = newPath()
    const refusing = defineAdapter<Event>({
      kind: "refusing",
      limits: { maxEntries: 10, maxRequestBytes: Number.POSITIVE_INFINITY, maxEntryBytes: 1024 },
      encode: (event) =>
        event.type === "bad" ? rejected(violation("type", "custom", "is bad")) : encoded(event, 10),
      send: async (batch) =>
        batch.entries.map((e) =>
          e.id.endsWith("0") ? entryFailed(deliveryError("InvalidRequest", { rawCode: "Nope" })) : entryOk(),
        ),
    })
    const publisher = createPublisher({
      destinations: { target: refusing },
      deadLetter: ndjsonFile({ path }),
      retry: { maxAttempts: 1 },
    })
    const inputs = Array.from({ length: 40 }, (_, i) => ({
      id: `ev-${i}`,
      type: i % 7 === 3 ? "bad" : "ok",
      source: "s",
      data: { i },
    }))
    const result = await publisher.publish(inputs)
    await publisher.close()
    const expected = result.problems.map((o) => `${o._tag} ${o.eventId}`).sort()
    expect(expected.length).toBeGreaterThan(5)
    expect(result.deadLetters).toEqual({ sent: expected.length, failed: 0 })
    const lines = await readAll(path)
    const filed = lines.map((l) => (l._tag === "DeadLetter" ? `${l.data.outcome} ${l.event.id}` : l.message))
    expect(filed.sort()).toEqual(expected)
    for (const line of lines)
      if (line._tag === "DeadLetter") {
        expect(line.data.destination).toBe("target")
        expect(line.event.data).toEqual({ i: Number(line.event.id.slice(3)) })
        if (line.data.outcome === "Failed")
          expect(line.data.reason).toMatchObject({ code: "InvalidRequest", rawCode: "Nope" })
        else expect(line.data.reason.violations?.[0]).toMatchObject({ field: "type", rule: "custom" })
      }
  })
})

describe("readNdjsonDeadLetters", () => {
  it("reports bad lines by number, without their content, and reads the rest", async () => {
    const path = newPath()
    const good = (id: string) =>
      JSON.stringify(
        toCloudEvent(deadLetterEvent(failedOutcome(createEvent({ id, type: "t", source: "s", data: 1 })))),
      )
    const noOriginal = JSON.stringify(
      toCloudEvent(
        deadLetterEvent({
          _tag: "Rejected",
          destination: "bus",
          eventId: "input[0]",
          event: { type: 5, data: "secret-payload" },
          violations: [{ field: "type", rule: "type", message: "must be a string" }],
          message: "rejected",
        }),
      ),
    )
    writeFileSync(
      path,
      [
        good("g1"),
        '{"secret-payload": tru',
        "",
        JSON.stringify(
          toCloudEvent(createEvent({ id: "plain", type: "t", source: "s", data: "secret-payload" })),
        ),
        noOriginal,
        "null",
        good("g2"),
      ].join("\n"),
    )
    appendFileSync(path, `\n${good("g3").slice(0, 40)}`) // a line cut short by a crash
    const lines = await readAll(path)
    const summary = lines.map((l) => (l._tag === "DeadLetter" ? `${l.line}:${l.event.id}` : `${l.line}:bad`))
    expect(summary).toEqual(["1:g1", "2:bad", "4:bad", "5:bad", "6:bad", "7:g2", "8:bad"])
    for (const line of lines)
      if (line._tag === "BadLine") {
        expect(line.message).toMatch(new RegExp(`^line ${line.line}: `))
        expect(line.message).not.toContain("secret-payload")
        expect(line.violations.length).toBeGreaterThan(0)
      }
    const rules = lines.flatMap((l) => (l._tag === "BadLine" ? [l.violations[0]!.rule] : []))
    expect(rules).toEqual(["json", "deadLetter", "invalidInput", "json", "json"])
  })

  it("never throws or pollutes a prototype, whatever a line holds", () => {
    const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort()
    const good = JSON.parse(
      JSON.stringify(
        toCloudEvent(
          deadLetterEvent(failedOutcome(createEvent({ id: "h", type: "t", source: "s", data: 1 }))),
        ),
      ),
    ) as Record<string, unknown>
    const hostileLine = fc.oneof(
      fc.string({ unit: "binary", maxLength: 200 }),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      // A dead letter with hostile keys and values spliced in, at the top and inside data.
      fc
        .tuple(
          fc.constantFrom("__proto__", "constructor", "prototype", "data", "specversion", "id"),
          fc.jsonValue({ maxDepth: 2 }),
        )
        .map(([key, value]) => `{"${key}":${JSON.stringify(value)},${JSON.stringify(good).slice(1)}`),
      fc.constant(JSON.stringify(good).replace('"data":{', '"data":{"__proto__":{"polluted":true},')),
    )
    fc.assert(
      fc.property(hostileLine, fc.integer({ min: 1, max: 1000 }), (text, line) => {
        const parsed = parseDeadLetterLine(text, line)
        if (parsed?._tag === "BadLine") {
          expect(parsed.line).toBe(line)
          expect(parsed.violations.length).toBeGreaterThan(0)
        }
        expect(({} as Record<string, unknown>).polluted).toBeUndefined()
        expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys)
      }),
      { numRuns: 500 },
    )
  })
})
