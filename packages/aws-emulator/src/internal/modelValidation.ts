/**
 * Validates a parsed request against a botocore model (the JSON files in ../models), the way the
 * services report model-constraint failures: "Value '…' at 'path' failed to satisfy constraint: …".
 */

export interface MemberReference {
  readonly shape: string
  readonly location?: string
  readonly locationName?: string
}

export interface ShapeDefinition {
  readonly type: string
  readonly members?: Readonly<Record<string, MemberReference>>
  readonly required?: readonly string[]
  readonly member?: MemberReference
  readonly key?: MemberReference
  readonly value?: MemberReference
  readonly min?: number
  readonly max?: number
  readonly pattern?: string
  readonly enum?: readonly string[]
}

export interface BotocoreModel {
  readonly metadata: Readonly<Record<string, unknown>>
  readonly shapes: Readonly<Record<string, ShapeDefinition>>
}

export interface ConstraintViolation {
  readonly path: string
  readonly message: string
}

const patternCache = new Map<string, RegExp>()

/**
 * botocore leaves some patterns unanchored where the Smithy model anchors them (e.g. EventBridge's `NonPartnerEventBusNameOrArn`), and an
 * unanchored search accepts nearly anything; the services match the whole value, so every pattern is
 * anchored here. `\p{ASCII}` needs the `u` flag.
 */
export const compilePattern = (pattern: string): RegExp => {
  let compiled = patternCache.get(pattern)
  if (compiled === undefined) {
    compiled = new RegExp(`^(?:${pattern})$`, "u")
    patternCache.set(pattern, compiled)
  }
  return compiled
}

const base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

export const isBase64 = (value: string): boolean => value.length % 4 === 0 && base64Pattern.test(value)

/** Bytes a valid base64 string decodes to. */
export const base64DecodedLength = (value: string): number =>
  (value.length / 4) * 3 - (value.endsWith("==") ? 2 : value.endsWith("=") ? 1 : 0)

/** Length in Unicode code points, as the model's `min`/`max` count characters. */
const codePointLength = (value: string): number => {
  let count = 0
  for (const _ of value) count++
  return count
}

const renderValue = (value: unknown): string => {
  if (typeof value === "string") return value.length > 100 ? `${value.slice(0, 100)}…` : value
  if (Array.isArray(value)) return "[…]"
  if (typeof value === "object" && value !== null) return "{…}"
  return String(value)
}

const lowerFirst = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1)

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

export interface ModelValidatorOptions {
  /** Shapes not descended into, because the caller validates each one separately (e.g. per event). */
  readonly defer?: ReadonlySet<string>
}

export class ModelValidator {
  readonly #shapes: Readonly<Record<string, ShapeDefinition>>
  readonly #defer: ReadonlySet<string>

  constructor(model: BotocoreModel, options: ModelValidatorOptions = {}) {
    this.#shapes = model.shapes
    this.#defer = options.defer ?? new Set()
  }

  /** All violations of `value` against shape `shapeName`; an empty array means valid. */
  validate(shapeName: string, value: unknown, path = ""): ConstraintViolation[] {
    const violations: ConstraintViolation[] = []
    this.#check(shapeName, value, path, violations, true)
    return violations
  }

