/** The events the scenarios send: generated, deterministic, valid for every destination. */
import type { EventInput } from "@eventport/core"

/** The bus every EventBridge scenario targets (the emulator accepts any bus name). */
export const benchEventBusName = "bench"

/** A small event (about 60 bytes of data): the shape that stresses per-event overhead most. */
export const smallEvent = (i: number): EventInput => ({
  type: "bench.small",
  source: "eventport.bench",
  data: { seq: i, sku: "sku-0042", qty: 1 },
})

export function* smallEvents(count: number): Generator<EventInput> {
  for (let i = 0; i < count; i++) yield smallEvent(i)
}

export const smallEventArray = (count: number): EventInput[] =>
  Array.from({ length: count }, (_, i) => smallEvent(i))
