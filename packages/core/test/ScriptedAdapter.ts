/**
 * A test adapter made with defineAdapter: records every request, answers from a script.
 * Its send is an Effect, so delays run on the Effect clock (TestClock in it.effect tests).
 */
import { Duration, Effect } from "effect"
import {
  type AdapterLimits,
  type DeliveryError,
  defineAdapter,
  type EncodeResult,
  type Event,
  encoded,
  entryOk,
  type SendResult,
} from "../src/index.ts"

export interface TestEntry {
  readonly id: string
  readonly type: string
  readonly bytes: number
}

export interface SentRequest {
  readonly ids: ReadonlyArray<string>
  readonly attempt: number
  readonly batchKey: string | undefined
  /** Effect clock time when the request started (ms). */
  readonly at: number
}

export interface ScriptedAdapterOptions {
  readonly kind?: string
  readonly limits?: Partial<AdapterLimits>
  /** Answer for one request: per-entry results, or a whole-request error. Default: all ok. */
  readonly answer?: (request: SentRequest, n: number) => SendResult | DeliveryError
  /** How long each request takes on the Effect clock. */
  readonly latencyMs?: number | ((request: SentRequest) => number)
  readonly encode?: (event: Event) => EncodeResult<TestEntry>
}

export const scriptedAdapter = (options: ScriptedAdapterOptions = {}) => {
  const requests: Array<SentRequest> = []
  let closed = 0
  const adapter = defineAdapter<TestEntry>({
    kind: options.kind ?? "scripted",
    limits: { maxEntries: 10, maxRequestBytes: 100_000, maxEntryBytes: 10_000, ...options.limits },
    encode:
      options.encode ??
      ((event) => {
        const bytes = JSON.stringify(event.data ?? null).length + event.type.length
        return encoded({ id: event.id, type: event.type, bytes }, bytes, {
          batchKey: event.extensions?.key as string | undefined,
        })
      }),
    send: (batch) =>
      Effect.gen(function* () {
        const at = yield* Effect.clockWith((clock) => Effect.succeed(clock.currentTimeMillisUnsafe()))
        const request: SentRequest = {
          ids: batch.entries.map((e) => e.id),
          attempt: batch.attempt,
          batchKey: batch.batchKey,
          at,
        }
        const n = requests.length
        requests.push(request)
        const latency =
          typeof options.latencyMs === "function" ? options.latencyMs(request) : (options.latencyMs ?? 0)
        if (latency > 0) yield* Effect.sleep(Duration.millis(latency))
        const answer = options.answer?.(request, n) ?? batch.entries.map((e) => entryOk(`r-${e.id}`))
        if (!Array.isArray(answer)) return yield* Effect.fail(answer as DeliveryError)
        return answer as SendResult
      }),
    close: () => {
      closed++
    },
  })
  return {
    adapter,
    requests,
    get closed() {
      return closed
    },
  }
}

export const events = (n: number, prefix = "e", extra: Partial<{ type: string; data: unknown }> = {}) =>
  Array.from({ length: n }, (_, i) => ({
    id: `${prefix}${i}`,
    type: extra.type ?? "test.event",
    source: "test",
    data: (extra.data ?? { i }) as { i: number },
  }))
