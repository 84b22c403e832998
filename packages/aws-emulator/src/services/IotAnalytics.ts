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
 * The prose rule for payload field names: alphanumerics and `_` only, starting with a letter or a
 * single `_`, at most 255 characters, case-insensitive. The documented regex contradicts the prose,
 * so the prose wins. Source: the `messages` member documentation of `BatchPutMessageRequest` in
 * botocore `botocore/data/iotanalytics/2017-11-27/service-2.json` at
 * cb07fe673070c453ece194edabe4511db47ccaeb (the last version before the client's removal).
 */
const fieldNamePattern = /^(?!__)[A-Za-z_][A-Za-z0-9_]*$/

/** Where a node sits in a payload: its parent's place and its own key or index. */
interface Place {
  readonly parent: Place | undefined
  readonly step: string | number
}

/** `a.b[2].c`, spelled only for a violation (a deep payload would make every path long). */
const spell = (place: Place | undefined, key?: string): string => {
  const steps: Array<string | number> = key === undefined ? [] : [key]
  for (let p = place; p !== undefined; p = p.parent) steps.push(p.step)
  let text = ""
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i]!
    text += typeof step === "number" ? `[${step}]` : text === "" ? step : `.${step}`
  }
  return text.length > 200 ? `${text.slice(0, 100)}…${text.slice(-100)}` : text
}

/**
 * The first field-name rule a JSON payload breaks, looking into nested objects and arrays (an
 * object's own keys are checked before its children). It walks an explicit stack, so a payload
 * nested thousands of levels deep gets a verdict instead of a stack overflow (which the server
 * would answer as a 500 that the client then retries).
 */
export const fieldNameViolation = (value: unknown): string | undefined => {
  const stack: Array<readonly [unknown, Place | undefined]> = [[value, undefined]]
  while (stack.length > 0) {
    const [node, place] = stack.pop()!
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push([node[i], { parent: place, step: i }])
      continue
    }
    if (!isRecord(node)) continue
    const seen = new Map<string, string>()
    const keys = Object.keys(node)
    for (const key of keys) {
      if (key.length > maxFieldNameLength)
        return `Field name ${spell(place, key).slice(0, 80)}… is longer than ${maxFieldNameLength} characters.`
      if (!fieldNamePattern.test(key)) {
        return `Field name '${spell(place, key)}' is invalid: use only letters, digits and '_', beginning with a letter or a single '_'.`
      }
      const folded = key.toLowerCase()
      const previous = seen.get(folded)
      if (previous !== undefined)
        return `Field names '${previous}' and '${key}' are duplicates (names are case-insensitive).`
      seen.set(folded, key)
    }
    for (let i = keys.length - 1; i >= 0; i--) stack.push([node[keys[i]!], { parent: place, step: keys[i]! }])
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
