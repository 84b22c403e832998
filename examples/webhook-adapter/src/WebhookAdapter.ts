/**
 * A custom Eventport adapter for an HTTP webhook: it POSTs a JSON array of CloudEvents (the
 * CloudEvents "batched" JSON format) to a URL and reads one result per event from the response.
 * docs/custom-adapters.md builds it step by step.
 */
// --- imports
import {
  type Adapter,
  checkOptionNames,
  classifyHttpStatus,
  defineAdapter,
  deliveryError,
  type EntryResult,
  type Event,
  encoded,
  entryFailed,
  entryOk,
  type OptionNames,
  rejected,
  toCloudEvent,
  utf8Length,
  violation,
} from "@eventport/core"
// --- end imports

// --- step 1: options and limits
export interface WebhookOptions {
  /** Where to POST the batches. */
  readonly url: string | URL
  /** Extra request headers (e.g. an authorization token). Never logged or copied into errors. */
  readonly headers?: Readonly<Record<string, string>>
  /** Most events per request. Default 100. */
  readonly maxEntries?: number
  /** Most bytes per request body. Default 1 MiB. */
  readonly maxRequestBytes?: number
  /** Most bytes per event. Default 256 KiB. */
  readonly maxEntryBytes?: number
}

export const webhookDefaults = {
  maxEntries: 100,
  maxRequestBytes: 1024 * 1024,
  maxEntryBytes: 256 * 1024,
} as const

/** Every option's name: the compiler holds this list to WebhookOptions, the factory refuses others. */
const webhookOptionNames = {
  url: true,
  headers: true,
  maxEntries: true,
  maxRequestBytes: true,
  maxEntryBytes: true,
} as const satisfies OptionNames<WebhookOptions>
// --- end step 1

// --- step 2: the wire entry and encode
/** One event as it travels: its id (to match the response) and its CloudEvent JSON text. */
export interface WebhookEntry {
  readonly id: string
  readonly json: string
}

/** The body is `[` + entries joined by `,` + `]`: each entry costs its JSON plus one comma. */
const bodyOverheadBytes = 2
const separatorBytes = 1

export const encodeWebhookEntry = (event: Event) => {
  if (event.dataContentType !== undefined && !/^[\w.+-]+\/[\w.+-]+/.test(event.dataContentType))
    return rejected(
      violation("dataContentType", "mediaType", "must be a media type such as application/json"),
    )
  const json = JSON.stringify(toCloudEvent(event))
  return encoded<WebhookEntry>({ id: event.id, json }, utf8Length(json) + separatorBytes)
}
// --- end step 2

// --- step 3: reading the response
/** What the receiver answers with HTTP 200: one result per event, keyed by id. */
interface WebhookResponse {
  readonly results: ReadonlyArray<{ readonly id: string; readonly status: number; readonly message?: string }>
}

const isWebhookResponse = (u: unknown): u is WebhookResponse =>
  typeof u === "object" &&
  u !== null &&
  Array.isArray((u as { results?: unknown }).results) &&
  (u as WebhookResponse).results.every(
    (r) => typeof r === "object" && r !== null && typeof r.id === "string" && typeof r.status === "number",
  )

/** Per-entry results in request order; an event the response does not mention may or may not have arrived. */
export const readWebhookResults = (
  entries: ReadonlyArray<WebhookEntry>,
  body: unknown,
): Array<EntryResult> => {
  if (!isWebhookResponse(body))
    throw deliveryError("Unknown", {
      outcomeUnknown: true,
      rawMessage: "the response body is not { results: [{ id, status }] }",
    })
  const byId = new Map(body.results.map((r) => [r.id, r]))
  return entries.map((entry) => {
    const result = byId.get(entry.id)
    if (result === undefined)
      return entryFailed(
        deliveryError("Unknown", {
          outcomeUnknown: true,
          rawMessage: "the response has no result for this event",
        }),
      )
    if (result.status >= 200 && result.status < 300) return entryOk()
    return entryFailed(
      deliveryError(classifyHttpStatus(result.status), {
        httpStatus: result.status,
        rawCode: `HTTP ${result.status}`,
        ...(result.message === undefined ? {} : { rawMessage: result.message }),
      }),
    )
  })
}
// --- end step 3

// --- step 4: the adapter
export const webhook = (options: WebhookOptions): Adapter<WebhookEntry> => {
  // A misspelled option (`maxEntrie`) throws, naming it, instead of leaving its default in silence.
  checkOptionNames("webhook", options, webhookOptionNames)
  const url = new URL(options.url)
  return defineAdapter<WebhookEntry>({
    kind: "webhook",
    limits: {
      maxEntries: options.maxEntries ?? webhookDefaults.maxEntries,
      maxRequestBytes: options.maxRequestBytes ?? webhookDefaults.maxRequestBytes,
      maxEntryBytes: options.maxEntryBytes ?? webhookDefaults.maxEntryBytes,
      requestOverheadBytes: bodyOverheadBytes,
    },
    encode: encodeWebhookEntry,
    send: async (batch, { signal }) => {
      const response = await fetch(url, {
        method: "POST",
        headers: { ...options.headers, "content-type": "application/cloudevents-batch+json; charset=utf-8" },
        body: `[${batch.entries.map((e) => e.json).join(",")}]`,
        signal,
      })
      if (!response.ok) {
        // A whole-request error: classified by status; the engine retries the retryable ones.
        const text = await response.text().catch(() => "")
        throw deliveryError(classifyHttpStatus(response.status), {
          httpStatus: response.status,
          rawCode: `HTTP ${response.status}`,
          rawMessage: text.slice(0, 200),
        })
      }
      return readWebhookResults(batch.entries, await response.json().catch(() => undefined))
    },
  })
}
// --- end step 4
