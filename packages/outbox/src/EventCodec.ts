/**
 * An event's stored form: JSON text that gives back the same event (binary data as base64, the
 * time as an RFC 3339 string). Both stores keep this text as it is.
 */
import type { Event, EventData } from "@eventport/core"
import type { StoredEvent } from "./OutboxStore.ts"

interface EncodedEvent {
  readonly id: string
  readonly type: string
  readonly source: string
  readonly time: string
  readonly subject?: string
  readonly data?: unknown
  readonly dataBase64?: string
  readonly dataContentType?: string
  readonly extensions?: Event["extensions"]
}

export const encodeEvent = (event: Event): StoredEvent => {
  const encoded: { -readonly [K in keyof EncodedEvent]: EncodedEvent[K] } = {
    id: event.id,
    type: event.type,
    source: event.source,
    time: event.time.toISOString(),
  }
  if (event.subject !== undefined) encoded.subject = event.subject
  if (event.data instanceof Uint8Array) encoded.dataBase64 = Buffer.from(event.data).toString("base64")
  else encoded.data = event.data
  if (event.dataContentType !== undefined) encoded.dataContentType = event.dataContentType
  if (event.extensions !== undefined) encoded.extensions = event.extensions
  return { id: event.id, body: JSON.stringify(encoded) }
}

export const decodeEvent = (stored: StoredEvent): Event => {
  const e = JSON.parse(stored.body) as EncodedEvent
  const data: EventData =
    e.dataBase64 !== undefined ? new Uint8Array(Buffer.from(e.dataBase64, "base64")) : (e.data as EventData)
  const event: { -readonly [K in keyof Event]: Event[K] } = {
    id: e.id,
    type: e.type,
    source: e.source,
    time: new Date(e.time),
    data,
  }
  if (e.subject !== undefined) event.subject = e.subject
  if (e.dataContentType !== undefined) event.dataContentType = e.dataContentType
  if (e.extensions !== undefined) event.extensions = e.extensions
  return event
}
