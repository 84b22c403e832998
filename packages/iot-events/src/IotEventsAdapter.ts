/**
 * `iotEvents(options)`: an adapter that sends events to IoT Events inputs with BatchPutMessage.
 * messageId ← id (or a stable id derived from it), payload ← data as JSON, timestamp ← time; the
 * input comes from options, per message.
 */
import { BatchPutMessageCommand, IoTEventsDataClient, type Message } from "@aws-sdk/client-iot-events-data"
import {
  type Adapter,
  adapterClient,
  checkConstantOptions,
  checkOptionNames,
  checkPositiveOption,
  defineAdapter,
  sendWithDistinctKeys,
} from "@eventport/core"
import { checkInputName, encode } from "./encode.ts"
import { classifyRequestError } from "./IotEventsError.ts"
import { defaultMaxRequestBytes, type IotEventsOptions, iotEventsOptionNames } from "./IotEventsOptions.ts"
import { readBatchPutMessageResults } from "./internal/BatchPutMessageResults.ts"
import { maxMessagesPerRequest } from "./limits.ts"

const factory = "iotEvents"

/** Makes an IoT Events adapter. Throws for invalid constant options, checked here once. */
export const iotEvents = (options: IotEventsOptions): Adapter<Message> => {
  checkOptionNames(factory, options, iotEventsOptionNames)
  checkPositiveOption(factory, "maxRequestBytes", options.maxRequestBytes)
  checkPositiveOption(factory, "maxEntryBytes", options.maxEntryBytes)
  // inputName is required: a constant is checked here, absent included.
  checkConstantOptions(factory, [
    typeof options.inputName === "function" ? undefined : checkInputName(options.inputName),
  ])
  const { client, close, sendOptions } = adapterClient(
    factory,
    options,
    (config) => new IoTEventsDataClient(config),
  )
  const maxRequestBytes = options.maxRequestBytes ?? defaultMaxRequestBytes
  const maxEntryBytes = options.maxEntryBytes ?? maxRequestBytes

  return defineAdapter<Message>({
    kind: "iot-events",
    limits: { maxEntries: maxMessagesPerRequest, maxRequestBytes, maxEntryBytes },
    encode: (event) => encode(event, options),
    // A messageId must be unique within a request, or the service refuses the whole request.
    send: (batch, { signal }) =>
      sendWithDistinctKeys(
        batch.entries,
        (message) => message.messageId!,
        "messageId",
        async (messages) => {
          const command = new BatchPutMessageCommand({ messages: [...messages] })
          return readBatchPutMessageResults(
            messages.map((m) => m.messageId!),
            await client.send(command, sendOptions(command, signal)),
          )
        },
      ),
    classifyError: classifyRequestError,
    close,
  })
}
