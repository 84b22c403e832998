/**
 * CloudEvents 1.0 structured JSON format, both ways. `toCloudEvent(fromCloudEvent(x))` keeps every
 * attribute; `fromCloudEvent(toCloudEvent(e))` gives back an equal event (binary data travels as
 * `data_base64`, time as RFC 3339 with millisecond precision).
 */
import {
  cloudEventContextAttributes,
  type Event,
  type EventData,
  type ExtensionValue,
  InvalidEventError,
  type Violation,
  validateEvent,
} from "./Event.ts"

/** A CloudEvent in the structured JSON format. Extensions sit beside the context attributes. */
export interface CloudEvent {
  readonly specversion: "1.0"
  readonly id: string
  readonly source: string
  readonly type: string
  readonly time?: string
  readonly subject?: string
  readonly datacontenttype?: string
  readonly data?: unknown
  readonly data_base64?: string
  readonly [extension: string]: unknown
}

export const toCloudEvent = (event: Event): CloudEvent => {
  const out: Record<string, unknown> = {
    specversion: "1.0",
    id: event.id,
    source: event.source,
    type: event.type,
    time: event.time.toISOString(),
  }
  if (event.subject !== undefined) out.subject = event.subject
  if (event.dataContentType !== undefined) out.datacontenttype = event.dataContentType
  if (event.extensions) for (const [name, value] of Object.entries(event.extensions)) out[name] = value
  if (event.data instanceof Uint8Array) out.data_base64 = Buffer.from(event.data).toString("base64")
  else out.data = event.data
  return out as CloudEvent
}

/** Parses a structured-mode CloudEvent (object or JSON text). Throws {@link InvalidEventError}. */
export const fromCloudEvent = (input: CloudEvent | string): Event => {
  let ce: Record<string, unknown>
  try {
    ce = typeof input === "string" ? JSON.parse(input) : (input as Record<string, unknown>)
  } catch {
    throw new InvalidEventError(undefined, [
      { field: "(cloudevent)", rule: "json", message: "is not valid JSON" },
    ])
  }
  const violations: Array<Violation> = []
  if (ce.specversion !== "1.0")
    violations.push({ field: "specversion", rule: "specversion", message: 'must be "1.0"' })
  let data: EventData = (ce.data ?? null) as EventData
  if (ce.data_base64 !== undefined) {
    if (typeof ce.data_base64 !== "string" || ce.data !== undefined)
      violations.push({
        field: "data_base64",
        rule: "type",
        message: "must be a base64 string, without data",
      })
    else data = new Uint8Array(Buffer.from(ce.data_base64, "base64"))
  }
  const extensions: Record<string, ExtensionValue> = {}
  for (const [name, value] of Object.entries(ce)) {
    if (!cloudEventContextAttributes.has(name)) extensions[name] = value as ExtensionValue
  }
  const result = validateEvent({
    id: ce.id,
    type: ce.type,
    source: ce.source,
    time: ce.time,
    subject: ce.subject,
    dataContentType: ce.datacontenttype,
    data,
    extensions: Object.keys(extensions).length > 0 ? extensions : undefined,
  })
  if (ce.id === undefined) violations.push({ field: "id", rule: "required", message: "is required" })
  if (!result.ok) violations.push(...result.violations)
  if (violations.length > 0)
    throw new InvalidEventError(typeof ce.id === "string" ? ce.id : undefined, violations)
  return (result as { event: Event }).event
}
