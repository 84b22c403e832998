import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  adapterClient,
  checkPositiveOption,
  checkString,
  classifyByTable,
  classifyRequestByTable,
  createEvent,
  DeliveryError,
  deliveryError,
  deriveStableId,
  describeValue,
  type ErrorTable,
  inconsistentResponse,
  invalidOption,
  positionalResults,
  resultsByKey,
  runHook,
  throttlingErrorNames,
  violation,
} from "../src/index.ts"

const event = createEvent({ id: "e-1", type: "t", source: "s", data: { n: 1 } })

describe("deriveStableId", () => {
  const iotEventsRule = { min: 1, max: 64, pattern: /^[a-zA-Z0-9_-]+$/ }
  const asciiRule = { max: 128, pattern: /^\p{ASCII}+$/u }

  it("keeps an event id that fits the rule", () => {
    for (const id of ["a", "A-b_9", "x".repeat(64)]) expect(deriveStableId(id, iotEventsRule)).toBe(id)
    expect(deriveStableId("device/7:reading", asciiRule)).toBe("device/7:reading")
  })

  it("derives sha256-<base64url> for an id that does not fit: too long, bad characters, empty", () => {
    for (const id of ["x".repeat(65), "device/7:reading", "", "ünïcode"])
      expect(deriveStableId(id, iotEventsRule)).toMatch(/^sha256-[A-Za-z0-9_-]{43}$/)
    expect(deriveStableId("ünïcode", asciiRule)).toMatch(/^sha256-[A-Za-z0-9_-]{43}$/)
    expect(deriveStableId("x".repeat(65), iotEventsRule)).not.toBe(
      deriveStableId("x".repeat(66), iotEventsRule),
    )
  })

  it("is stable and always fits the rule, for every id", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 200 }), (id) => {
        for (const rule of [iotEventsRule, asciiRule]) {
          const sent = deriveStableId(id, rule)
          expect(sent.length).toBeGreaterThanOrEqual(1)
          expect(sent.length).toBeLessThanOrEqual(rule.max)
          expect(rule.pattern.test(sent)).toBe(true)
          expect(deriveStableId(id, rule)).toBe(sent)
        }
      }),
    )
  })

  it("throws for a rule no derived id can fit", () => {
    expect(() => deriveStableId("a/b", { max: 20, pattern: /^[a-z]+$/ })).toThrow(RangeError)
    expect(() => deriveStableId("a/b", { max: 128, pattern: /^[0-9]+$/ })).toThrow(/admits no derived id/)
  })
})

describe("runHook", () => {
  it("resolves a constant and calls a function with the event", () => {
    expect(runHook("name", "orders", event)).toEqual({ ok: true, value: "orders" })
    expect(runHook("name", (e) => `bus-${e.id}`, event)).toEqual({ ok: true, value: "bus-e-1" })
  })

  it("turns a throw into a hook violation on the field, for Errors and other thrown values", () => {
    const thrown = runHook(
      "detail",
      () => {
        throw new TypeError("no detail")
      },
      event,
    )
    expect(thrown).toEqual({
      ok: false,
      violation: violation("detail", "hook", "the detail option threw TypeError: no detail"),
    })
    const odd = runHook(
      "payload",
      () => {
        throw 42
      },
      event,
    )
    expect(odd).toEqual({ ok: false, violation: violation("payload", "hook", "the payload option threw 42") })
  })
})

describe("option checks", () => {
  it("invalidOption names the factory, field, message and rule", () => {
    const error = invalidOption("iotEvents", violation("inputName", "pattern", "must match x"))
    expect(error).toBeInstanceOf(TypeError)
    expect(error.message).toBe("iotEvents: option inputName must match x (pattern)")
  })

  it("checkPositiveOption accepts absent, positive and Infinity; throws for 0, negatives and NaN", () => {
    for (const value of [undefined, 1, 0.5, Number.POSITIVE_INFINITY])
      expect(() => checkPositiveOption("f", "maxRequestBytes", value)).not.toThrow()
    for (const value of [0, -1, Number.NaN])
      expect(() => checkPositiveOption("f", "maxRequestBytes", value)).toThrow(
        new RangeError(`f: option maxRequestBytes must be a positive number, got ${value}`),
      )
  })

  it("checkString reports a value that is not a string as a type violation", () => {
    expect(checkString("name", 7, { min: 1 })).toEqual(
      violation("name", "type", "must be a string, got a number"),
    )
    expect(checkString("name", null, {})).toEqual(violation("name", "type", "must be a string, got null"))
    expect(checkString("name", "ok", { min: 1, max: 2, pattern: /^o/ })).toBeUndefined()
  })

  it("describeValue says what a value is", () => {
    expect([null, [1], new Uint8Array(1), {}, undefined, 1, "s", true].map(describeValue)).toEqual([
      "null",
      "an array",
      "binary data",
      "an object",
      "undefined",
      "a number",
      "a string",
      "a boolean",
    ])
  })
})

