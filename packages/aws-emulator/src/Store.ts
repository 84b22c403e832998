import type { ServiceName } from "./Service.ts"

/** What every accepted entry records, whatever the service. */
export interface AcceptedEntry {
  /** The bus, input, channel or application the entry went to. */
  readonly target: string
  readonly requestId: string
  readonly receivedAt: Date
}

export interface EventBridgeEntry extends AcceptedEntry {
  readonly eventId: string
  /** `default` when the request named no bus. */
  readonly eventBusName: string
  readonly source: string
  readonly detailType: string
  /** The Detail JSON text as sent. */
  readonly detail: string
  /** The entry's Time, or the time of the call when it had none (as EventBridge does). */
  readonly time: Date
  readonly resources: readonly string[]
  readonly traceHeader?: string
}

export interface IotEventsMessage extends AcceptedEntry {
  readonly inputName: string
  readonly messageId: string
  /** The payload bytes after the transport base64 was removed. */
  readonly payload: Uint8Array
  /** `payload` decoded as UTF-8, for JSON payloads. */
  readonly payloadText: string
  readonly timeInMillis?: number
}

export interface IotAnalyticsMessage extends AcceptedEntry {
  readonly channelName: string
  readonly messageId: string
  readonly payload: Uint8Array
  readonly payloadText: string
}

export interface PinpointEvent extends AcceptedEntry {
  readonly applicationId: string
  readonly endpointId: string
  readonly eventId: string
  readonly eventType: string
  readonly timestamp: string
  /** The Event object as sent. */
  readonly event: Readonly<Record<string, unknown>>
  /** The batch's PublicEndpoint object as sent. */
  readonly endpoint: Readonly<Record<string, unknown>>
}

export interface KinesisRecord extends AcceptedEntry {
  /** The stream's name (from `StreamName`, or the name part of `StreamARN`). */
  readonly streamName: string
  readonly streamArn?: string
  readonly partitionKey: string
  readonly explicitHashKey?: string
  /** The shard the hash key maps to, e.g. `shardId-000000000001`. */
  readonly shardId: string
  /** Increases within a shard in the order records were accepted. */
  readonly sequenceNumber: string
  /** The data bytes after the transport base64 was removed. */
  readonly data: Uint8Array
  /** `data` decoded as UTF-8, for JSON records. */
  readonly dataText: string
}

export interface FirehoseRecord extends AcceptedEntry {
  readonly deliveryStreamName: string
  /** The `RecordId` the response gave the record. */
  readonly recordId: string
  readonly data: Uint8Array
  readonly dataText: string
}

/** A message attribute as stored: binary values decoded from their transport base64. */
export interface StoredMessageAttribute {
  readonly dataType: string
  readonly stringValue?: string
  readonly binaryValue?: Uint8Array
}

export interface SqsMessage extends AcceptedEntry {
  /** The queue name (the last segment of the queue URL); also `target`. */
  readonly queueName: string
  readonly queueUrl: string
  /** The batch entry `Id` the caller sent. */
  readonly id: string
  readonly messageId: string
  readonly body: string
  readonly messageAttributes: Readonly<Record<string, StoredMessageAttribute>>
  readonly delaySeconds?: number
  readonly messageGroupId?: string
  readonly messageDeduplicationId?: string
  /** FIFO queues: increasing per queue, in the order messages were accepted. */
  readonly sequenceNumber?: string
  readonly traceHeader?: string
}

export interface SnsMessage extends AcceptedEntry {
  /** The topic ARN; also `target`. */
  readonly topicArn: string
  /** The batch entry `Id` the caller sent. */
  readonly id: string
  readonly messageId: string
  readonly message: string
  readonly subject?: string
  readonly messageStructure?: string
  readonly messageAttributes: Readonly<Record<string, StoredMessageAttribute>>
  readonly messageGroupId?: string
  readonly messageDeduplicationId?: string
  /** FIFO topics: increasing per topic, in the order messages were accepted. */
  readonly sequenceNumber?: string
}

export interface EntryTypes {
  readonly eventbridge: EventBridgeEntry
  readonly iotevents: IotEventsMessage
  readonly iotanalytics: IotAnalyticsMessage
  readonly pinpoint: PinpointEvent
  readonly kinesis: KinesisRecord
  readonly firehose: FirehoseRecord
  readonly sqs: SqsMessage
  readonly sns: SnsMessage
}