  #shape(name: string): ShapeDefinition {
    const shape = this.#shapes[name]
    if (shape === undefined) throw new Error(`model has no shape ${name}`)
    return shape
  }

  #check(
    shapeName: string,
    value: unknown,
    path: string,
    out: ConstraintViolation[],
    root = false,
  ): undefined {
    if (!root && this.#defer.has(shapeName)) return
    const shape = this.#shape(shapeName)
    const fail = (constraint: string): undefined => {
      out.push({
        path,
        message: `Value '${renderValue(value)}' at '${path}' failed to satisfy constraint: ${constraint}`,
      })
    }
    if (value === null) {
      out.push({
        path,
        message: `Value null at '${path}' failed to satisfy constraint: Member must not be null`,
      })
      return
    }
    switch (shape.type) {
      case "structure": {
        if (!isRecord(value)) return fail("Member must be a structure")
        for (const required of shape.required ?? []) {
          if (value[required] === undefined || value[required] === null) {
            const memberPath = path === "" ? lowerFirst(required) : `${path}.${lowerFirst(required)}`
            out.push({
              path: memberPath,
              message: `Value null at '${memberPath}' failed to satisfy constraint: Member must not be null`,
            })
          }
        }
        for (const [name, member] of Object.entries(shape.members ?? {})) {
          const memberValue = value[name]
          if (memberValue === undefined || memberValue === null) continue
          this.#check(
            member.shape,
            memberValue,
            path === "" ? lowerFirst(name) : `${path}.${lowerFirst(name)}`,
            out,
          )
        }
        return
      }
      case "list": {
        if (!Array.isArray(value)) return fail("Member must be a list")
        this.#checkSize(shape, value.length, fail)
        const member = shape.member
        if (member === undefined) return
        for (let i = 0; i < value.length; i++)
          this.#check(member.shape, value[i], `${path}.${i + 1}.member`, out)
        return
      }
      case "map": {
        if (!isRecord(value)) return fail("Member must be a map")
        const keys = Object.keys(value)
        this.#checkSize(shape, keys.length, fail)
        for (const key of keys) {
          if (shape.key !== undefined) this.#check(shape.key.shape, key, `${path}.${key}.key`, out)
          if (shape.value !== undefined)
            this.#check(shape.value.shape, value[key], `${path}.${key}.value`, out)
        }
        return
      }
      case "string": {
        if (typeof value !== "string") return fail("Member must be a string")
        if (shape.max !== undefined && value.length > shape.max && codePointLength(value) > shape.max) {
          fail(`Member must have length less than or equal to ${shape.max}`)
        }
        if (shape.min !== undefined && value.length < shape.min) {
          fail(`Member must have length greater than or equal to ${shape.min}`)
        }
        if (shape.enum !== undefined && !shape.enum.includes(value)) {
          fail(`Member must satisfy enum value set: [${shape.enum.join(", ")}]`)
        }
        if (shape.pattern !== undefined && !compilePattern(shape.pattern).test(value)) {
          fail(`Member must satisfy regular expression pattern: ${shape.pattern}`)
        }
        return
      }
      case "integer":
      case "long": {
        if (typeof value !== "number" || !Number.isInteger(value)) return fail("Member must be an integer")
        if (shape.min !== undefined && value < shape.min) {
          fail(`Member must have value greater than or equal to ${shape.min}`)
        }
        if (shape.max !== undefined && value > shape.max)
          fail(`Member must have value less than or equal to ${shape.max}`)
        return
      }
      case "double":
      case "float":
        if (typeof value !== "number") fail("Member must be a number")
        return
      case "boolean":
        if (typeof value !== "boolean") fail("Member must be a boolean")
        return
      case "timestamp":
        // awsJson sends epoch seconds; an ISO string is accepted too, as restJson would send one.
        if (typeof value === "number" ? !Number.isFinite(value) : typeof value !== "string") {
          fail("Member must be a timestamp")
        }
        return
      case "blob":
        if (typeof value !== "string" || !isBase64(value)) return fail("Member must be a base64-encoded blob")
        // Blob lengths count the decoded bytes (Kinesis and Firehose `Data` have a modelled max).
        this.#checkSize(shape, base64DecodedLength(value), fail)
        return
      default:
        return
    }
  }

  #checkSize(shape: ShapeDefinition, size: number, fail: (constraint: string) => void): void {
    if (shape.max !== undefined && size > shape.max)
      fail(`Member must have length less than or equal to ${shape.max}`)
    if (shape.min !== undefined && size < shape.min)
      fail(`Member must have length greater than or equal to ${shape.min}`)
  }
}

/** The message AWS puts on a model-validation error. */
export const describeViolations = (violations: readonly ConstraintViolation[]): string => {
  const shown = violations.slice(0, 10).map((v) => v.message)
  const noun = violations.length === 1 ? "error" : "errors"
  return `${violations.length} validation ${noun} detected: ${shown.join("; ")}`
}
