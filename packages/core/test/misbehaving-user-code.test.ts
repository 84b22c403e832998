/**
 * Issue 11, items 1–3: whatever user code does (inputs with throwing getters and proxies,
 * iterables that throw, adapters whose send or encode misbehaves), the engine turns it into
 * outcomes for the pairs it concerns, names the event and the cause, and carries on. Every publish
 * here settles on its own: none needs `close()` to end (a hang fails the test by its timeout).
 */
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import {
  type Adapter,
  type Batch,
  createPublisher,
  defineAdapter,
  deliveryError,
  type EncodeResult,
  type Event,
  type EventInput,
  encoded,
  entryOk,
  type Outcome,
  PublishInputError,
  type SendResult,
} from "../src/index.ts"

/** A destination that keeps what it is sent, as the memory adapter does, made here to stay inside core. */
const keeping = (kind = "keeping") => {
  const held: Array<string> = []
  const adapter = defineAdapter<{ readonly id: string }>({
    kind,
    limits: { maxEntries: 10, maxRequestBytes: 100_000, maxEntryBytes: 10_000 },
    encode: (event) => encoded({ id: event.id }, 10),
    send: async (batch) => {
      for (const e of batch.entries) held.push(e.id)
      return batch.entries.map(() => entryOk())
    },
  })
  return { adapter, held }
}

/** An adapter whose send answers with `send`'s value (for misbehaviour the types forbid). */
const broken = (kind: string, send: (batch: Batch<{ readonly id: string }>) => unknown) =>
  defineAdapter<{ readonly id: string }>({
    kind,
    limits: { maxEntries: 10, maxRequestBytes: 100_000, maxEntryBytes: 10_000 },
    encode: (event) => encoded({ id: event.id }, 10),
    send: send as (batch: Batch<{ readonly id: string }>) => Promise<SendResult>,
  })

const valid = (n: number, prefix = "ok") =>
  Array.from({ length: n }, (_, i) => ({ id: `${prefix}-${i}`, type: "t", source: "s", data: { i } }))

const throwingGetterInput = () =>
  Object.defineProperty({ id: "getter", type: "t", source: "s" }, "data", {
    enumerable: true,
    get() {
      throw new TypeError("data getter exploded")
    },
  })

const throwingProxyInput = () =>
  new Proxy(
    {},
    {
      get() {
        throw new Error("proxy exploded")
      },
      getPrototypeOf() {
        throw new Error("proxy exploded")
      },
    },
  )

const fast = { retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2, budget: false as const } }

describe("inputs with throwing getters and proxies (item 1)", () => {
  it("publish: the hostile inputs are Rejected naming the event and the cause, the rest delivered", async () => {
    const memory = keeping()
    const publisher = createPublisher({ destinations: { memory: memory.adapter }, ...fast })
    const inputs = [...valid(2, "a"), throwingGetterInput(), throwingProxyInput(), ...valid(2, "b")]
    const result = await publisher.publish(inputs as Array<EventInput>)
    await publisher.close()
    expect(memory.held.sort()).toEqual(["a-0", "a-1", "b-0", "b-1"])
    const rejected = result.outcomes.filter((o) => o._tag === "Rejected")
    expect(rejected.map((o) => o.eventId)).toEqual(["getter", "input[3]"])
    expect(rejected[0]!.message).toContain("event getter rejected")
    expect(rejected[0]!.message).toContain("data reading it threw TypeError: data getter exploded (access)")
    expect(rejected[1]!.message).toContain("event input[3] rejected")
    expect(result.counts.memory).toMatchObject({ delivered: 4, rejected: 2, failed: 0 })
  })

  it("enqueue: the buffered producer survives a hostile event; before and after deliver, flush and close report right", async () => {
    const memory = keeping()
    const publisher = createPublisher({ destinations: { memory: memory.adapter }, ...fast })
    for (const input of valid(3, "before")) await publisher.enqueue(input)
    await publisher.enqueue(throwingGetterInput() as never)
    await publisher.enqueue(throwingProxyInput() as never)
    for (const input of valid(3, "after")) await publisher.enqueue(input)
    const flushed = await publisher.flush()
    expect(flushed.counts.memory).toMatchObject({ delivered: 6, rejected: 2 })
    for (const input of valid(2, "later")) await publisher.enqueue(input)
    const closed = await publisher.close()
    expect(closed.counts.memory).toMatchObject({ delivered: 2, rejected: 0, failed: 0 })
    expect(closed.unread).toBe(0)
    expect(memory.held).toHaveLength(8)
  })
})

