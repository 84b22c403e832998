/**
 * `firehose(options)`: an adapter that publishes events with Amazon Data Firehose PutRecordBatch.
 * Data ← the event as CloudEvents JSON (or its data alone), then the record delimiter; the delivery
 * stream is one per adapter.
 */
import { FirehoseClient, PutRecordBatchCommand } from "@aws-sdk/client-firehose"
import {
  type Adapter,
  adapterClient,
  checkConstantOptions,
  checkOneOf,
  checkOptionNames,
  checkPositiveOption,
  defineAdapter,
  describeValue,
  violation,
} from "@eventport/core"
import {
  checkDeliveryStreamName,
  type EncodeOptions,
  encode,
  entryBytes,
  type FirehoseRecordEntry,
} from "./encode.ts"
import { classifyRequestError } from "./FirehoseError.ts"
import {
  defaultMaxRequestBytes,
  defaultRecordData,
  defaultRecordDelimiter,
  defaultRequestSize,
  type FirehoseOptions,
  firehoseOptionNames,
} from "./FirehoseOptions.ts"
import { readPutRecordBatchResults } from "./internal/PutRecordBatchResults.ts"
import { maxEntryBytes, maxRecordsPerRequest } from "./limits.ts"

const factory = "firehose"

/** Makes an Amazon Data Firehose adapter. Throws for invalid constant options, checked here once. */
export const firehose = (options: FirehoseOptions): Adapter<FirehoseRecordEntry> => {
  checkOptionNames(factory, options, firehoseOptionNames)
  checkConstantOptions(factory, [
    checkDeliveryStreamName(options.deliveryStreamName),
    checkOneOf("data", options.data, ["cloudEvent", "data"]),
    checkOneOf("requestSize", options.requestSize, ["base64", "raw"]),
    options.recordDelimiter === undefined || typeof options.recordDelimiter === "string"
      ? undefined
      : violation(
          "recordDelimiter",
          "type",
          `must be a string, got ${describeValue(options.recordDelimiter)}`,
        ),
  ])
  checkPositiveOption(factory, "maxRequestBytes", options.maxRequestBytes)
  const { client, close, sendOptions } = adapterClient(
    factory,
    options,
    (config) => new FirehoseClient(config),
  )
  const requestSize = options.requestSize ?? defaultRequestSize
  const maxRequestBytes = options.maxRequestBytes ?? defaultMaxRequestBytes
  const encodeOptions: EncodeOptions = {
    data: options.data ?? defaultRecordData,
    delimiter: Buffer.from(options.recordDelimiter ?? defaultRecordDelimiter, "utf8"),
    requestSize,
  }
  // encode rejects records over 1,024,000 bytes before base64; a record must also fit a request.
  const largestRecord = entryBytes({ Data: new Uint8Array(maxEntryBytes) }, requestSize)
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
      const command = new PutRecordBatchCommand({ DeliveryStreamName, Records: [...batch.entries] })
      const response = await client.send(command, sendOptions(command, signal))
      return readPutRecordBatchResults(batch.entries.length, response)
    },
    classifyError: classifyRequestError,
    close,
  })
}
