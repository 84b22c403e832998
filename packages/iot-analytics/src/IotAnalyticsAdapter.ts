/**
 * `iotAnalytics(options)`: the AWS IoT Analytics BatchPutMessage adapter. It only translates;
 * packing, retries and fan-out are the publisher's.
 */
import { BatchPutMessageCommand, IoTAnalyticsClient } from "@aws-sdk/client-iotanalytics"
import { type Adapter, defineAdapter } from "@eventport/core"
import { checkChannelName, encode, type IotAnalyticsEntry } from "./encode.ts"
import { classifyRequestError } from "./IotAnalyticsError.ts"
import type { IotAnalyticsOptions } from "./IotAnalyticsOptions.ts"
import { readBatchPutMessageResults } from "./internal/BatchPutMessageResults.ts"
import { defaultMaxMessageBytes, maxMessagesPerRequest } from "./limits.ts"

/** Makes an IoT Analytics adapter. Throws for options that can never work (e.g. an invalid constant channelName). */
export const iotAnalytics = (options: IotAnalyticsOptions): Adapter<IotAnalyticsEntry> => {
  if (options.client !== undefined && options.clientConfig !== undefined)
    throw new TypeError("iotAnalytics: give either client or clientConfig, not both")
  if (typeof options.channelName !== "function") {
    const bad = checkChannelName(options.channelName)
    if (bad !== undefined)
      throw new TypeError(`iotAnalytics: option channelName ${bad.message} (${bad.rule})`)
  }
  const maxMessageBytes = options.maxMessageBytes ?? defaultMaxMessageBytes
  if (!(maxMessageBytes > 0))
    throw new RangeError(
      `iotAnalytics: option maxMessageBytes must be a positive number, got ${maxMessageBytes}`,
    )
  if (
    options.fieldNameRule !== undefined &&
    options.fieldNameRule !== "prose" &&
    options.fieldNameRule !== "documentedRegex"
  )
    throw new TypeError(`iotAnalytics: option fieldNameRule must be "prose" or "documentedRegex"`)

  const ownsClient = options.client === undefined
  // SDK retries off: the publisher retries only the failed entries.
  const client = options.client ?? new IoTAnalyticsClient({ ...options.clientConfig, maxAttempts: 1 })
  const settings = {
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
    encode: (event) => encode(event, settings),
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
      return readBatchPutMessageResults(batch.entries, response)
    },
    classifyError: classifyRequestError,
    close: () => {
      if (ownsClient) client.destroy()
    },
  })
}
