/**
 * `iotEvents(options)`: an adapter that sends events to IoT Events inputs with BatchPutMessage.
 * messageId ← id (or a stable id derived from it), payload ← data as JSON, timestamp ← time; the
 * input comes from options, per message.
 */
import { BatchPutMessageCommand, IoTEventsDataClient, type Message } from "@aws-sdk/client-iot-events-data"
import {
  type Adapter,
  adapterClient,
  checkPositiveOption,
  defineAdapter,
  deliveryError,
  type EntryResult,
  entryFailed,
  invalidOption,
} from "@eventport/core"
import { encode, inputNameViolation } from "./encode.ts"
import { classifyRequestError } from "./IotEventsError.ts"
import { defaultMaxRequestBytes, type IotEventsOptions } from "./IotEventsOptions.ts"
import { readBatchPutMessageResults } from "./internal/BatchPutMessageResults.ts"
import { maxMessagesPerRequest } from "./limits.ts"

const factory = "iotEvents"

/** Bad constant options are the caller's bug: reported once, at construction. */
const checkConstantOptions = (options: IotEventsOptions): void => {
  checkPositiveOption(factory, "maxRequestBytes", options.maxRequestBytes)
  checkPositiveOption(factory, "maxEntryBytes", options.maxEntryBytes)
  if (typeof options.inputName !== "function") {
    const bad = inputNameViolation(options.inputName)
    if (bad !== undefined) throw invalidOption(factory, bad)
  }
}

/**
 * A messageId must be unique within a request, or the service refuses the whole request. Two events
 * with the same id in one batch: the first is sent, the others fail retryably and go in a later request.
 */
const duplicateMessage = (messageId: string): EntryResult =>
  entryFailed(
    deliveryError("InvalidRequest", {
      retryable: true,
      rawCode: "DuplicateMessageId",
      rawMessage: `messageId ${messageId} is already in this request; resend it in another one`,
    }),
  )

/** Makes an IoT Events adapter. Throws for invalid constant options. */
export const iotEvents = (options: IotEventsOptions): Adapter<Message> => {
  checkConstantOptions(options)
  const { client, close } = adapterClient(factory, options, (config) => new IoTEventsDataClient(config))
  const maxRequestBytes = options.maxRequestBytes ?? defaultMaxRequestBytes
  const maxEntryBytes = options.maxEntryBytes ?? maxRequestBytes

  return defineAdapter<Message>({
    kind: "iot-events",
    limits: { maxEntries: maxMessagesPerRequest, maxRequestBytes, maxEntryBytes },
    encode: (event) => encode(event, options),
    send: async (batch, { signal }) => {
      const results: Array<EntryResult | undefined> = []
      const sent: Array<Message> = []
      const seen = new Set<string>()
      for (const message of batch.entries) {
        const id = message.messageId!
        if (seen.has(id)) results.push(duplicateMessage(id))
        else {
          seen.add(id)
          sent.push(message)
          results.push(undefined)
        }
      }
      const response = await client.send(new BatchPutMessageCommand({ messages: sent }), {
        abortSignal: signal,
      })
      const sentResults = readBatchPutMessageResults(
        sent.map((m) => m.messageId!),
        response,
      )
      let next = 0
      return results.map((result) => result ?? sentResults[next++]!)
    },
    classifyError: classifyRequestError,
    close,
  })
}
