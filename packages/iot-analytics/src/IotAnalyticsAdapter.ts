/**
 * `iotAnalytics(options)`: an adapter that sends events to IoT Analytics channels with BatchPutMessage.
 * messageId ← id (or a stable id derived from it), payload ← data as JSON; the channel comes from
 * options, per request (the batch key).
 */
import { BatchPutMessageCommand, IoTAnalyticsClient } from "@aws-sdk/client-iotanalytics"
import {
  type Adapter,
  adapterClient,
  checkPositiveOption,
  defineAdapter,
  invalidOption,
} from "@eventport/core"
import { checkChannelName, encode, type IotAnalyticsEntry } from "./encode.ts"
import { classifyRequestError } from "./IotAnalyticsError.ts"
import { defaultMaxMessageBytes, type IotAnalyticsOptions } from "./IotAnalyticsOptions.ts"
import { readBatchPutMessageResults } from "./internal/BatchPutMessageResults.ts"
import { maxMessagesPerRequest } from "./limits.ts"

const factory = "iotAnalytics"

/** Bad constant options are the caller's bug: reported once, at construction. */
const checkConstantOptions = (options: IotAnalyticsOptions): void => {
  checkPositiveOption(factory, "maxMessageBytes", options.maxMessageBytes)
  if (typeof options.channelName !== "function") {
    const bad = checkChannelName(options.channelName)
    if (bad !== undefined) throw invalidOption(factory, bad)
  }
  if (
    options.fieldNameRule !== undefined &&
    options.fieldNameRule !== "prose" &&
    options.fieldNameRule !== "documentedRegex"
  )
    throw new TypeError(`${factory}: option fieldNameRule must be "prose" or "documentedRegex"`)
}

/** Makes an IoT Analytics adapter. Throws for invalid constant options. */
export const iotAnalytics = (options: IotAnalyticsOptions): Adapter<IotAnalyticsEntry> => {
  checkConstantOptions(options)
  const { client, close } = adapterClient(factory, options, (config) => new IoTAnalyticsClient(config))
  const maxMessageBytes = options.maxMessageBytes ?? defaultMaxMessageBytes
  const encodeSettings = {
    channelName: options.channelName,
    ...(options.payload === undefined ? {} : { payload: options.payload }),
    ...(options.fieldNameRule === undefined ? {} : { fieldNameRule: options.fieldNameRule }),
  }

  return defineAdapter<IotAnalyticsEntry>({
    kind: "iot-analytics",
    limits: {
      maxEntries: maxMessagesPerRequest,
      // No request-size limit is documented (FACTS §3.3); only the per-message one.
      maxRequestBytes: Number.POSITIVE_INFINITY,
      maxEntryBytes: maxMessageBytes,
    },
    encode: (event) => encode(event, encodeSettings),
    send: async (batch, { signal }) => {
      const first = batch.entries[0]
      if (first === undefined) return []
      const response = await client.send(
        new BatchPutMessageCommand({
          channelName: batch.batchKey ?? first.channelName,
          messages: batch.entries.map((entry) => ({ messageId: entry.messageId, payload: entry.payload })),
        }),
        { abortSignal: signal },
      )
      return readBatchPutMessageResults(
        batch.entries.map((entry) => entry.messageId),
        response,
      )
    },
    classifyError: classifyRequestError,
    close,
  })
}
