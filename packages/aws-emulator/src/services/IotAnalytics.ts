import { batchPutMessageBatch, checkBatchPutMessage } from "../internal/BatchPutMessage.ts"
import {
  type BatchItem,
  type EntryFailure,
  isRecord,
  type ServiceHandler,
  serviceModel,
} from "../internal/ServiceHandler.ts"
import model from "../models/iotanalytics-2017-11-27.BatchPutMessage.json" with { type: "json" }
import type { IotAnalyticsMessage } from "../Store.ts"

const { traits, validator } = serviceModel("iotanalytics", model)

/** Shown only through the IoT rule action's batch limit; the model has no max. */
export const maxIotAnalyticsMessages = 100
export const maxFieldNameLength = 255

/**
 * The prose rule for payload field names (the `messages` doc in botocore's iotanalytics model): alphanumerics and `_` only, starting
 * with a letter or a single `_`. The documented regex contradicts the prose, so the prose wins.
 */
const fieldNamePattern = /^(?!__)[A-Za-z_][A-Za-z0-9_]*$/

/** The first field-name rule a JSON payload breaks, looking into nested objects and arrays. */
export const fieldNameViolation = (value: unknown, path = ""): string | undefined => {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = fieldNameViolation(value[i], `${path}[${i}]`)
      if (found !== undefined) return found
    }
    return undefined
  }
  if (!isRecord(value)) return undefined
  const seen = new Map<string, string>()
  for (const [key, child] of Object.entries(value)) {
    const where = path === "" ? key : `${path}.${key}`
    if (key.length > maxFieldNameLength)
      return `Field name ${where.slice(0, 80)}… is longer than ${maxFieldNameLength} characters.`
    if (!fieldNamePattern.test(key)) {
      return `Field name '${where}' is invalid: use only letters, digits and '_', beginning with a letter or a single '_'.`
    }
    const folded = key.toLowerCase()
    const previous = seen.get(folded)
    if (previous !== undefined)
      return `Field names '${previous}' and '${key}' are duplicates (names are case-insensitive).`
    seen.set(folded, key)
    const found = fieldNameViolation(child, where)
    if (found !== undefined) return found
  }
  return undefined
}

/** Only JSON-object payloads have field names; other payloads (binary, base64 text) are stored as sent. */
const payloadRejection = (payloadText: string): EntryFailure | undefined => {
  if (!payloadText.trimStart().startsWith("{")) return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(payloadText)
  } catch {
    return undefined
  }
  const violation = fieldNameViolation(parsed)
  return violation === undefined
    ? undefined
    : { code: "InvalidRequestException", message: violation, statusCode: 400 }
}

export const iotAnalyticsHandler: ServiceHandler<"iotanalytics"> = {
  traits,
  prepare(request) {
    const checked = checkBatchPutMessage(traits, validator, request, maxIotAnalyticsMessages)
    if (!checked.ok) return checked
    const { input, messages } = checked
    const channelName = input.channelName as string
    const items: BatchItem<IotAnalyticsMessage>[] = messages.map((message) => {
      const payload = Buffer.from(message.payload as string, "base64")
      const payloadText = payload.toString("utf8")
      const messageId = message.messageId as string
      const rejection = payloadRejection(payloadText)
      return {
        view: {
          service: "iotanalytics",
          target: channelName,
          id: messageId,
          fields: { ...message, payload: payloadText },
        },
        accepted: {
          target: channelName,
          requestId: request.requestId,
          receivedAt: request.receivedAt,
          channelName,
          messageId,
          payload,
          payloadText,
        },
        ...(rejection === undefined ? {} : { rejection }),
      }
    })
    return batchPutMessageBatch(items, "batchPutMessageErrorEntries")
  },
}
