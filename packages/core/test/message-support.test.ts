import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  checkFifoId,
  checkFifoOptions,
  classifyBySenderFault,
  cloudEventMessageAttributes,
  createEvent,
  credentialErrorNames,
  deliveryError,
  type ErrorTable,
  fifoOrderingKey,
  fromCloudEvent,
  type MessageAttributeRules,
  maxDataDepth,
  messageAttributesBytes,
  messageAttributeViolations,
  messageBytes,
  messageTextOf,
  recordDataOf,
  resolveFifoIds,
  resolveMessageAttributes,
  resultsByBatchEntryId,
  resultsByEntryKey,
  sendWithDistinctEntryIds,
} from "../src/index.ts"

const rules: MessageAttributeRules = {
  maxAttributes: 10,
  dataTypes: ["String", "Number", "Binary"],
  customLabels: true,
  allowedCharacters: /^[^#]*$/u,
  allowedCharactersText: "no #",
}

const rulesOf = (attributes: unknown, r: MessageAttributeRules = rules) =>
  messageAttributeViolations("attrs", attributes, r).map((v) => [v.field, v.rule])

describe("messageAttributeViolations", () => {
  it("accepts String, Number and Binary attributes, with a custom label where the service allows one", () => {
    expect(
      rulesOf({
        a: { DataType: "String", StringValue: "x" },
        "b.c-d_e": { DataType: "Number.float", StringValue: "-1.5e3" },
        f: { DataType: "Binary", BinaryValue: new Uint8Array([1]) },
      }),
    ).toEqual([])
    expect(
      rulesOf({ a: { DataType: "Number.float", StringValue: "1" } }, { ...rules, customLabels: false }),
    ).toEqual([["attrs.a.DataType", "dataType"]])
  })

  it("names each broken rule: name, reserved prefix, periods, type, value, characters, count", () => {
    expect(rulesOf({ "a b": { DataType: "String", StringValue: "x" } })).toEqual([
      ["attrs.a b", "namePattern"],
    ])
    expect(rulesOf({ "Amazon.x": { DataType: "String", StringValue: "x" } })).toEqual([
      ["attrs.Amazon.x", "reservedPrefix"],
    ])
    expect(rulesOf({ ".a": { DataType: "String", StringValue: "x" } })).toEqual([["attrs..a", "namePeriods"]])
    expect(rulesOf({ ["n".repeat(257)]: { DataType: "String", StringValue: "x" } })[0]?.[1]).toBe(
      "nameLength",
    )
    expect(rulesOf({ a: { DataType: "Text", StringValue: "x" } })).toEqual([["attrs.a.DataType", "dataType"]])
    expect(rulesOf({ a: { DataType: "String." } })).toEqual([["attrs.a.DataType", "dataType"]])
    expect(rulesOf({ a: { DataType: "Binary", BinaryValue: new Uint8Array() } })).toEqual([
      ["attrs.a", "binaryValue"],
    ])
    expect(rulesOf({ a: { DataType: "String", StringValue: "" } })).toEqual([["attrs.a", "stringValue"]])
    expect(rulesOf({ a: { DataType: "String", StringValue: "#" } })).toEqual([
      ["attrs.a.StringValue", "allowedCharacters"],
    ])
    expect(rulesOf({ a: { DataType: "Number", StringValue: "1,5" } })).toEqual([
      ["attrs.a.StringValue", "number"],
    ])
    expect(rulesOf({ a: null })).toEqual([["attrs.a", "type"]])
    expect(rulesOf("x")).toEqual([["attrs", "type"]])
    const eleven = Object.fromEntries(
      Array.from({ length: 11 }, (_, i) => [`a${i}`, { DataType: "String", StringValue: "v" }]),
    )
    expect(rulesOf(eleven)).toEqual([["attrs", "maxAttributes"]])
  })

  it("String.Array values must be JSON arrays", () => {
    const sns = { ...rules, dataTypes: ["String", "String.Array", "Number", "Binary"], customLabels: false }
    expect(rulesOf({ a: { DataType: "String.Array", StringValue: '["x",1]' } }, sns)).toEqual([])
    expect(rulesOf({ a: { DataType: "String.Array", StringValue: "[x" } }, sns)).toEqual([
      ["attrs.a.StringValue", "stringArray"],
    ])
  })

  it("counts each attribute's name, data type and value bytes", () => {
    expect(
      messageAttributesBytes({
        é: { DataType: "String", StringValue: "ü" },
        b: { DataType: "Binary", BinaryValue: new Uint8Array(5) },
      }),
    ).toBe(2 + 6 + 2 + (1 + 6 + 5))
    expect(messageAttributesBytes(undefined)).toBe(0)
  })
})

describe("messageTextOf and cloudEventMessageAttributes", () => {
  const event = createEvent({ id: "e-1", type: "t", source: "s", subject: "sub", data: { n: 1 } })

  it("the CloudEvents JSON reads back to the same event, data as JSON carries it; data alone is its JSON text", () => {
    // JSON carries -0 as 0 (fast-check's jsonValue draws it now and then): compare as JSON does.
    const readBack = (data: unknown) => {
      const e = createEvent({ type: "t", source: "s", data: data as never })
      const text = messageTextOf(e, "cloudEvent", "body")
      expect(typeof text).toBe("string")
      expect(fromCloudEvent(text as string)).toEqual({ ...e, data: JSON.parse(JSON.stringify(data)) })
    }
    readBack(-0)
    readBack({ zero: -0, list: [-0, 1] })
    fc.assert(fc.property(fc.jsonValue(), readBack), { numRuns: 100 })
    expect(messageTextOf(event, "data", "body")).toBe('{"n":1}')
  })

  it("refuses binary data as text, deep data, a throwing or non-string function", () => {
    const binary = createEvent({ type: "t", source: "s", data: new Uint8Array([1]) })
    const rule = (text: unknown) => (typeof text === "string" ? undefined : (text as { rule: string }).rule)
    expect(rule(messageTextOf(binary, "data", "body"))).toBe("binaryData")
    expect(rule(messageTextOf(binary, "cloudEvent", "body"))).toBeUndefined()
    let deep: unknown = 1
    for (let i = 0; i < maxDataDepth + 5; i++) deep = [deep]
    const deepEvent = { ...event, data: deep as never }
    expect(rule(messageTextOf(deepEvent, "cloudEvent", "body"))).toBe("maxDepth")
    expect(
      rule(
        messageTextOf(
          event,
          () => {
            throw new Error("no")
          },
          "body",
        ),
      ),
    ).toBe("hook")
    expect(rule(messageTextOf(event, () => 1 as unknown as string, "body"))).toBe("type")
  })

  it("puts the context attributes in ce_* String attributes", () => {
    expect(cloudEventMessageAttributes(event)).toEqual({
      ce_specversion: { DataType: "String", StringValue: "1.0" },
      ce_id: { DataType: "String", StringValue: "e-1" },
      ce_source: { DataType: "String", StringValue: "s" },
      ce_type: { DataType: "String", StringValue: "t" },
      ce_time: { DataType: "String", StringValue: event.time.toISOString() },
      ce_subject: { DataType: "String", StringValue: "sub" },
    })
  })
})

describe("classifyBySenderFault", () => {
  const table: ErrorTable = {
    Busy: { code: "Throttled", retryable: true },
    Bad: { code: "InvalidRequest", retryable: false },
  }

  it("SenderFault decides retrying, the table the code", () => {
    expect(classifyBySenderFault(table, "Busy", true, "m")).toMatchObject({
      code: "Throttled",
      retryable: false,
      rawCode: "Busy",
      rawMessage: "m",
    })
    expect(classifyBySenderFault(table, "Bad", false, undefined)).toMatchObject({
      code: "InvalidRequest",
      retryable: true,
    })
    expect(classifyBySenderFault(table, "New", true, undefined)).toMatchObject({
      code: "InvalidRequest",
      retryable: false,
    })
    expect(classifyBySenderFault(table, "New", false, undefined)).toMatchObject({
      code: "InternalFailure",
      retryable: true,
    })
    expect(classifyBySenderFault(table, "Busy", undefined, undefined)).toMatchObject({
      code: "Throttled",
      retryable: true,
    })
    expect(classifyBySenderFault(table, "constructor", undefined, undefined)).toMatchObject({
      code: "Unknown",
      retryable: false,
    })
  })

  it.each([...credentialErrorNames])(
    "an unlisted credential error %s is AccessDenied, not retryable, raw code kept, whatever SenderFault says",
    (name) => {
      for (const senderFault of [true, false, undefined])
        expect(classifyBySenderFault(table, name, senderFault, "denied")).toMatchObject({
          code: "AccessDenied",
          retryable: false,
          rawCode: name,
          rawMessage: "denied",
        })
    },
  )
})

describe("resultsByEntryKey", () => {
  const failure = deliveryError("InternalFailure", { retryable: true })

  it("maps successes and failures back to the keys sent, in order", () => {
    const results = resultsByEntryKey(
      ["a", "b", "c"],
      [{ key: "c", receipt: "r-c" }, { key: "a" }],
      [{ key: "b", error: failure }],
    )
    expect(results).toEqual([{ ok: true }, { ok: false, error: failure }, { ok: true, receipt: "r-c" }])
  })

  it("keys named like Object.prototype members are plain keys", () => {
    const results = resultsByEntryKey(
      ["__proto__", "constructor", "toString"],
      [
        { key: "toString", receipt: "r-t" },
        { key: "__proto__", receipt: "r-p" },
      ],
      [{ key: "constructor", error: failure }],
    )
    expect(results).toEqual([
      { ok: true, receipt: "r-p" },
      { ok: false, error: failure },
      { ok: true, receipt: "r-t" },
    ])
    const unsent = resultsByEntryKey(["a"], [{ key: "a" }, { key: "hasOwnProperty" }], [])
    expect(unsent[0]).toMatchObject({ ok: false, error: { outcomeUnknown: true } })
  })

  it("an entry listed in neither list or in both is unknown; a stray key puts the successes in doubt", () => {
    const unknown = (r: unknown) =>
      (r as { ok: boolean; error?: { outcomeUnknown: boolean } }).error?.outcomeUnknown
    const missing = resultsByEntryKey(["a", "b"], [{ key: "a" }], [])
    expect(unknown(missing[1])).toBe(true)
    const both = resultsByEntryKey(["a"], [{ key: "a" }], [{ key: "a", error: failure }])
    expect(unknown(both[0])).toBe(true)
    const stray = resultsByEntryKey(["a", "b"], [{ key: "a" }, { key: "zz" }], [{ key: "b", error: failure }])
    expect(unknown(stray[0])).toBe(true)
    expect(stray[1]).toEqual({ ok: false, error: failure })
  })

  it("for any split of the keys into successes and failures, each key gets its own result", () => {
    fc.assert(
      fc.property(
        // Object.prototype names (`__proto__`, `constructor`…) are keys like any other.
        fc.uniqueArray(
          fc.oneof(
            fc.constantFrom(...Object.getOwnPropertyNames(Object.prototype)),
            fc.string({ minLength: 1 }),
          ),
          { minLength: 1, maxLength: 10 },
        ),
        fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }),
        (keys, oks) => {
          const results = resultsByEntryKey(
            keys,
            keys.filter((_, i) => oks[i]).map((key) => ({ key, receipt: `r-${key}` })),
            keys.filter((_, i) => !oks[i]).map((key) => ({ key, error: failure })),
          )
          results.forEach((result, i) => {
            expect(result).toEqual(
              oks[i] ? { ok: true, receipt: `r-${keys[i]}` } : { ok: false, error: failure },
            )
          })
        },
      ),
      { numRuns: 100 },
    )
  })
})