/**
 * `full` keeps every accepted entry; `count` keeps only counts (for benchmarks); `off` keeps nothing.
 */
export type StoreMode = "full" | "count" | "off"

/** Accepted entries of one service. */
export class ServiceStore<E extends AcceptedEntry> {
  readonly #mode: StoreMode
  #entries: E[] = []
  #byTarget = new Map<string, E[]>()
  #counts = new Map<string, number>()
  #count = 0

  constructor(mode: StoreMode) {
    this.#mode = mode
  }

  /** Every accepted entry in arrival order (empty unless the store mode is `full`). */
  get entries(): readonly E[] {
    return this.#entries
  }

  /** How many entries were accepted (0 when the store mode is `off`). */
  get count(): number {
    return this.#count
  }

  /** Accepted entries sent to one bus, input, channel or application. */
  entriesFor(target: string): readonly E[] {
    return this.#byTarget.get(target) ?? []
  }

  /** Accepted-entry counts by target. */
  countsByTarget(): Readonly<Record<string, number>> {
    return Object.fromEntries(this.#counts)
  }

  /** @internal */
  add(entry: E): void {
    if (this.#mode === "off") return
    this.#count++
    this.#counts.set(entry.target, (this.#counts.get(entry.target) ?? 0) + 1)
    if (this.#mode === "count") return
    this.#entries.push(entry)
    const list = this.#byTarget.get(entry.target)
    if (list === undefined) this.#byTarget.set(entry.target, [entry])
    else list.push(entry)
  }

  clear(): void {
    this.#entries = []
    this.#byTarget = new Map()
    this.#counts = new Map()
    this.#count = 0
  }
}

/** Everything the emulator accepted, per service and per target. */
export class Store {
  readonly mode: StoreMode
  readonly eventbridge: ServiceStore<EventBridgeEntry>
  readonly iotevents: ServiceStore<IotEventsMessage>
  readonly iotanalytics: ServiceStore<IotAnalyticsMessage>
  readonly pinpoint: ServiceStore<PinpointEvent>
  readonly kinesis: ServiceStore<KinesisRecord>
  readonly firehose: ServiceStore<FirehoseRecord>
  readonly sqs: ServiceStore<SqsMessage>
  readonly sns: ServiceStore<SnsMessage>

  constructor(mode: StoreMode = "full") {
    this.mode = mode
    this.eventbridge = new ServiceStore(mode)
    this.iotevents = new ServiceStore(mode)
    this.iotanalytics = new ServiceStore(mode)
    this.pinpoint = new ServiceStore(mode)
    this.kinesis = new ServiceStore(mode)
    this.firehose = new ServiceStore(mode)
    this.sqs = new ServiceStore(mode)
    this.sns = new ServiceStore(mode)
  }

  service<S extends ServiceName>(service: S): ServiceStore<EntryTypes[S]> {
    return this[service] as unknown as ServiceStore<EntryTypes[S]>
  }

  /** e.g. `store.entriesFor("eventbridge", "orders")`. */
  entriesFor<S extends ServiceName>(service: S, target: string): readonly EntryTypes[S][] {
    return this.service(service).entriesFor(target)
  }

  /** Accepted-entry counts, in total and by target, per service. */
  counts(): Record<
    ServiceName,
    { readonly total: number; readonly byTarget: Readonly<Record<string, number>> }
  > {
    const of = (s: ServiceStore<AcceptedEntry>) => ({ total: s.count, byTarget: s.countsByTarget() })
    return {
      eventbridge: of(this.eventbridge),
      iotevents: of(this.iotevents),
      iotanalytics: of(this.iotanalytics),
      pinpoint: of(this.pinpoint),
      kinesis: of(this.kinesis),
      firehose: of(this.firehose),
      sqs: of(this.sqs),
      sns: of(this.sns),
    }
  }

  clear(): void {
    this.eventbridge.clear()
    this.iotevents.clear()
    this.iotanalytics.clear()
    this.pinpoint.clear()
    this.kinesis.clear()
    this.firehose.clear()
    this.sqs.clear()
    this.sns.clear()
  }
}
