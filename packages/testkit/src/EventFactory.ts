/**
 * Valid events for tests, with readable defaults and any field overridable.
 */
import { createEvent, type Event, type EventData, type EventInput } from "@eventport/core"

let created = 0

/** Overrides for {@link makeEvent}: any {@link EventInput} field. */
export type EventOverrides = Partial<EventInput>

/**
 * A valid, normalized event. Defaults: id `evt-<n>` (unique in the process), type `com.example.test`,
 * source `/eventport/testkit`, time now, data `{ n }`.
 */
export const makeEvent = <Data extends EventData = EventData>(
  overrides: EventOverrides = {},
): Event<Data> => {
  const n = ++created
  return createEvent({
    id: `evt-${n}`,
    type: "com.example.test",
    source: "/eventport/testkit",
    data: { n },
    ...overrides,
  } as EventInput<Data>)
}

/**
 * `n` valid events; overrides are an object for all, or a function of the index (0-based).
 * Throws `InvalidEventError` (naming the field) when an override makes an event invalid.
 */
export const makeEvents = (
  n: number,
  overrides: EventOverrides | ((index: number) => EventOverrides) = {},
): Array<Event> => {
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`makeEvents: n must be a non-negative integer, got ${n}`)
  const out: Array<Event> = new Array(n)
  for (let i = 0; i < n; i++) out[i] = makeEvent(typeof overrides === "function" ? overrides(i) : overrides)
  return out
}