// SQS's and SNS's rule for MessageGroupId and MessageDeduplicationId.
const fifoId = { min: 1, max: 128, pattern: /^[A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]+$/ }
const fifoEvent = (id = "e-1") => createEvent({ id, type: "t", source: "s", data: null })
const fieldsAndRules = (violations: ReadonlyArray<{ field: string; rule: string }>) =>
  violations.map((v) => [v.field, v.rule])

describe("checkFifoId and checkFifoOptions", () => {
  it("an id of 1–128 alphanumeric and punctuation characters passes; absent passes; others name the rule", () => {
    expect(checkFifoId("messageGroupId", "g-1!~", fifoId)).toBeUndefined()
    expect(checkFifoId("messageGroupId", undefined, fifoId)).toBeUndefined()
    expect(checkFifoId("messageGroupId", "a b", fifoId)).toMatchObject({
      field: "messageGroupId",
      rule: "pattern",
      message: expect.stringContaining("alphanumeric and punctuation characters"),
    })
    expect(checkFifoId("deduplicationId", "é", fifoId)?.rule).toBe("pattern")
    expect(checkFifoId("deduplicationId", "d".repeat(129), fifoId)?.rule).toBe("maxLength")
    expect(checkFifoId("deduplicationId", 7, fifoId)?.rule).toBe("type")
  })

  it("a constant FIFO destination needs a group; a de-duplication id is for FIFO destinations only", () => {
    expect(checkFifoOptions({ kind: "queue", fifo: true }, {})).toMatchObject({
      field: "messageGroupId",
      rule: "required",
      message: "is required for a FIFO queue (.fifo)",
    })
    expect(checkFifoOptions({ kind: "topic", fifo: true }, { messageGroupId: () => "g" })).toBeUndefined()
    expect(checkFifoOptions({ kind: "topic", fifo: false }, { deduplicationId: "d" })).toMatchObject({
      field: "deduplicationId",
      rule: "fifoOnly",
      message: "is for FIFO topics only (.fifo)",
    })
    // A function may return undefined for a standard destination: only encode can tell.
    expect(
      checkFifoOptions({ kind: "queue", fifo: false }, { deduplicationId: () => undefined }),
    ).toBeUndefined()
  })
})