describe("adapterClient", () => {
  interface FakeConfig {
    region?: string
    maxAttempts?: number
    cacheMiddleware?: boolean
  }
  class FakeClient {
    destroyed = 0
    constructor(readonly config: FakeConfig) {}
    destroy() {
      this.destroyed++
    }
  }
  const make = (config: FakeConfig) => new FakeClient(config)
  const command = { input: {} }
  const signal = new AbortController().signal

  it("makes a client from clientConfig with maxAttempts forced to 1, and destroys it on close", () => {
    const owned = adapterClient("f", { clientConfig: { region: "eu-west-1", maxAttempts: 5 } }, make)
    expect(owned.client.config).toEqual({ region: "eu-west-1", maxAttempts: 1, cacheMiddleware: true })
    owned.close()
    expect(owned.client.destroyed).toBe(1)
  })

  it("makes a client with maxAttempts 1 and the middleware cache on when neither is given", () => {
    expect(adapterClient("f", {}, make).client.config).toEqual({ maxAttempts: 1, cacheMiddleware: true })
  })

  it("keeps clientConfig's cacheMiddleware, and then sends the signal as send's option", () => {
    const owned = adapterClient("f", { clientConfig: { cacheMiddleware: false } }, make)
    expect(owned.client.config).toEqual({ maxAttempts: 1, cacheMiddleware: false })
    expect(owned.sendOptions(command, signal)).toEqual({ abortSignal: signal })
  })

  it("sends the signal as send's option for a made client that is not an SDK v3 client", () => {
    // FakeClient has no middleware stack or request handler to carry the signal another way.
    expect(adapterClient("f", {}, make).sendOptions(command, signal)).toEqual({ abortSignal: signal })
  })

  it("uses the user's client as given, never destroys it, and sends the signal as send's option", () => {
    const client = new FakeClient({ maxAttempts: 3 })
    const used = adapterClient("f", { client }, make)
    expect(used.client).toBe(client)
    expect(used.sendOptions(command, signal)).toEqual({ abortSignal: signal })
    used.close()
    expect(client.destroyed).toBe(0)
    expect(client.config).toEqual({ maxAttempts: 3 })
  })

  /** The parts of an SDK v3 client the adapter touches: a middleware stack and a request handler. */
  class FakeSdkClient extends FakeClient {
    readonly removed: Array<string> = []
    readonly added: Array<string> = []
    readonly middlewareStack = {
      remove: (name: string) => {
        this.removed.push(name)
        return true
      },
      add: (_middleware: unknown, options: { readonly name: string }) => {
        this.added.push(options.name)
      },
    }
    constructor(config: FakeConfig & { logger?: unknown }) {
      super({ ...config, requestHandler: { handle: async () => ({}) } } as FakeConfig)
    }
  }
  const makeSdk = (config: FakeConfig) => new FakeSdkClient(config)

  it("leaves the SDK's logger middleware out of a made client without a logger, and only then", () => {
    expect(adapterClient("f", {}, makeSdk).client.removed).toEqual(["loggerMiddleware"])
    const logger = { info: () => {} }
    expect(adapterClient("f", { clientConfig: { logger } }, makeSdk).client.removed).toEqual([])
    const users = new FakeSdkClient({})
    adapterClient("f", { client: users }, makeSdk)
    expect(users.removed).toEqual([])
  })

  it("routes the signal around send's options for a made SDK client, unless the input is frozen", () => {
    const made = adapterClient("f", {}, makeSdk)
    expect(made.client.added).toEqual(["eventportRequestSignal"])
    expect(made.sendOptions({ input: {} }, signal)).toBeUndefined()
    // A frozen input cannot carry it: the signal goes as send's option, so it still ends the request.
    expect(made.sendOptions({ input: Object.freeze({}) }, signal)).toEqual({ abortSignal: signal })
  })

  it("refuses both", () => {
    expect(() =>
      adapterClient("eventBridge", { client: new FakeClient({}), clientConfig: {} }, make),
    ).toThrow(new TypeError("eventBridge: give either client or clientConfig, not both"))
  })
})

