import { describe, expect, it } from "vitest"
import {
  classifyByTable,
  classifyError,
  classifyHttpStatus,
  classifyRequestByTable,
  credentialErrorNames,
  DeliveryError,
  deliveryError,
  retryableByDefault,
} from "../src/index.ts"

const awsError = (name: string, status: number, message = "m") =>
  Object.assign(new Error(message), {
    name,
    $metadata: { httpStatusCode: status },
    $fault: status >= 500 ? "server" : "client",
  })

describe("deliveryError", () => {
  it("takes retryable from the code unless told", () => {
    for (const code of ["Throttled", "Unavailable", "InternalFailure", "Timeout", "Network"] as const)
      expect(deliveryError(code).retryable).toBe(true)
    for (const code of [
      "InvalidRequest",
      "PayloadTooLarge",
      "NotFound",
      "AccessDenied",
      "Unknown",
      "Closed",
      "Overflow",
    ] as const)
      expect(deliveryError(code).retryable).toBe(false)
    expect(deliveryError("InvalidRequest", { retryable: true }).retryable).toBe(true)
    expect(retryableByDefault.has("Throttled")).toBe(true)
  })

  it("has a message with the code, the raw code and message, and the outcome-unknown mark", () => {
    const e = deliveryError("Timeout", { rawCode: "TimeoutError", rawMessage: "slow", outcomeUnknown: true })
    expect(e.message).toBe("Timeout (TimeoutError: slow) [outcome unknown]")
    expect(deliveryError("RetryBudgetExhausted", { lastCode: "Throttled" }).message).toBe(
      "RetryBudgetExhausted (retry budget exhausted, last error Throttled)",
    )
  })

  it("with() copies and changes fields; isInstance works across copies", () => {
    const e = deliveryError("Throttled", { rawCode: "ThrottlingException", httpStatus: 400 })
    const e2 = e.with({ attempts: 3 })
    expect(e2.fields()).toEqual({
      code: "Throttled",
      retryable: true,
      rawCode: "ThrottlingException",
      httpStatus: 400,
      attempts: 3,
    })
    expect(DeliveryError.isInstance(e2)).toBe(true)
    expect(DeliveryError.isInstance({ code: "Throttled" })).toBe(false)
  })
})

describe("classifyError", () => {
  it("maps AWS SDK errors by throttling name, then HTTP status", () => {
    expect(classifyError(awsError("ThrottlingException", 400)).code).toBe("Throttled")
    expect(classifyError(awsError("TooManyRequestsException", 429)).code).toBe("Throttled")
    expect(classifyError(awsError("AccessDeniedException", 403)).code).toBe("AccessDenied")
    expect(classifyError(awsError("ResourceNotFoundException", 404)).code).toBe("NotFound")
    expect(classifyError(awsError("ServiceUnavailable", 503)).code).toBe("Unavailable")
    expect(classifyError(awsError("InternalException", 500)).code).toBe("InternalFailure")
    const v = classifyError(awsError("ValidationException", 400, "bad field"))
    expect(v.fields()).toEqual({
      code: "InvalidRequest",
      retryable: false,
      rawCode: "ValidationException",
      rawMessage: "bad field",
      httpStatus: 400,
    })
  })

  it("maps timeouts and aborts to Timeout with outcomeUnknown", () => {
    for (const name of ["TimeoutError", "AbortError", "RequestTimeout"]) {
      const e = classifyError(Object.assign(new Error("t"), { name }))
      expect([e.code, e.retryable, e.outcomeUnknown]).toEqual(["Timeout", true, true])
    }
  })

  it("maps socket errors to Network, unknown outcome only when the request may have left", () => {
    const refused = classifyError(Object.assign(new Error("x"), { code: "ECONNREFUSED" }))
    expect([refused.code, refused.outcomeUnknown]).toEqual(["Network", false])
    const reset = classifyError(
      new Error("fetch failed", { cause: Object.assign(new Error("r"), { code: "ECONNRESET" }) }),
    )
    expect([reset.code, reset.rawCode, reset.outcomeUnknown]).toEqual(["Network", "ECONNRESET", true])
    expect(classifyError(Object.assign(new Error("x"), { code: "ETIMEDOUT" })).code).toBe("Timeout")
  })

  it("passes DeliveryErrors through and makes anything else Unknown, not retryable", () => {
    const d = deliveryError("Throttled")
    expect(classifyError(d)).toBe(d)
    expect(classifyError("boom").fields()).toEqual({ code: "Unknown", retryable: false, rawMessage: "boom" })
    expect(classifyError(new RangeError("odd")).code).toBe("Unknown")
  })

  it("classifies bare HTTP statuses", () => {
    expect([429, 413, 404, 401, 403, 408, 504, 502, 503, 500, 400, 302].map(classifyHttpStatus)).toEqual([
      "Throttled",
      "PayloadTooLarge",
      "NotFound",
      "AccessDenied",
      "AccessDenied",
      "Timeout",
      "Timeout",
      "Unavailable",
      "Unavailable",
      "InternalFailure",
      "InvalidRequest",
      "Unknown",
    ])
  })
})

describe("credential errors", () => {
  it.each([...credentialErrorNames])(
    "%s is AccessDenied, not retryable, raw code kept, whatever the status",
    (name) => {
      for (const status of [400, 403]) {
        const error = classifyError(
          awsError(name, status, "The security token included in the request is invalid."),
        )
        expect(error).toMatchObject({
          code: "AccessDenied",
          retryable: false,
          rawCode: name,
          httpStatus: status,
        })
      }
      // The same when a service reports one per entry, through any adapter's table.
      expect(classifyByTable({}, name, "denied")).toMatchObject({
        code: "AccessDenied",
        retryable: false,
        rawCode: name,
      })
      expect(classifyRequestByTable({}, awsError(name, 400))).toMatchObject({
        code: "AccessDenied",
        retryable: false,
        rawCode: name,
      })
    },
  )

  it("lists exactly the seven names AWS uses for credentials it cannot accept", () => {
    expect([...credentialErrorNames].sort()).toEqual([
      "ExpiredTokenException",
      "IncompleteSignatureException",
      "InvalidClientTokenId",
      "InvalidSignatureException",
      "MissingAuthenticationTokenException",
      "SignatureDoesNotMatch",
      "UnrecognizedClientException",
    ])
  })
})
