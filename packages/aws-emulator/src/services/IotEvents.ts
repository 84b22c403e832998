import { batchPutMessageBatch, checkBatchPutMessage } from "../internal/BatchPutMessage.ts"
import {
  type BatchItem,
  isRecord,
  requestError,
  type ServiceHandler,
  serviceModel,
} from "../internal/ServiceHandler.ts"
import model from "../models/iotevents-data-2018-10-23.BatchPutMessage.json" with { type: "json" }
import type { IotEventsMessage } from "../Store.ts"

const { traits, validator } = serviceModel("iotevents", model)

/** Documented in the BatchPutMessage API reference; the model has no max. */
export const maxIotEventsMessages = 10

export const iotEventsHandler: ServiceHandler<"iotevents"> = {
  traits,
  prepare(request, limits) {
    const checked = checkBatchPutMessage(traits, validator, request, maxIotEventsMessages)
    if (!checked.ok) return checked
    const { messages } = checked
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
    return batchPutMessageBatch(items, "BatchPutMessageErrorEntries")
  },
}
