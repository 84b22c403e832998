/**
 * `firehose(options)`: an adapter that publishes events with Amazon Data Firehose PutRecordBatch.
 * Data ← the event as CloudEvents JSON (or its data alone), then the record delimiter; the delivery
 * stream is one per adapter.
 */
import { FirehoseClient, PutRecordBatchCommand } from "@aws-sdk/client-firehose"
import {
  type Adapter,
  adapterClient,
  checkPositiveOption,
  checkString,
  defineAdapter,
  invalidOption,
} from "@eventport/core"
import { encode, type FirehoseRecordEntry, putRecordBatchEntrySize } from "./encode.ts"
import { classifyRequestError } from "./FirehoseError.ts"
import {
  defaultRecordData,
  defaultRecordDelimiter,
  defaultRequestSize,
  type FirehoseOptions,
} from "./FirehoseOptions.ts"
import { readPutRecordBatchResults } from "./internal/PutRecordBatchResults.ts"
import {
  deliveryStreamName as deliveryStreamNameRule,
  maxRequestBytes as documentedMaxRequestBytes,
  maxRecordBytes,
  maxRecordsPerRequest,
} from "./limits.ts"

const factory = "firehose"

/** Bad constant options are the caller's bug: reported once, at construction. */
const checkConstantOptions = (options: FirehoseOptions): void => {
  const bad = checkString("deliveryStreamName", options.deliveryStreamName, {
    ...deliveryStreamNameRule,
    patternText: "[a-zA-Z0-9_.-]+",
  })
  if (bad !== undefined) throw invalidOption(factory, bad)
  if (options.data !== undefined && options.data !== "cloudevent" && options.data !== "data")
    throw new TypeError(`${factory}: option data must be "cloudevent" or "data", got ${String(options.data)}`)
  if (options.requestSize !== undefined && options.requestSize !== "base64" && options.requestSize !== "raw")
    throw new TypeError(
      `${factory}: option requestSize must be "base64" or "raw", got ${String(options.requestSize)}`,
    )
  if (options.recordDelimiter !== undefined && typeof options.recordDelimiter !== "string")
    throw new TypeError(`${factory}: option recordDelimiter must be a string`)
  checkPositiveOption(factory, "maxRequestBytes", options.maxRequestBytes)
}

/** Makes an Amazon Data Firehose adapter. Throws for invalid constant options. */
export const firehose = (options: FirehoseOptions): Adapter<FirehoseRecordEntry> => {
  checkConstantOptions(options)
  const { client, close } = adapterClient(factory, options, (config) => new FirehoseClient(config))
  const requestSize = options.requestSize ?? defaultRequestSize
  const maxRequestBytes = options.maxRequestBytes ?? documentedMaxRequestBytes
  const encodeOptions = {
    data: options.data ?? defaultRecordData,
    delimiter: Buffer.from(options.recordDelimiter ?? defaultRecordDelimiter, "utf8"),
    requestSize,
  }
  // encode rejects records over 1,024,000 bytes before base64; a record must also fit a request.
  const largestRecord = putRecordBatchEntrySize({ Data: new Uint8Array(maxRecordBytes) }, requestSize)
  const DeliveryStreamName = options.deliveryStreamName

  return defineAdapter<FirehoseRecordEntry>({
    kind: "firehose",
    limits: {
      maxEntries: maxRecordsPerRequest,
      maxRequestBytes,
      maxEntryBytes: Math.min(largestRecord, maxRequestBytes),
    },
    encode: (event) => encode(event, encodeOptions),
    send: async (batch, { signal }) => {
      const response = await client.send(
        new PutRecordBatchCommand({ DeliveryStreamName, Records: [...batch.entries] }),
        {
          abortSignal: signal,
        },
      )
      return readPutRecordBatchResults(batch.entries.length, response)
    },
    classifyError: classifyRequestError,
    close,
  })
}