describe("resolveFifoIds", () => {
  const fifoQueue = { kind: "queue", fifo: true } as const
  const standardTopic = { kind: "topic", fifo: false } as const

  it("a FIFO destination: the group from options, the event id as de-duplication id, derived when it does not fit", () => {
    expect(resolveFifoIds(fifoEvent(), { messageGroupId: "g" }, fifoQueue, fifoId)).toEqual({
      messageGroupId: "g",
      deduplicationId: "e-1",
      violations: [],
    })
    const long = resolveFifoIds(fifoEvent("x".repeat(200)), { messageGroupId: "g" }, fifoQueue, fifoId)
    expect(long.deduplicationId).toMatch(/^sha256-[A-Za-z0-9_-]{43}$/)
    expect(resolveFifoIds(fifoEvent("x".repeat(200)), { messageGroupId: "g" }, fifoQueue, fifoId)).toEqual(
      long,
    )
  })

  it("a caller's de-duplication id wins; undefined from a function leaves de-duplication to the destination", () => {
    const event = fifoEvent()
    expect(
      resolveFifoIds(event, { messageGroupId: "g", deduplicationId: (e) => `d-${e.id}` }, fifoQueue, fifoId)
        .deduplicationId,
    ).toBe("d-e-1")
    expect(
      resolveFifoIds(event, { messageGroupId: "g", deduplicationId: () => undefined }, fifoQueue, fifoId)
        .deduplicationId,
    ).toBeUndefined()
  })

  it("names each broken rule: no group, a bad group, a throwing option, de-duplication on a standard destination", () => {
    expect(fieldsAndRules(resolveFifoIds(fifoEvent(), {}, fifoQueue, fifoId).violations)).toEqual([
      ["messageGroupId", "required"],
    ])
    expect(
      fieldsAndRules(
        resolveFifoIds(fifoEvent(), { messageGroupId: () => "a b" }, fifoQueue, fifoId).violations,
      ),
    ).toEqual([["messageGroupId", "pattern"]])
    const throwing = () => {
      throw new Error("boom")
    }
    expect(
      fieldsAndRules(resolveFifoIds(fifoEvent(), { messageGroupId: throwing }, fifoQueue, fifoId).violations),
    ).toEqual([["messageGroupId", "hook"]])
    const standard = resolveFifoIds(fifoEvent(), { deduplicationId: () => "d" }, standardTopic, fifoId)
    expect(standard.violations).toMatchObject([
      {
        field: "deduplicationId",
        rule: "fifoOnly",
        message: expect.stringContaining("this topic is a standard topic"),
      },
    ])
    expect(standard.deduplicationId).toBeUndefined()
  })

  it("an invalid destination (undefined) adds no FIFO rule of its own", () => {
    expect(resolveFifoIds(fifoEvent(), { deduplicationId: () => "d" }, undefined, fifoId)).toEqual({
      messageGroupId: undefined,
      deduplicationId: "d",
      violations: [],
    })
  })
})