describe("error tables", () => {
  const table: ErrorTable = {
    ThrottlingException: { code: "Throttled", retryable: true },
    MalformedDetail: { code: "InvalidRequest", retryable: false },
  }

  it("classifyByTable maps listed codes and keeps the raw code and message", () => {
    const error = classifyByTable(table, "ThrottlingException", "slow down")
    expect(error.fields()).toEqual({
      code: "Throttled",
      retryable: true,
      rawCode: "ThrottlingException",
      rawMessage: "slow down",
    })
    expect(classifyByTable(table, "MalformedDetail", undefined).fields()).toEqual({
      code: "InvalidRequest",
      retryable: false,
      rawCode: "MalformedDetail",
    })
  })

  it("classifyByTable: unlisted, inherited and missing codes are Unknown, not retried", () => {
    for (const code of ["Whatever", "toString", "__proto__", "constructor"])
      expect(classifyByTable(table, code, "m").fields()).toEqual({
        code: "Unknown",
        retryable: false,
        rawCode: code,
        rawMessage: "m",
      })
    expect(classifyByTable(table, undefined, undefined).fields()).toEqual({
      code: "Unknown",
      retryable: false,
    })
  })

  it("classifyByTable asks the fallback only for codes the table does not list", () => {
    const throttled = (code: string) =>
      throttlingErrorNames.has(code) ? ({ code: "Throttled", retryable: true } as const) : undefined
    expect(classifyByTable(table, "SlowDown", undefined, throttled)).toMatchObject({
      code: "Throttled",
      retryable: true,
      rawCode: "SlowDown",
    })
    expect(
      classifyByTable(table, "MalformedDetail", undefined, () => ({ code: "Throttled", retryable: true })),
    ).toMatchObject({ code: "InvalidRequest", retryable: false })
    expect(classifyByTable(table, "Other", undefined, throttled)).toMatchObject({ code: "Unknown" })
  })

  it("classifyRequestByTable maps by name and keeps what classifyError read", () => {
    const sdkError = Object.assign(new Error("rate exceeded"), {
      name: "MalformedDetail",
      $metadata: { httpStatusCode: 400 },
    })
    expect(classifyRequestByTable(table, sdkError).fields()).toEqual({
      code: "InvalidRequest",
      retryable: false,
      rawCode: "MalformedDetail",
      rawMessage: "rate exceeded",
      httpStatus: 400,
    })
  })

  it("classifyRequestByTable falls back on classifyError and passes DeliveryErrors through", () => {
    const reset = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" })
    expect(classifyRequestByTable(table, reset)).toMatchObject({ code: "Network", outcomeUnknown: true })
    const status = Object.assign(new Error("gone"), { name: "Weird", $metadata: { httpStatusCode: 503 } })
    expect(classifyRequestByTable(table, status)).toMatchObject({ code: "Unavailable", retryable: true })
    const given = deliveryError("NotFound")
    expect(classifyRequestByTable(table, given)).toBe(given)
    expect(classifyRequestByTable(table, "text")).toMatchObject({ code: "Unknown", rawMessage: "text" })
  })
})

describe("resultsByKey", () => {
  // Short strings, and Object.prototype names (`__proto__`, `constructor`…), keys like any other.
  const key = fc.oneof(
    fc.string({ maxLength: 4 }),
    fc.constantFrom(...Object.getOwnPropertyNames(Object.prototype)),
  )
  const failed = deliveryError("InvalidRequest", { rawCode: "InvalidRequestException" })

  it("puts each failure at its key's index; unlisted keys were accepted", () => {
    const results = resultsByKey(["a", "b", "c"], [{ key: "c", error: failed }])
    expect(results).toEqual([{ ok: true }, { ok: true }, { ok: false, error: failed }])
  })

  it("keys named like Object.prototype members are plain keys", () => {
    const results = resultsByKey(
      ["__proto__", "constructor", "valueOf"],
      [{ key: "__proto__", error: failed }],
    )
    expect(results).toEqual([{ ok: false, error: failed }, { ok: true }, { ok: true }])
    expect(resultsByKey(["a"], [{ key: "toString", error: failed }])[0]).toMatchObject({
      ok: false,
      error: { outcomeUnknown: true },
    })
  })

  it("an empty response accepts everything", () => {
    expect(resultsByKey(["a", "b"], [])).toEqual([{ ok: true }, { ok: true }])
  })

  it("a failure for a key that was not sent, or for none, puts the unlisted entries in doubt", () => {
    const results = resultsByKey(
      ["a", "b", "c"],
      [
        { key: "b", error: failed },
        { key: "zz", error: failed },
        { key: undefined, error: failed },
      ],
      "messageId",
    )
    expect(results[1]).toEqual({ ok: false, error: failed })
    for (const i of [0, 2]) {
      const result = results[i]!
      expect(result.ok).toBe(false)
      if (result.ok) continue
      expect(result.error.fields()).toEqual(
        inconsistentResponse(
          "the response reports failures for messageIds that were not sent: zz, (no messageId)",
        ).fields(),
      )
    }
  })

  it("never leaves an entry without a result, for all keys and failures", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(key, { maxLength: 12 }),
        fc.array(fc.option(key, { nil: undefined }), { maxLength: 12 }),
        (keys, failedKeys) => {
          const results = resultsByKey(
            keys,
            failedKeys.map((key) => ({ key, error: failed })),
          )
          expect(results).toHaveLength(keys.length)
          const strays = failedKeys.some((key) => key === undefined || !keys.includes(key))
          keys.forEach((key, i) => {
            const result = results[i]!
            if (failedKeys.includes(key)) expect(result).toEqual({ ok: false, error: failed })
            else if (strays)
              expect(
                !result.ok && DeliveryError.isInstance(result.error) && result.error.outcomeUnknown,
              ).toBe(true)
            else expect(result).toEqual({ ok: true })
          })
        },
      ),
    )
  })
})

