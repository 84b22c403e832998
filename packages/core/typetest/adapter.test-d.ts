/**
 * Type tests (vitest typecheck): what the contract promises at the type level. Run with the core
 * project's tests; they fail the run when an assertion does not hold.
 */
import type { Effect } from "effect"
import { describe, expectTypeOf, it } from "vitest"
import {
  type Adapter,
  type Batch,
  createPublisher,
  type DestinationConfig,
  defineAdapter,
  type Event,
  encoded,
  entryOk,
  type Ordering,
  type PerEvent,
  Publisher,
  type PublisherOptionsError,
  type PublisherShape,
  resolvePerEvent,
  type SendResult,
} from "../src/index.ts"

interface WireEntry {
  readonly Detail: string
  readonly Bus: string
}

const wire = defineAdapter({
  kind: "wire",
  limits: { maxEntries: 10, maxRequestBytes: 1024, maxEntryBytes: 256 },
  encode: (event) => encoded<WireEntry>({ Detail: JSON.stringify(event.data), Bus: "b" }, 10),
  send: async (batch) => batch.entries.map(() => entryOk()),
})

describe("defineAdapter", () => {
  it("infers the entry type from encode", () => {
    expectTypeOf(wire).toEqualTypeOf<Adapter<WireEntry>>()
  })

  it("hands send batches of that entry type", () => {
    defineAdapter({
      kind: "k",
      limits: { maxEntries: 1, maxRequestBytes: 1, maxEntryBytes: 1 },
      encode: () => encoded(42, 2),
      send: (batch) => {
        expectTypeOf(batch).toEqualTypeOf<Batch<number>>()
        expectTypeOf(batch.entries).toEqualTypeOf<ReadonlyArray<number>>()
        return Promise.resolve<SendResult>([])
      },
    })
  })

  it("accepts a Promise- or an Effect-returning send, and nothing else", () => {
    expectTypeOf<Parameters<typeof defineAdapter<string>>[0]["send"]>().returns.toEqualTypeOf<
      PromiseLike<SendResult> | Effect.Effect<SendResult, unknown>
    >()
  })
})

describe("Adapter<Entry>", () => {
  it("is assignable where Adapter<unknown> is expected (a destination record mixes entry types)", () => {
    expectTypeOf(wire).toExtend<Adapter<unknown>>()
    expectTypeOf(wire).toExtend<DestinationConfig>()
    const publisher = createPublisher({ destinations: { wire, other: { adapter: wire, concurrency: 2 } } })
    expectTypeOf(publisher.effect).toEqualTypeOf<PublisherShape>()
  })

  it("is not assignable from a plain object without the brand", () => {
    expectTypeOf({ kind: "x", limits: wire.limits, encode: wire.encode }).not.toExtend<Adapter<unknown>>()
  })
})

describe("PerEvent options", () => {
  it("takes a constant or a function of the event, and resolves to the constant's type", () => {
    expectTypeOf<"orders">().toExtend<PerEvent<string>>()
    expectTypeOf<(event: Event) => string>().toExtend<PerEvent<string>>()
    expectTypeOf<(event: Event) => number>().not.toExtend<PerEvent<string>>()
    expectTypeOf(resolvePerEvent<string>("x", {} as Event)).toEqualTypeOf<string>()
  })
})

describe("ordering", () => {
  it("takes an ordering key from encode and one of three settings per destination", () => {
    expectTypeOf(encoded("e", 1, { orderingKey: "k" }).orderingKey).toEqualTypeOf<string | undefined>()
    expectTypeOf<Ordering>().toEqualTypeOf<"off" | "perKey" | "strict">()
    expectTypeOf({ adapter: wire, ordering: "strict" as const }).toExtend<DestinationConfig>()
    expectTypeOf({ adapter: wire, ordering: "fifo" as const }).not.toExtend<DestinationConfig>()
  })
})

describe("Publisher.make", () => {
  it("fails with a typed PublisherOptionsError for bad options, in its error channel", () => {
    expectTypeOf(Publisher.make({ destinations: { wire } })).toEqualTypeOf<
      Effect.Effect<PublisherShape, PublisherOptionsError, import("effect").Scope.Scope>
    >()
  })
})
