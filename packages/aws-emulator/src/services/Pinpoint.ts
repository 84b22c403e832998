import { describeViolations } from "../internal/modelValidation.ts"
import {
  type BatchItem,
  type EntryFailure,
  isRecord,
  parseJsonBody,
  requestError,
  type ServiceHandler,
  serviceModel,
} from "../internal/ServiceHandler.ts"
import model from "../models/pinpoint-2016-12-01.PutEvents.json" with { type: "json" }
import type { PinpointEvent } from "../Store.ts"

// Events are validated one by one, so that a bad event gets its own 400 inside the 202.
const { traits, validator: requestValidator } = serviceModel("pinpoint", model, { defer: new Set(["Event"]) })
const { validator: eventValidator } = serviceModel("pinpoint", model)

/** Pinpoint event-ingestion quotas (developer guide, quotas.md). */
export const maxPinpointEventsPerRequest = 100
export const maxPinpointRequestBytes = 4 * 1024 * 1024
export const maxPinpointEventBytes = 1000 * 1024

const iso8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/

export const isIso8601 = (value: string): boolean => iso8601.test(value) && !Number.isNaN(Date.parse(value))

const badEvent = (message: string): EntryFailure => ({
  code: "BadRequestException",
  message,
  statusCode: 400,
})

const eventRejection = (event: unknown, eventId: string): EntryFailure | undefined => {
  const violations = eventValidator.validate("Event", event, `batchItem.events.${eventId}`)
  if (violations.length > 0) return badEvent(describeViolations(violations))
  const record = event as Record<string, unknown>
  if (!isIso8601(record.Timestamp as string))
    return badEvent("Event Timestamp must be an ISO 8601 date-time string.")
  if (Buffer.byteLength(JSON.stringify(event), "utf8") > maxPinpointEventBytes) {
    return badEvent(`Event is larger than ${maxPinpointEventBytes / 1024} KB.`)
  }
  return undefined
}

export const pinpointHandler: ServiceHandler<"pinpoint"> = {
  traits,
  prepare(request) {
    if (request.body.length > maxPinpointRequestBytes) {
      return {
        ok: false,
        error: {
          code: "PayloadTooLargeException",
          status: 413,
          message: `Request body is larger than ${maxPinpointRequestBytes / 1024 / 1024} MB.`,
        },
      }
    }
    const body = parseJsonBody(request.body)
    if (!isRecord(body)) return requestError(traits, "Could not parse the request body as JSON.")
    const applicationId = request.pathLabels.applicationId ?? ""
    const violations = requestValidator.validate("PutEventsRequest", {
      ApplicationId: applicationId,
      EventsRequest: body,
    })
    if (violations.length > 0) return requestError(traits, describeViolations(violations))
    const batches = Object.entries(body.BatchItem as Record<string, Record<string, unknown>>)
    let eventCount = 0
    for (const [, batch] of batches) eventCount += Object.keys(batch.Events as object).length
    if (eventCount > maxPinpointEventsPerRequest) {
      return requestError(
        traits,
        `A request can contain at most ${maxPinpointEventsPerRequest} events; got ${eventCount}.`,
      )
    }
    const items: BatchItem<PinpointEvent>[] = []
    const endpointOf: string[] = []
    for (const [endpointId, batch] of batches) {
      const endpoint = batch.Endpoint as Record<string, unknown>
      for (const [eventId, event] of Object.entries(
        batch.Events as Record<string, Record<string, unknown>>,
      )) {
        const rejection = eventRejection(event, eventId)
        endpointOf.push(endpointId)
        items.push({
          view: { service: "pinpoint", target: applicationId, id: eventId, fields: { ...event, endpointId } },
          accepted: {
            target: applicationId,
            requestId: request.requestId,
            receivedAt: request.receivedAt,
            applicationId,
            endpointId,
            eventId,
            eventType: String(event.EventType ?? ""),
            timestamp: String(event.Timestamp ?? ""),
            event,
            endpoint,
          },
          ...(rejection === undefined ? {} : { rejection }),
        })
      }
    }
    return {
      ok: true,
      batch: {
        items,
        render(failures) {
          // Keyed by caller ids: null-prototype maps, so an id like `__proto__` is a key like any other.
          const results: Record<
            string,
            { EndpointItemResponse: object; EventsItemResponse: Record<string, object> }
          > = Object.create(null)
          for (const [endpointId] of batches) {
            results[endpointId] = {
              EndpointItemResponse: { StatusCode: 202, Message: "Accepted" },
              EventsItemResponse: Object.create(null),
            }
          }
          items.forEach((item, i) => {
            const failure = failures[i]
            results[endpointOf[i]!]!.EventsItemResponse[item.view.id] =
              failure === undefined
                ? { StatusCode: 202, Message: "Accepted" }
                : { StatusCode: failure.statusCode, Message: failure.message }
          })
          return { status: 202, body: { Results: results } }
        },
      },
    }
  },
}
