/**
 * Spans and latency of Promise sends: a span per request when a tracer is installed, none when
 * only Effect's native tracer is (nobody could see it), and the latency metric either way.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Metric, Tracer } from "effect"
import { defineAdapter, encoded, entryOk, Metrics, Publisher } from "../src/index.ts"
import { events } from "./ScriptedAdapter.ts"

const promiseAdapter = (kind: string) => {
  let requests = 0
  const adapter = defineAdapter<string>({
    kind,
    limits: { maxEntries: 2, maxRequestBytes: 100_000, maxEntryBytes: 10_000 },
    encode: (event) => encoded(event.id, event.id.length),
    send: async (batch) => {
      requests++
      return batch.entries.map((id) => entryOk(`r-${id}`))
    },
  })
  return {
    adapter,
    get requests() {
      return requests
    },
  }
}

const publishFour = (adapter: ReturnType<typeof promiseAdapter>["adapter"]) =>
  Effect.scoped(
    Layer.build(Publisher.layer({ destinations: { timed: adapter } })).pipe(
      Effect.flatMap((context) => Publisher.use((p) => p.publish(events(4))).pipe(Effect.provide(context))),
    ),
  )

const requestCount = (kind: string) =>
  Effect.map(
    Metric.value(Metric.withAttributes(Metrics.requestDuration, { destination: "timed", kind })),
    (state) => state.count,
  )

describe("Promise sends: spans and latency", () => {
  it.effect("with a tracer installed, each request has its span with its attributes", () =>
    Effect.gen(function* () {
      const spans: Array<Tracer.Span> = []
      const tracer = Tracer.make({
        span: (options) => {
          const span = Tracer.nativeTracer.span(options)
          spans.push(span)
          return span
        },
      })
      const a = promiseAdapter("span-traced")
      const result = yield* publishFour(a.adapter).pipe(Effect.withTracer(tracer))
      assert.strictEqual(result.delivered, 4)
      const sends = spans.filter((s) => s.name === Metrics.sendSpanName)
      assert.strictEqual(sends.length, a.requests)
      assert.strictEqual(a.requests, 2)
      for (const span of sends) {
        assert.strictEqual(span.attributes.get("destination"), "timed")
        assert.strictEqual(span.attributes.get("kind"), "span-traced")
        assert.strictEqual(span.attributes.get("entries"), 2)
        assert.strictEqual(span.attributes.get("attempt"), 1)
        assert.strictEqual(span.status._tag, "Ended")
      }
      assert.strictEqual(yield* requestCount("span-traced"), 2)
    }),
  )

  it.effect("without a tracing backend, the latency of each request is still recorded", () =>
    Effect.gen(function* () {
      const a = promiseAdapter("span-untraced")
      const result = yield* publishFour(a.adapter)
      assert.strictEqual(result.delivered, 4)
      assert.strictEqual(a.requests, 2)
      assert.strictEqual(yield* requestCount("span-untraced"), 2)
    }),
  )
})