describe("a sync iterable that throws (item 2)", () => {
  it("delivers the events read, then fails with PublishInputError, as the async path does", async () => {
    for (const shape of ["sync", "async"] as const) {
      const memory = keeping()
      const seen: Array<Outcome> = []
      const publisher = createPublisher({
        destinations: { memory: memory.adapter },
        onOutcome: (o) => seen.push(o),
        ...fast,
      })
      const events = valid(5, shape)
      function* sync() {
        yield* events
        throw new Error("the source broke")
      }
      async function* async() {
        yield* events
        throw new Error("the source broke")
      }
      const error = await publisher.publish(shape === "sync" ? sync() : async()).then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(error).toBeInstanceOf(PublishInputError)
      expect((error as PublishInputError).message).toMatch(/iterable given to publish threw/)
      await publisher.close()
      expect(memory.held.sort()).toEqual(events.map((e) => e.id))
      expect(seen.map((o) => o._tag)).toEqual(Array(5).fill("Delivered"))
    }
  })

  it("an iterable whose iterator cannot even be made fails with PublishInputError, nothing taken", async () => {
    const memory = keeping()
    const publisher = createPublisher({ destinations: { memory: memory.adapter }, ...fast })
    const hostile = {
      [Symbol.iterator]() {
        throw new Error("no iterator")
      },
    }
    await expect(publisher.publish(hostile)).rejects.toBeInstanceOf(PublishInputError)
    await publisher.close()
    expect(memory.held).toEqual([])
  })
})

/** Misbehaving sends, each to end Failed/Unknown, not retryable, naming the adapter and what was wrong. */
const misbehaving: ReadonlyArray<
  readonly [string, (batch: Batch<{ readonly id: string }>) => unknown, RegExp]
> = [
  [
    "result-without-error",
    async (b) => b.entries.map(() => ({ ok: false, status: 400 })),
    /result [01] is \{ ok: false \} without a DeliveryError error/,
  ],
  [
    "resolves-undefined",
    async () => undefined,
    /send resolved to undefined instead of an array of 2 results/,
  ],
  ["resolves-nulls", async (b) => b.entries.map(() => null), /result [01] is null/],
  [
    "resolves-object",
    async () => ({ results: [] }),
    /send resolved to an object that is not a DeliveryError/,
  ],
  ["effect-die", () => Effect.die(new Error("boom")), /send died with Error: boom/],
  [
    "effect-sync-throw",
    () =>
      Effect.sync(() => {
        throw new RangeError("bad index")
      }),
    /send died with RangeError: bad index/,
  ],
  [
    "effect-map-throw",
    () =>
      Effect.succeed([]).pipe(
        Effect.map((): SendResult => {
          throw new TypeError("mapped wrong")
        }),
      ),
    /send died with TypeError: mapped wrong/,
  ],
]