describe("inconsistentResponse", () => {
  it("is an Unknown outcome, not retried", () => {
    expect(inconsistentResponse("why").fields()).toEqual({
      code: "Unknown",
      retryable: false,
      outcomeUnknown: true,
      rawCode: "InconsistentResponse",
      rawMessage: "why",
    })
  })
})

describe("positionalResults", () => {
  const names = {
    operation: "PutRecords",
    entry: "record",
    receipt: "SequenceNumber",
    failedCount: "FailedRecordCount",
  }
  const classify = (code: string, message: string | undefined) =>
    deliveryError("Throttled", {
      retryable: true,
      rawCode: code,
      ...(message === undefined ? {} : { rawMessage: message }),
    })

  it("answers[i] answers entry i: a receipt, or an error classified by its code", () => {
    const results = positionalResults(
      2,
      [{ receipt: "1" }, { errorCode: "Slow", errorMessage: "m" }],
      1,
      classify,
      names,
    )
    expect(results[0]).toEqual({ ok: true, receipt: "1" })
    expect(results[1]?.ok === false && results[1].error).toMatchObject({
      code: "Throttled",
      rawCode: "Slow",
      rawMessage: "m",
    })
  })

  it("an entry not answered, or answered with nothing, has an unknown outcome naming the response's parts", () => {
    const results = positionalResults(3, [{ receipt: "1" }, {}], 2, classify, names)
    expect(results[1]?.ok === false && results[1].error).toMatchObject({
      code: "Unknown",
      outcomeUnknown: true,
      rawMessage: "the PutRecords response record has neither SequenceNumber nor ErrorCode",
    })
    expect(results[2]?.ok === false && results[2].error.rawMessage).toBe(
      "the PutRecords response has 2 records for 3 sent",
    )
  })

  it("a failure count that disagrees puts in doubt the side it contradicts", () => {
    const answers = [{ receipt: "1" }, { errorCode: "Slow" }]
    const more = positionalResults(2, answers, 2, classify, names)
    expect(more[0]?.ok === false && more[0].error).toMatchObject({ code: "Unknown", outcomeUnknown: true })
    expect(more[1]?.ok === false && more[1].error.outcomeUnknown).toBeUndefined()
    const fewer = positionalResults(2, answers, 0, classify, names)
    expect(fewer[0]).toEqual({ ok: true, receipt: "1" })
    expect(fewer[1]?.ok === false && fewer[1].error).toMatchObject({
      code: "Throttled",
      outcomeUnknown: true,
    })
    expect(fewer[1]?.ok === false && fewer[1].error.rawMessage).toContain("FailedRecordCount is 0")
  })

  it("every entry gets exactly one result, whatever the response", () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 20 }),
        fc.array(
          fc.record({
            receipt: fc.option(fc.string(), { nil: undefined }),
            errorCode: fc.option(fc.string(), { nil: undefined }),
          }),
          { maxLength: 25 },
        ),
        fc.option(fc.nat({ max: 30 }), { nil: undefined }),
        (sent, answers, failedCount) => {
          expect(positionalResults(sent, answers, failedCount, classify, names)).toHaveLength(sent)
        },
      ),
    )
  })
})
