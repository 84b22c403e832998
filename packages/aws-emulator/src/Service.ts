/** The emulated services, by the names used throughout the emulator's API. */
export type ServiceName =
  | "eventbridge"
  | "iotevents"
  | "iotanalytics"
  | "pinpoint"
  | "kinesis"
  | "firehose"
  | "sqs"
  | "sns"

export const serviceNames: readonly ServiceName[] = [
  "eventbridge",
  "iotevents",
  "iotanalytics",
  "pinpoint",
  "kinesis",
  "firehose",
  "sqs",
  "sns",
]

export type Protocol = "awsJson1_1" | "restJson1" | "awsJson1_0" | "awsQuery"

/** An error as the service reports it: the code the SDK turns into an exception class, and its status. */
export interface ServiceError {
  readonly code: string
  readonly status: number
  readonly message: string
}

/** What differs between the services at the HTTP level. */
export interface ServiceTraits {
  readonly name: ServiceName
  readonly operation: string
  /** SigV4 credential-scope service name. */
  readonly signingName: string
  readonly protocol: Protocol
  readonly validationErrorCode: string
  readonly throttling: Omit<ServiceError, "message">
  readonly internal: Omit<ServiceError, "message">
  readonly unavailable: Omit<ServiceError, "message">
  /** The entry error code a per-entry fault uses when none is given. */
  readonly defaultEntryErrorCode: string
}

/** IoT Events Data and IoT Analytics model BatchPutMessage with the same protocol and errors. */
const iotBatchPutMessage = {
  operation: "BatchPutMessage",
  protocol: "restJson1",
  validationErrorCode: "InvalidRequestException",
  throttling: { code: "ThrottlingException", status: 429 },
  internal: { code: "InternalFailureException", status: 500 },
  unavailable: { code: "ServiceUnavailableException", status: 503 },
  defaultEntryErrorCode: "InternalFailureException",
} as const satisfies Omit<ServiceTraits, "name" | "signingName">

export const serviceTraits: Readonly<Record<ServiceName, ServiceTraits>> = {
  eventbridge: {
    name: "eventbridge",
    operation: "PutEvents",
    signingName: "events",
    protocol: "awsJson1_1",
    validationErrorCode: "ValidationException",
    throttling: { code: "ThrottlingException", status: 400 },
    internal: { code: "InternalException", status: 500 },
    // Not modelled for EventBridge; the common AWS JSON error for an unavailable service.
    unavailable: { code: "ServiceUnavailable", status: 503 },
    defaultEntryErrorCode: "InternalFailure",
  },
  iotevents: { name: "iotevents", signingName: "ioteventsdata", ...iotBatchPutMessage },
  iotanalytics: { name: "iotanalytics", signingName: "iotanalytics", ...iotBatchPutMessage },
  pinpoint: {
    name: "pinpoint",
    operation: "PutEvents",
    signingName: "mobiletargeting",
    protocol: "restJson1",
    validationErrorCode: "BadRequestException",
    throttling: { code: "TooManyRequestsException", status: 429 },
    internal: { code: "InternalServerErrorException", status: 500 },
    // Pinpoint models no 503 error; this is what an unmodelled outage looks like to the SDK.
    unavailable: { code: "ServiceUnavailableException", status: 503 },
    defaultEntryErrorCode: "InternalServerErrorException",
  },
  kinesis: {
    name: "kinesis",
    operation: "PutRecords",
    signingName: "kinesis",
    protocol: "awsJson1_1",
    // Model-constraint failures are the common AWS JSON ValidationException; the documented size and
    // hash-key rules fail with the modelled InvalidArgumentException.
    validationErrorCode: "ValidationException",
    throttling: { code: "ProvisionedThroughputExceededException", status: 400 },
    internal: { code: "InternalFailureException", status: 500 },
    // Kinesis models no 503 error; the common AWS JSON error for an unavailable service.
    unavailable: { code: "ServiceUnavailable", status: 503 },
    // PutRecordsResultEntry.ErrorCode: ProvisionedThroughputExceededException or InternalFailure.
    defaultEntryErrorCode: "InternalFailure",
  },
  firehose: {
    name: "firehose",
    operation: "PutRecordBatch",
    signingName: "firehose",
    protocol: "awsJson1_1",
    validationErrorCode: "ValidationException",
    // Firehose models no throttling error: exceeding a stream's throughput is answered with
    // ServiceUnavailableException ("throughput limits for the delivery stream may have been exceeded").
    throttling: { code: "ServiceUnavailableException", status: 503 },
    internal: { code: "InternalFailure", status: 500 },
    unavailable: { code: "ServiceUnavailableException", status: 503 },
    // PutRecordBatchResponseEntry.ErrorCode: ServiceUnavailableException or InternalFailure.
    defaultEntryErrorCode: "InternalFailure",
  },
  // Error statuses as @aws-sdk/client-sqs models them (awsQueryError traits); InternalFailure and
  // ServiceUnavailable are AWS's common errors, not modelled for the operation.
  sqs: {
    name: "sqs",
    operation: "SendMessageBatch",
    signingName: "sqs",
    protocol: "awsJson1_0",
    validationErrorCode: "InvalidParameterValue",
    throttling: { code: "RequestThrottled", status: 403 },
    internal: { code: "InternalFailure", status: 500 },
    unavailable: { code: "ServiceUnavailable", status: 503 },
    defaultEntryErrorCode: "InternalError",
  },
  // botocore sns/2010-03-31: InternalError 500 is modelled; Throttled (429) is the service's
  // throttling error, not in PublishBatch's list.
  sns: {
    name: "sns",
    operation: "PublishBatch",
    signingName: "sns",
    protocol: "awsQuery",
    validationErrorCode: "InvalidParameter",
    throttling: { code: "Throttled", status: 429 },
    internal: { code: "InternalError", status: 500 },
    unavailable: { code: "ServiceUnavailable", status: 503 },
    defaultEntryErrorCode: "InternalError",
  },
}

export const serviceBySigningName: ReadonlyMap<string, ServiceName> = new Map(
  serviceNames.map((name) => [serviceTraits[name].signingName, name]),
)

export const isServiceName = (value: unknown): value is ServiceName =>
  typeof value === "string" && (serviceNames as readonly string[]).includes(value)