describe("resolveMessageAttributes", () => {
  const text = (value: string) => ({ DataType: "String", StringValue: value })

  it("the CloudEvents attributes when asked, overlaid by the caller's by name", () => {
    const event = createEvent({ type: "t", source: "s", data: null })
    const { attributes, violations } = resolveMessageAttributes(
      event,
      {
        cloudEventAttributes: true,
        messageAttributes: (e) => ({ ce_type: text("mine"), tenant: text(e.source) }),
      },
      rules,
    )
    expect(violations).toEqual([])
    expect(attributes).toEqual({
      ...cloudEventMessageAttributes(event),
      ce_type: text("mine"),
      tenant: text("s"),
    })
    expect(resolveMessageAttributes(event, { cloudEventAttributes: false }, rules).attributes).toBeUndefined()
  })

  it("checks the merged map as one, and a throwing function rejects the event by rule hook", () => {
    const event = createEvent({ type: "t", source: "s", data: null })
    // Five CloudEvents attributes and six of the caller's: eleven, over the ten allowed.
    const many = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`a${i}`, text("v")]))
    expect(
      fieldsAndRules(
        resolveMessageAttributes(event, { cloudEventAttributes: true, messageAttributes: many }, rules)
          .violations,
      ),
    ).toEqual([["messageAttributes", "maxAttributes"]])
    const throwing = resolveMessageAttributes(
      event,
      {
        cloudEventAttributes: true,
        messageAttributes: () => {
          throw new Error("boom")
        },
      },
      rules,
    )
    expect(fieldsAndRules(throwing.violations)).toEqual([["messageAttributes", "hook"]])
  })
})

