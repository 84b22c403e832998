import type { EntryView } from "../Faults.ts"
import { type ServiceError, type ServiceName, type ServiceTraits, serviceTraits } from "../Service.ts"
import type { EntryTypes } from "../Store.ts"
import type { FifoLedger } from "./FifoLedger.ts"
import { type BotocoreModel, ModelValidator, type ModelValidatorOptions } from "./modelValidation.ts"

/** Why one entry failed: an error code and message (Pinpoint reports a status code instead). */
export interface EntryFailure {
  readonly code: string
  readonly message: string
  readonly statusCode: number
  /** SQS and SNS batch results: whether the caller is at fault (`true`) or the service (`false`). */
  readonly senderFault?: boolean
}

export interface BatchItem<E> {
  readonly view: EntryView
  /** What the store records if the entry is accepted. */
  readonly accepted: E
  /** Set when validation already failed this entry. */
  readonly rejection?: EntryFailure
  /**
   * Called when the entry is accepted (no rejection, no injected fault): what the store records, or
   * `undefined` when the service takes it without storing it again (a FIFO duplicate). Without it,
   * `accepted` is stored.
   */
  readonly accept?: () => E | undefined
}

export interface Reply {
  readonly status: number
  readonly body: unknown
}

export interface PreparedBatch<E> {
  readonly items: readonly BatchItem<E>[]
  /** The service's response for the final per-entry outcomes (index-aligned with `items`). */
  render(failures: readonly (EntryFailure | undefined)[]): Reply
}

/** A request refused whole, before any entry is looked at. */
export interface Refused {
  readonly ok: false
  readonly error: ServiceError
}

export type Prepared<E> = { readonly ok: true; readonly batch: PreparedBatch<E> } | Refused

export interface ServiceRequest {
  readonly body: Buffer
  /** Path labels, e.g. Pinpoint's application-id (decoded). */
  readonly pathLabels: Readonly<Record<string, string>>
  readonly requestId: string
  readonly receivedAt: Date
  /** The emulator's FIFO state (SQS queues, SNS topics): de-duplication and sequence numbers. */
  readonly fifo: FifoLedger
}

/** Limits that are documented but not in the models, or unverified, and so configurable. */
export interface ServiceLimits {
  /** EventBridge total entry size by AWS's algorithm (https://docs.aws.amazon.com/eventbridge/latest/userguide/calculate-putevents-entry-size.html); 1,000,000 by default. */
  readonly eventBridgeMaxRequestBytes: number
  /** IoT Events decoded payload bytes per batch; not enforced unless set (the documented 1 KiB is unverified). */
  readonly iotEventsMaxBatchPayloadBytes: number | undefined
  /** Kinesis data + partition key bytes per record; 1 MiB by default (a stream may allow up to 10 MiB). */
  readonly kinesisMaxRecordBytes: number
  /** Kinesis data + partition key bytes per request; 5 MiB by default (the current model text says 10 MiB). */
  readonly kinesisMaxRequestBytes: number
  /** Firehose data bytes (before base64) per request; 4 MiB by default. */
  readonly firehoseMaxRequestBytes: number
  /** FIFO queue and topic names (`….fifo`) with content-based de-duplication on. */
  readonly contentBasedDeduplication: ReadonlySet<string>
}

export interface ServiceHandler<S extends ServiceName> {
  readonly traits: ServiceTraits
  prepare(request: ServiceRequest, limits: ServiceLimits): Prepared<EntryTypes[S]>
}

/** What a service module starts from: the service's traits and a validator for its model subset (a JSON import). */
export const serviceModel = (name: ServiceName, model: unknown, options?: ModelValidatorOptions) => ({
  traits: serviceTraits[name],
  validator: new ModelValidator(model as BotocoreModel, options),
})

export const requestError = (traits: ServiceTraits, message: string): Refused => ({
  ok: false,
  error: { code: traits.validationErrorCode, status: 400, message },
})

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** Parses a JSON body, or undefined if it is not JSON. An empty body counts as `{}`, as the SDK sends. */
export const parseJsonBody = (body: Buffer): unknown => {
  if (body.length === 0) return {}
  try {
    return JSON.parse(body.toString("utf8"))
  } catch {
    return undefined
  }
}

/** Finds messageIds used more than once in a batch. */
export const duplicateIds = (ids: readonly string[]): string[] => {
  const seen = new Set<string>()
  const duplicates = new Set<string>()
  for (const id of ids) {
    if (seen.has(id)) duplicates.add(id)
    seen.add(id)
  }
  return [...duplicates]
}
