/**
 * Amazon Data Firehose `PutRecordBatch` (awsJson1_1, `Firehose_20150804.PutRecordBatch`, signing
 * name `firehose`). Model: botocore `botocore/data/firehose/2015-08-04/service-2.json` at
 * 0e6e2404b85dc336dd2889814e089bde7d1a4c55 (the subset in ../models).
 */
import { randomBytes } from "node:crypto"
import { describeViolations } from "../internal/modelValidation.ts"
import {
  type BatchItem,
  isRecord,
  parseJsonBody,
  requestError,
  type ServiceHandler,
  serviceModel,
} from "../internal/ServiceHandler.ts"
import model from "../models/firehose-2015-08-04.PutRecordBatch.json" with { type: "json" }
import type { FirehoseRecord } from "../Store.ts"

const { traits, validator } = serviceModel("firehose", model)

/** An opaque record id, as long as the ones Firehose gives (they are base64-like, 224 characters). */
const newRecordId = (): string => randomBytes(168).toString("base64")

export const firehoseHandler: ServiceHandler<"firehose"> = {
  traits,
  prepare(request, limits) {
    const input = parseJsonBody(request.body)
    if (!isRecord(input)) {
      return {
        ok: false,
        error: {
          code: "SerializationException",
          status: 400,
          message: "Start of structure or map found where not expected.",
        },
      }
    }
    // The model carries the 500 records and the 1,024,000 bytes per record (before base64).
    const violations = validator.validate("PutRecordBatchInput", input)
    if (violations.length > 0) return requestError(traits, describeViolations(violations))
    const deliveryStreamName = input.DeliveryStreamName as string
    const records = input.Records as Readonly<Record<string, unknown>>[]
    const data = records.map((record) => Buffer.from(record.Data as string, "base64"))
    const total = data.reduce((sum, bytes) => sum + bytes.length, 0)
    if (total > limits.firehoseMaxRequestBytes) {
      return {
        ok: false,
        error: {
          code: "InvalidArgumentException",
          status: 400,
          message: `Records size is ${total} bytes, over the ${limits.firehoseMaxRequestBytes}-byte request limit.`,
        },
      }
    }
    const items: BatchItem<FirehoseRecord>[] = data.map((bytes) => {
      const recordId = newRecordId()
      const dataText = bytes.toString("utf8")
      const accepted: FirehoseRecord = {
        target: deliveryStreamName,
        requestId: request.requestId,
        receivedAt: request.receivedAt,
        deliveryStreamName,
        recordId,
        data: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
        dataText,
      }
      return {
        view: {
          service: "firehose",
          target: deliveryStreamName,
          id: recordId,
          requestId: request.requestId,
          fields: { Data: dataText },
        },
        accepted,
      }
    })
    return {
      ok: true,
      batch: {
        items,
        render(failures) {
          let failed = 0
          const responses = items.map((item, i) => {
            const failure = failures[i]
            if (failure === undefined) return { RecordId: item.accepted.recordId }
            failed++
            return { ErrorCode: failure.code, ErrorMessage: failure.message }
          })
          return {
            status: 200,
            body: { FailedPutCount: failed, Encrypted: false, RequestResponses: responses },
          }
        },
      },
    }
  },
}
