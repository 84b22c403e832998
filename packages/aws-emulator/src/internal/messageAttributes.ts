/**
 * Message attributes as SQS and SNS check, size and digest them. Sources: the SQS developer guide,
 * "Message metadata for Amazon SQS" (name rules, data types, the MD5 digest of attributes, every part
 * counted in the message size), https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html ;
 * and the SNS developer guide, "Amazon SNS message attributes" (the same name rules; String,
 * String.Array, Number, Binary), https://docs.aws.amazon.com/sns/latest/dg/sns-message-attributes.html .
 */
import { createHash } from "node:crypto"
import type { StoredMessageAttribute } from "../Store.ts"
import { isRecord } from "./ServiceHandler.ts"

/** "Each message can have up to 10 attributes" (both guides). */
export const maxMessageAttributes = 10
export const maxAttributeNameLength = 256
export const maxDataTypeLength = 256

/**
 * The characters SQS accepts in a message body and in String attribute values (SendMessage API
 * reference): #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF.
 */
export const allowedMessageCharacters = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u

const attributeNamePattern = /^[A-Za-z0-9_.-]+$/

/** Why an attribute name is refused, or undefined. */
export const attributeNameViolation = (name: string): string | undefined => {
  if (name.length === 0 || name.length > maxAttributeNameLength)
    return `must be 1 to ${maxAttributeNameLength} characters`
  if (!attributeNamePattern.test(name)) return "may contain only A-Z, a-z, 0-9, '_', '-' and '.'"
  if (/^(aws|amazon)\./i.test(name)) return "must not start with the reserved prefixes AWS. or Amazon."
  if (name.startsWith(".") || name.endsWith(".") || name.includes(".."))
    return "must not start or end with a period, nor have periods in a row"
  return undefined
}

const numberPattern = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/

export interface CheckedAttributes {
  readonly attributes: Readonly<Record<string, StoredMessageAttribute>>
  /** Name, data type and value bytes of every attribute: what counts toward the message size. */
  readonly bytes: number
}

/**
 * Checks a (model-valid) attribute map: names, data types (SQS: String, Number, Binary, each with an
 * optional `.label`; SNS also String.Array), a value of the type's kind, allowed characters.
 */
export const checkMessageAttributes = (
  value: unknown,
  service: "sqs" | "sns",
): CheckedAttributes | { readonly violation: string } => {
  if (value === undefined) return { attributes: {}, bytes: 0 }
  if (!isRecord(value)) return { violation: "MessageAttributes must be a map." }
  const names = Object.keys(value)
  if (names.length > maxMessageAttributes)
    return {
      violation: `Number of message attributes [${names.length}] exceeds the allowed maximum [${maxMessageAttributes}].`,
    }
  const attributes: Record<string, StoredMessageAttribute> = Object.create(null)
  let bytes = 0
  for (const name of names) {
    const bad = attributeNameViolation(name)
    if (bad !== undefined) return { violation: `Message attribute name is invalid: it ${bad}.` }
    const attribute = value[name] as Record<string, unknown>
    const dataType = attribute.DataType as string
    const base = dataType.split(".", 1)[0]!
    const label = dataType.slice(base.length)
    const arrayType = service === "sns" && dataType === "String.Array"
    if (dataType.length > maxDataTypeLength || !(arrayType || ["String", "Number", "Binary"].includes(base)))
      return { violation: `Message attribute '${name}' has an invalid data type.` }
    if (service === "sns" && label !== "" && !arrayType)
      return { violation: `Message attribute '${name}' has an invalid data type.` }
    const stringValue = attribute.StringValue
    const binaryValue = attribute.BinaryValue
    let valueBytes: number
    if (base === "Binary") {
      if (typeof binaryValue !== "string" || stringValue !== undefined)
        return { violation: `Message attribute '${name}' of type Binary must have a BinaryValue only.` }
      const decoded = Buffer.from(binaryValue, "base64")
      if (decoded.length === 0) return { violation: `Message attribute '${name}' must not be empty.` }
      attributes[name] = { dataType, binaryValue: new Uint8Array(decoded) }
      valueBytes = decoded.length
    } else {
      if (typeof stringValue !== "string" || binaryValue !== undefined)
        return { violation: `Message attribute '${name}' of type ${base} must have a StringValue only.` }
      if (stringValue.length === 0) return { violation: `Message attribute '${name}' must not be empty.` }
      if (!allowedMessageCharacters.test(stringValue))
        return { violation: `Message attribute '${name}' contains characters outside the allowed set.` }
      if (base === "Number" && !arrayType && !numberPattern.test(stringValue))
        return { violation: `Message attribute '${name}' of type Number is not a number.` }
      if (arrayType && !isJsonArray(stringValue))
        return { violation: `Message attribute '${name}' of type String.Array is not a JSON array.` }
      attributes[name] = { dataType, stringValue }
      valueBytes = Buffer.byteLength(stringValue, "utf8")
    }
    bytes += Buffer.byteLength(name, "utf8") + Buffer.byteLength(dataType, "utf8") + valueBytes
  }
  return { attributes, bytes }
}

const isJsonArray = (text: string): boolean => {
  try {
    return Array.isArray(JSON.parse(text))
  } catch {
    return false
  }
}

const lengthPrefixed = (bytes: Uint8Array): Buffer[] => {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(bytes.length)
  return [length, Buffer.from(bytes)]
}

/**
 * MD5 of message attributes (SQS developer guide, "Calculating the MD5 message digest for message
 * attributes"): attributes sorted by name; for each, the length-prefixed (4 bytes, big-endian) UTF-8
 * name and data type, one transport byte (1 for String and Number, 2 for Binary), then the
 * length-prefixed value bytes.
 */
export const md5OfMessageAttributes = (
  attributes: Readonly<Record<string, StoredMessageAttribute>>,
): string => {
  const hash = createHash("md5")
  for (const name of Object.keys(attributes).sort()) {
    const attribute = attributes[name]!
    for (const part of lengthPrefixed(Buffer.from(name, "utf8"))) hash.update(part)
    for (const part of lengthPrefixed(Buffer.from(attribute.dataType, "utf8"))) hash.update(part)
    if (attribute.binaryValue !== undefined) {
      hash.update(Buffer.from([2]))
      for (const part of lengthPrefixed(attribute.binaryValue)) hash.update(part)
    } else {
      hash.update(Buffer.from([1]))
      for (const part of lengthPrefixed(Buffer.from(attribute.stringValue ?? "", "utf8"))) hash.update(part)
    }
  }
  return hash.digest("hex")
}

export const md5Hex = (text: string): string => createHash("md5").update(text, "utf8").digest("hex")

/**
 * FIFO `MessageDeduplicationId` and `MessageGroupId`: up to 128 characters, alphanumeric and
 * punctuation (!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~), per the SendMessageBatchRequestEntry and
 * PublishBatchRequestEntry member docs.
 */
export const fifoIdPattern = /^[A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]{1,128}$/

/** Batch entry `Id`: "up to 80 characters … alphanumeric characters, hyphens (-), and underscores (_)". */
export const batchEntryIdPattern = /^[A-Za-z0-9_-]{1,80}$/