describe("a custom adapter whose send misbehaves (item 3)", () => {
  for (const [kind, send, reason] of misbehaving)
    it(`${kind}: Failed Unknown, not retryable, naming the adapter; its neighbour delivers everything`, async () => {
      const memory = keeping()
      const publisher = createPublisher({
        destinations: { memory: memory.adapter, buggy: broken(kind, send) },
        ...fast,
      })
      const result = await publisher.publish(valid(2))
      await publisher.close()
      expect(memory.held).toHaveLength(2)
      const failed = result.forDestination("buggy")
      expect(failed).toHaveLength(2)
      for (const o of failed) {
        expect(o._tag).toBe("Failed")
        if (o._tag !== "Failed") continue
        expect(o.error).toMatchObject({ code: "Unknown", retryable: false })
        expect(o.error.message).toContain(`adapter ${kind} bug`)
        expect(o.error.message).toMatch(reason)
        expect(o.attempts).toBe(1)
      }
    })

  it("a send that never settles (Promise, Effect, even uninterruptible) ends Timeout: no request outlives its timeout", async () => {
    for (const send of [
      () => new Promise(() => {}),
      () => Effect.never,
      () => Effect.uninterruptible(Effect.never),
    ]) {
      const memory = keeping()
      const publisher = createPublisher({
        // Only the stuck destination's timeout is short: on a busy machine a healthy request can take
        // 20 ms too, and its retry would hold the event twice.
        destinations: {
          memory: memory.adapter,
          stuck: { adapter: broken("stuck", send), requestTimeoutMs: 20 },
        },
        ...fast,
      })
      const result = await publisher.publish(valid(3))
      await publisher.close()
      expect(memory.held).toHaveLength(3)
      for (const o of result.forDestination("stuck"))
        expect(o).toMatchObject({ _tag: "Failed", error: { code: "Timeout" }, attempts: 2 })
    }
  })

  it("a classifyError that throws or returns something else is named, not a hang", async () => {
    for (const classifyError of [
      () => {
        throw new Error("classifier broke")
      },
      () => "not an error" as never,
    ]) {
      const adapter = defineAdapter<{ readonly id: string }>({
        kind: "classify",
        limits: { maxEntries: 10, maxRequestBytes: 100_000, maxEntryBytes: 10_000 },
        encode: (event) => encoded({ id: event.id }, 10),
        send: async () => {
          throw new Error("network down")
        },
        classifyError,
      })
      const publisher = createPublisher({ destinations: { d: adapter }, ...fast })
      const result = await publisher.publish(valid(1))
      await publisher.close()
      expect(result.outcomes[0]).toMatchObject({
        _tag: "Failed",
        error: { code: "Unknown", retryable: false },
      })
      expect((result.outcomes[0] as { error: Error }).error.message).toMatch(
        /adapter classify bug: classifyError/,
      )
    }
  })

  it("an encode that returns garbage fails that pair naming the adapter", async () => {
    for (const garbage of [
      undefined,
      null,
      { _tag: "Encoded", bytes: Number.NaN },
      { _tag: "Rejected" },
      42,
    ]) {
      const adapter = defineAdapter<{ readonly id: string }>({
        kind: "garbage",
        limits: { maxEntries: 10, maxRequestBytes: 100_000, maxEntryBytes: 10_000 },
        encode: (() => garbage) as unknown as (event: Event) => EncodeResult<{ readonly id: string }>,
        send: async (b) => b.entries.map(() => entryOk()),
      })
      const publisher = createPublisher({ destinations: { d: adapter as Adapter<unknown> }, ...fast })
      const result = await publisher.publish(valid(2))
      await publisher.close()
      expect(result.outcomes).toHaveLength(2)
      for (const o of result.outcomes) {
        expect(o).toMatchObject({ _tag: "Failed", error: { code: "Unknown", retryable: false } })
        expect((o as { error: Error }).error.message).toMatch(/adapter garbage bug: encode returned/)
      }
    }
  })

  it("a whole-request DeliveryError is still retried and kept as it is", async () => {
    let calls = 0
    const adapter = broken("flaky", async (b) => {
      calls++
      if (calls === 1) throw deliveryError("Unavailable", { rawCode: "503" })
      return b.entries.map(() => entryOk())
    })
    const publisher = createPublisher({ destinations: { d: adapter }, ...fast })
    const result = await publisher.publish(valid(2))
    await publisher.close()
    expect(result.outcomes.map((o) => o._tag)).toEqual(["Delivered", "Delivered"])
  })
})