describe("resultsByBatchEntryId and sendWithDistinctEntryIds", () => {
  const table: ErrorTable = { InternalError: { code: "InternalFailure", retryable: true } }
  const classify = (code: string | undefined, senderFault: boolean | undefined, message?: string) =>
    classifyBySenderFault(table, code, senderFault, message)

  it("maps Successful and Failed back by Id: MessageId receipts, failures classified with SenderFault", () => {
    const results = resultsByBatchEntryId(
      ["a", "b", "c"],
      {
        Successful: [
          { Id: "c", MessageId: "m-c" },
          { Id: "a", MessageId: "m-a" },
        ],
        Failed: [{ Id: "b", Code: "InternalError", SenderFault: true, Message: "no" }],
      },
      classify,
    )
    expect(results).toMatchObject([
      { ok: true, receipt: "m-a" },
      {
        ok: false,
        error: { code: "InternalFailure", retryable: false, rawCode: "InternalError", rawMessage: "no" },
      },
      { ok: true, receipt: "m-c" },
    ])
    const unanswered = resultsByBatchEntryId(["a"], {}, classify)
    expect(unanswered).toMatchObject([
      { ok: false, error: { outcomeUnknown: true, rawCode: "InconsistentResponse" } },
    ])
  })

  it("sends each Id once per request: a later duplicate fails retryably, unsent, results stay aligned", async () => {
    const sent: Array<ReadonlyArray<string>> = []
    const results = await sendWithDistinctEntryIds(
      [{ Id: "a" }, { Id: "b" }, { Id: "a" }],
      async (distinct, ids) => {
        sent.push(ids)
        expect(distinct.map((e) => e.Id)).toEqual(ids)
        return resultsByBatchEntryId(
          ids,
          { Successful: ids.map((Id) => ({ Id, MessageId: `m-${Id}` })) },
          classify,
        )
      },
    )
    expect(sent).toEqual([["a", "b"]])
    expect(results).toMatchObject([
      { ok: true, receipt: "m-a" },
      { ok: true, receipt: "m-b" },
      { ok: false, error: { retryable: true, rawCode: "DuplicateBatchEntryId" } },
    ])
  })
})

describe("recordDataOf", () => {
  it("the event's CloudEvents JSON bytes, or the data alone: its JSON text, or its bytes when binary", () => {
    const event = createEvent({ type: "t", source: "s", subject: "k", data: { a: [1, "x"] } })
    const cloudEvent = recordDataOf(event, "cloudEvent")
    expect(cloudEvent).toBeInstanceOf(Uint8Array)
    expect(fromCloudEvent(Buffer.from(cloudEvent as Uint8Array).toString("utf8"))).toEqual(event)
    expect(Buffer.from(recordDataOf(event, "data") as Uint8Array).toString("utf8")).toBe('{"a":[1,"x"]}')
    const bytes = new Uint8Array([0, 255, 7])
    expect(recordDataOf(createEvent({ type: "t", source: "s", data: bytes }), "data")).toEqual(bytes)
  })

  it("data nested past maxDataDepth is refused by rule maxDepth in both forms, never a stack overflow", () => {
    let deep: unknown = null
    for (let i = 0; i < 20_000; i++) deep = [deep]
    // Built past validation, which refuses data deeper than maxDataDepth itself.
    const event = { ...createEvent({ type: "t", source: "s", data: null }), data: deep as null }
    for (const content of ["cloudEvent", "data"] as const)
      expect(recordDataOf(event, content)).toMatchObject({
        field: expect.stringMatching(/^data\[0\]/),
        rule: "maxDepth",
      })
  })
})

describe("messageBytes and fifoOrderingKey", () => {
  it("a message's size is its UTF-8 text plus each attribute's name, data type and value", () => {
    expect(messageBytes("héllo", { n: { DataType: "String", StringValue: "vv" } })).toBe(6 + 1 + 6 + 2)
    expect(messageBytes(undefined, { b: { DataType: "Binary", BinaryValue: new Uint8Array(3) } })).toBe(
      1 + 6 + 3,
    )
    expect(messageBytes("", undefined)).toBe(0)
  })

  it("the ordering key tells destinations and groups apart", () => {
    expect(fifoOrderingKey("q.fifo", "g")).toBe("q.fifo g")
    expect(fifoOrderingKey("q.fifo", "g")).not.toBe(fifoOrderingKey("r.fifo", "g"))
  })
})
