import { describe, expect, it } from "vitest"
import {
  compilePattern,
  describeViolations,
  isBase64,
  ModelValidator,
} from "../src/internal/modelValidation.ts"
import model from "../src/models/iotanalytics-2017-11-27.BatchPutMessage.json" with { type: "json" }

describe("model validation", () => {
  it("anchors botocore patterns as full matches and uses the u flag for \\p{ASCII}", () => {
    const ascii = compilePattern("\\p{ASCII}*")
    expect(ascii.test("plain ascii")).toBe(true)
    expect(ascii.test("é")).toBe(false)
    const bus = compilePattern(
      "(arn:aws[\\w-]*:events:[a-z]+-[a-z]+-[\\w-]+:[0-9]{12}:event-bus\\/)?[\\.\\-_A-Za-z0-9]+",
    )
    expect(bus.test("orders")).toBe(true)
    // Unanchored, this would match the "orders" inside it.
    expect(bus.test("orders bus!")).toBe(false)
  })

  it("reports violations in AWS's wording with paths", () => {
    const validator = new ModelValidator(model)
    const violations = validator.validate("BatchPutMessageRequest", {
      channelName: "",
      messages: [{ messageId: "m" }],
    })
    expect(violations.map((v) => v.path)).toEqual(["channelName", "channelName", "messages.1.member.payload"])
    expect(describeViolations(violations)).toMatch(
      /^3 validation errors detected: Value '' at 'channelName' failed to satisfy constraint: Member must have length greater than or equal to 1/,
    )
  })

  it("checks blobs are base64", () => {
    expect(isBase64("eyJ4IjoxfQ==")).toBe(true)
    expect(isBase64('{"x":1}')).toBe(false)
  })
})
