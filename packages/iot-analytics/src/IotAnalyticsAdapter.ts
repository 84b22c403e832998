/**
 * `iotAnalytics(options)`: an adapter that sends events to IoT Analytics channels with BatchPutMessage.
 * messageId ← id (or a stable id derived from it), payload ← data as JSON; the channel comes from
 * options, per request (the batch key).
 */
import { BatchPutMessageCommand, IoTAnalyticsClient } from "@aws-sdk/client-iotanalytics"
import {
  type Adapter,
  adapterClient,
  checkConstantOptions,
  checkOneOf,
  checkOptionNames,
  checkPositiveOption,
  defineAdapter,
  sendWithDistinctKeys,
} from "@eventport/core"
import { checkChannelName, type EncodeOptions, encode, type IotAnalyticsEntry } from "./encode.ts"
import { classifyRequestError } from "./IotAnalyticsError.ts"
import {
  defaultFieldNameRule,
  defaultMaxEntryBytes,
  fieldNameRules,
  type IotAnalyticsOptions,
  iotAnalyticsOptionNames,
} from "./IotAnalyticsOptions.ts"
import { readBatchPutMessageResults } from "./internal/BatchPutMessageResults.ts"
import { maxMessagesPerRequest } from "./limits.ts"

const factory = "iotAnalytics"

/** Makes an IoT Analytics adapter. Throws for invalid constant options, checked here once. */
export const iotAnalytics = (options: IotAnalyticsOptions): Adapter<IotAnalyticsEntry> => {
  checkOptionNames(factory, options, iotAnalyticsOptionNames)
  checkPositiveOption(factory, "maxEntryBytes", options.maxEntryBytes)
  checkPositiveOption(factory, "maxMessageBytes", options.maxMessageBytes)
  // channelName is required: a constant is checked here, absent included.
  checkConstantOptions(factory, [
    typeof options.channelName === "function" ? undefined : checkChannelName(options.channelName),
    checkOneOf("fieldNameRule", options.fieldNameRule, fieldNameRules),
  ])
  const { client, close, sendOptions } = adapterClient(
    factory,
    options,
    (config) => new IoTAnalyticsClient(config),
  )
  const maxEntryBytes = options.maxEntryBytes ?? options.maxMessageBytes ?? defaultMaxEntryBytes
  const encodeOptions: EncodeOptions = {
    channelName: options.channelName,
    fieldNameRule: options.fieldNameRule ?? defaultFieldNameRule,
    ...(options.payload === undefined ? {} : { payload: options.payload }),
  }

  return defineAdapter<IotAnalyticsEntry>({
    kind: "iot-analytics",
    limits: {
      maxEntries: maxMessagesPerRequest,
      // No request-size limit is documented; only the per-message one.
      maxRequestBytes: Number.POSITIVE_INFINITY,
      maxEntryBytes,
    },
    encode: (event) => encode(event, encodeOptions),
    // A messageId must be unique within a request (the model's `messages` doc).
    send: (batch, { signal }) =>
      sendWithDistinctKeys(
        batch.entries,
        (entry) => entry.messageId,
        "messageId",
        async (entries) => {
          const first = entries[0]
          if (first === undefined) return []
          const command = new BatchPutMessageCommand({
            channelName: batch.batchKey ?? first.channelName,
            messages: entries.map((entry) => ({ messageId: entry.messageId, payload: entry.payload })),
          })
          const response = await client.send(command, sendOptions(command, signal))
          return readBatchPutMessageResults(
            entries.map((entry) => entry.messageId),
            response,
          )
        },
      ),
    classifyError: classifyRequestError,
    close,
  })
}
