/**
 * The testkit conformance suite and the shared emulator-backed adapter suite, with the emulator as
 * the destination. How Pinpoint holds the data (Attributes and Metrics) is read here, by this adapter.
 */
import {
  describeEmulatorAdapterSuite,
  emulatorHarness,
  requestErrorCases,
} from "@eventport/aws-emulator/conformance"
import { createEvent, type Event, isJsonObject } from "@eventport/core"
import { describeAdapterConformance } from "@eventport/testkit"
import { eventStatusCodes, type PinpointEntry, pinpoint, requestErrorCodes } from "../src/index.ts"

/** A Pinpoint event's Attributes and Metrics, absent ones as empty. */
const attributesAndMetrics = (event: { readonly Attributes?: unknown; readonly Metrics?: unknown }) => ({
  Attributes: event.Attributes ?? {},
  Metrics: event.Metrics ?? {},
})

describeAdapterConformance({
  harness: emulatorHarness({
    name: "pinpoint (emulator)",
    service: "pinpoint",
    makeAdapter: (clientConfig) => pinpoint({ applicationId: "conformance", clientConfig }),
    // Pinpoint needs an endpoint id (the subject). Attribute values stop at 200 characters, so the
    // requested payload size goes into the event type, which has no documented length limit.
    validEvent: (index, { payloadBytes }) => ({
      type: `eventport.conformance${payloadBytes > 0 ? `.${"x".repeat(payloadBytes)}` : ""}`,
      source: "eventport-testkit",
      subject: `endpoint-${index % 3}`,
      data: { index },
    }),
    // Pinpoint carries the data as Attributes and Metrics. The adapter's default mapping, restated:
    // the string fields at the top level of object data are Attributes, the finite numbers Metrics.
    carriedData: (event: Event) => {
      const fields = isJsonObject(event.data) ? Object.entries(event.data) : []
      return {
        Attributes: Object.fromEntries(fields.filter(([, v]) => typeof v === "string")),
        Metrics: Object.fromEntries(fields.filter(([, v]) => typeof v === "number" && Number.isFinite(v))),
      }
    },
    decodeEntry: (entry: PinpointEntry) => attributesAndMetrics(entry.event),
    dataOf: (stored) => attributesAndMetrics(stored.event),
  }),
})

describeEmulatorAdapterSuite({
  name: "pinpoint",
  service: "pinpoint",
  optionNames: {
    factory: "pinpoint",
    make: pinpoint,
    options: { applicationId: "a", endpointId: "e", eventtype: "x" },
    misspelled: "eventtype",
    meant: "eventType",
  },
  makeAdapter: (clientConfig) => pinpoint({ applicationId: "suite", clientConfig }),
  // Pinpoint needs an endpoint id (the subject); it sends top-level fields, not the data whole.
  event: (fields) =>
    createEvent({
      type: "eventport.suite",
      source: "eventport-suite",
      subject: "endpoint-1",
      data: { n: 1 },
      ...fields,
    }),
  entryErrors: {
    // Pinpoint answers per event with a StatusCode; its text is the raw code.
    table: eventStatusCodes,
    fault: (status, event) => ({ statusCode: Number(status), match: { id: event.id } }),
    unknownCode: "503",
  },
  serializesData: false,
  requestErrors: requestErrorCases(requestErrorCodes),
  permanentRequestError: { code: "NotFoundException", status: 404, deliveryCode: "NotFound" },
})
