/**
 * `iotAnalytics(options)`: the AWS IoT Analytics BatchPutMessage adapter. It only translates;
 * packing, retries and fan-out are the publisher's.
 */
import { BatchPutMessageCommand, IoTAnalyticsClient } from "@aws-sdk/client-iotanalytics"
import { type Adapter, defineAdapter, type EntryResult, entryFailed, entryOk } from "@eventport/core"
import { checkChannelName, encode, type IotAnalyticsEntry } from "./encode.ts"
import { classifyEntryError, classifyRequestError } from "./IotAnalyticsError.ts"
import type { IotAnalyticsOptions } from "./IotAnalyticsOptions.ts"
import { defaultMaxMessageBytes, maxMessagesPerRequest } from "./limits.ts"

/** Thrown by {@link iotAnalytics} for options that can never work. */
export class IotAnalyticsOptionsError extends TypeError {
  override readonly name = "IotAnalyticsOptionsError"
}

/** Makes an IoT Analytics adapter. Throws {@link IotAnalyticsOptionsError} for an invalid constant channelName. */
export const iotAnalytics = (options: IotAnalyticsOptions): Adapter<IotAnalyticsEntry> => {
  if (typeof options.channelName !== "function") {
    const bad = checkChannelName(options.channelName)
    if (bad !== undefined)
      throw new IotAnalyticsOptionsError(`iotAnalytics: options.channelName ${bad.message} (${bad.rule})`)
  }
  const maxMessageBytes = options.maxMessageBytes ?? defaultMaxMessageBytes
  if (!(maxMessageBytes > 0))
    throw new IotAnalyticsOptionsError(`iotAnalytics: options.maxMessageBytes must be positive`)
  if (
    options.fieldNameRule !== undefined &&
    options.fieldNameRule !== "prose" &&
    options.fieldNameRule !== "documentedRegex"
  )
    throw new IotAnalyticsOptionsError(
      `iotAnalytics: options.fieldNameRule must be "prose" or "documentedRegex"`,
    )

  const ownsClient = options.client === undefined
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
      // Failures are keyed by messageId, not by position; messages not listed were accepted.
      const indexById = new Map(batch.entries.map((entry, i) => [entry.messageId, i]))
      const results: Array<EntryResult> = batch.entries.map(() => entryOk())
      for (const failure of response.batchPutMessageErrorEntries ?? []) {
        const index = failure.messageId === undefined ? undefined : indexById.get(failure.messageId)
        if (index !== undefined)
          results[index] = entryFailed(classifyEntryError(failure.errorCode, failure.errorMessage))
      }
      return results
    },
    classifyError: classifyRequestError,
    close: () => {
      if (ownsClient) client.destroy()
    },
  })
}
