import { type BotocoreModel, describeViolations, ModelValidator } from "../internal/modelValidation.ts"
import {
  type BatchItem,
  duplicateIds,
  type EntryFailure,
  isRecord,
  parseJsonBody,
  requestError,
  type ServiceHandler,
} from "../internal/ServiceHandler.ts"
import model from "../models/iotanalytics-2017-11-27.BatchPutMessage.json" with { type: "json" }
import { serviceTraits } from "../Service.ts"
import type { IotAnalyticsMessage } from "../Store.ts"

const traits = serviceTraits.iotanalytics
const validator = new ModelValidator(model as BotocoreModel)

/** Shown only through the IoT rule action's batch limit; the model has no max. */
export const maxIotAnalyticsMessages = 100
export const maxFieldNameLength = 255

/**
 * The prose rule for payload field names (FACTS §3.2/§3.5): alphanumerics and `_` only, starting
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
    const input = parseJsonBody(request.body)
    if (!isRecord(input)) return requestError(traits, "Could not parse the request body as JSON.")
    const violations = validator.validate("BatchPutMessageRequest", input)
    if (violations.length > 0) return requestError(traits, describeViolations(violations))
    const messages = input.messages as Readonly<Record<string, unknown>>[]
    if (messages.length > maxIotAnalyticsMessages) {
      return requestError(
        traits,
        `A batch can contain at most ${maxIotAnalyticsMessages} messages; got ${messages.length}.`,
      )
    }
    const duplicates = duplicateIds(messages.map((m) => m.messageId as string))
    if (duplicates.length > 0) {
      return requestError(
        traits,
        `messageId must be unique within a batch; repeated: ${duplicates.join(", ")}`,
      )
    }
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
    return {
      ok: true,
      batch: {
        items,
        render(failures) {
          const errorEntries = items.flatMap((item, i) => {
            const failure = failures[i]
            return failure === undefined
              ? []
              : [{ messageId: item.view.id, errorCode: failure.code, errorMessage: failure.message }]
          })
          return { status: 200, body: { batchPutMessageErrorEntries: errorEntries } }
        },
      },
    }
  },
}
