import { type BotocoreModel, describeViolations, ModelValidator } from "../internal/modelValidation.ts"
import {
  type BatchItem,
  duplicateIds,
  isRecord,
  parseJsonBody,
  requestError,
  type ServiceHandler,
} from "../internal/ServiceHandler.ts"
import model from "../models/iotevents-data-2018-10-23.BatchPutMessage.json" with { type: "json" }
import { serviceTraits } from "../Service.ts"
import type { IotEventsMessage } from "../Store.ts"

const traits = serviceTraits.iotevents
const validator = new ModelValidator(model as BotocoreModel)

/** Documented in the BatchPutMessage API reference; the model has no max. */
export const maxIotEventsMessages = 10

export const iotEventsHandler: ServiceHandler<"iotevents"> = {
  traits,
  prepare(request, limits) {
    const input = parseJsonBody(request.body)
    if (!isRecord(input)) return requestError(traits, "Could not parse the request body as JSON.")
    const violations = validator.validate("BatchPutMessageRequest", input)
    if (violations.length > 0) return requestError(traits, describeViolations(violations))
    const messages = input.messages as Readonly<Record<string, unknown>>[]
    if (messages.length > maxIotEventsMessages) {
      return requestError(
        traits,
        `A batch can contain at most ${maxIotEventsMessages} messages; got ${messages.length}.`,
      )
    }
    const duplicates = duplicateIds(messages.map((m) => m.messageId as string))
    if (duplicates.length > 0) {
      return requestError(
        traits,
        `messageId must be unique within a batch; repeated: ${duplicates.join(", ")}`,
      )
    }
    // The transport base64 is removed here; the payload is stored as the bytes the caller meant.
    const payloads = messages.map((m) => Buffer.from(m.payload as string, "base64"))
    const max = limits.iotEventsMaxBatchPayloadBytes
    if (max !== undefined) {
      const total = payloads.reduce((sum, p) => sum + p.length, 0)
      if (total > max)
        return requestError(traits, `The payloads of a batch may total at most ${max} bytes; got ${total}.`)
    }
    const items: BatchItem<IotEventsMessage>[] = messages.map((message, i) => {
      const payload = payloads[i]!
      const payloadText = payload.toString("utf8")
      const inputName = message.inputName as string
      const messageId = message.messageId as string
      const timestamp = message.timestamp
      const timeInMillis = isRecord(timestamp) ? (timestamp.timeInMillis as number | undefined) : undefined
      return {
        view: {
          service: "iotevents",
          target: inputName,
          id: messageId,
          fields: { ...message, payload: payloadText },
        },
        accepted: {
          target: inputName,
          requestId: request.requestId,
          receivedAt: request.receivedAt,
          inputName,
          messageId,
          payload,
          payloadText,
          ...(timeInMillis === undefined ? {} : { timeInMillis }),
        },
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
          return { status: 200, body: { BatchPutMessageErrorEntries: errorEntries } }
        },
      },
    }
  },
}
