import { deliveryError, type Event, type Outcome } from "@eventport/core"
import { memory } from "@eventport/memory"
import { Effect, Exit, Logger, Metric, Scope } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  type ClaimedPair,
  createOutbox,
  durableRetryCeilingMs,
  makeRelay,
  minLeaseMs,
  OutboxMetrics,
  type OutboxStore,
  OutboxStoreError,
  type RelayOptions,
  settlementFor,
  startRelay,
} from "../src/index.ts"
import { postgresStore } from "../src/postgres.ts"
import { redisStore } from "../src/redis.ts"
import { eventually } from "./support/StoreSuite.ts"
import { postgresProblem, postgresUrl, runId, serverSuite } from "./support/TestServers.ts"

const event: Event = { id: "e1", type: "t", source: "s", time: new Date(0), data: null }
const claimed: ClaimedPair = {
  eventId: "e1",
  destination: "bus",
  event: { id: "e1", body: "{}" },
  claim: 3,
  attempts: 4,
  retries: 2,
  possibleDuplicate: false,
}
const failed = (
  code: Parameters<typeof deliveryError>[0],
  fields: Parameters<typeof deliveryError>[1] = {},
): Outcome => ({
  _tag: "Failed",
  destination: "bus",
  eventId: "e1",
  event,
  error: deliveryError(code, fields),
  attempts: 2,
})

describe("settlement of one claimed pair", () => {
  it("delivered: attempts add up, the receipt and the engine's possible duplicate are kept", () => {
    expect(
      settlementFor(
        claimed,
        {
          _tag: "Delivered",
          destination: "bus",
          eventId: "e1",
          event,
          attempts: 2,
          receipt: "r-1",
          possibleDuplicate: true,
        },
        0.5,
      ),
    ).toEqual({
      kind: "delivered",
      eventId: "e1",
      destination: "bus",
      claim: 3,
      attempts: 6,
      possibleDuplicate: true,
      receipt: "r-1",
    })
  })

  it("rejected: a dead letter naming the violations, never retried", () => {
    const s = settlementFor(
      claimed,
      {
        _tag: "Rejected",
        destination: "bus",
        eventId: "e1",
        event,
        violations: [{ field: "data", rule: "maxBytes", message: "too big" }],
        message: "event e1 rejected for bus: data too big (maxBytes)",
      },
      0.5,
    )
    expect(s).toMatchObject({
      kind: "dead",
      attempts: 4,
      error: { code: "Rejected", retryable: false, violations: [{ field: "data" }] },
    })
  })

  it("retryable failure: a durable retry with the count persisted; outcome unknown marks a possible duplicate", () => {
    expect(
      settlementFor(claimed, failed("Throttled"), 0.5, { baseDelayMs: 100, maxDelayMs: 10_000 }),
    ).toMatchObject({
      kind: "retry",
      attempts: 6,
      retries: 3,
      delayMs: 200,
      possibleDuplicate: false,
      error: { code: "Throttled", retryable: true },
    })
    expect(settlementFor(claimed, failed("Timeout", { outcomeUnknown: true }), 0)).toMatchObject({
      kind: "retry",
      possibleDuplicate: true,
    })
    expect(settlementFor(claimed, failed("RetryBudgetExhausted"), 0)).toMatchObject({
      kind: "retry",
      retries: 3,
    })
  })

  it("non-retryable failure or retries used up: a dead letter", () => {
    expect(settlementFor(claimed, failed("AccessDenied"), 0)).toMatchObject({
      kind: "dead",
      error: { code: "AccessDenied" },
    })
    expect(settlementFor(claimed, failed("Unavailable"), 0, { maxRetries: 2 })).toMatchObject({
      kind: "dead",
      attempts: 6,
    })
  })

  it("no outcome, or the engine closed: back to due now, no retry counted", () => {
    expect(settlementFor(claimed, undefined, 0.9)).toMatchObject({
      kind: "retry",
      delayMs: 0,
      retries: 2,
      attempts: 4,
    })
    expect(settlementFor(claimed, failed("Closed"), 0.9)).toMatchObject({
      kind: "retry",
      delayMs: 0,
      retries: 2,
    })
  })

  it("every durable retry waits within [0, min(max, base × 2^(n−1))), and the ceiling never shrinks", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 200 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        (retries, random, baseDelayMs, maxDelayMs) => {
          const options = { baseDelayMs, maxDelayMs, maxRetries: 1_000 }
          const s = settlementFor({ ...claimed, retries }, failed("Unavailable"), random, options)
          if (s.kind !== "retry") return false
          const ceiling = durableRetryCeilingMs(retries + 1, options)
          return (
            s.delayMs >= 0 &&
            s.delayMs <= ceiling &&
            ceiling <= Math.max(maxDelayMs, 0) &&
            durableRetryCeilingMs(retries + 2, options) >= ceiling
          )
        },
      ),
    )
  })
})

const problem = await postgresProblem()

/**
 * Runs a relay with `options` until `done` holds, capturing the lines it logs; then stops it and
 * drops and closes `real`, the PostgreSQL store the test's wrapper (`options.store`) stands for.
 */
const runRelayLogged = async (
  real: OutboxStore<unknown>,
  options: RelayOptions,
  done: () => Promise<boolean>,
  what: string,
): Promise<Array<string>> => {
  const lines: Array<string> = []
  const capture = Logger.make(({ message }) => {
    lines.push((Array.isArray(message) ? message : [message]).join(" "))
  })
  const scope = Scope.makeUnsafe()
  try {
    await Effect.runPromise(
      Scope.provide(scope)(makeRelay(options)).pipe(Effect.provide(Logger.layer([capture]))),
    )
    await eventually(done, what)
  } finally {
    await Effect.runPromise(Scope.close(scope, Exit.void))
    await real.drop()
    await real.close()
  }
  return lines
}

describe("relay options", () => {
  /** A store no relay here reaches: each case is refused before the relay starts. */
  const untouched = new Proxy({} as OutboxStore<unknown>, {
    get: (_target, key) => {
      if (key === "then") return undefined
      throw new Error(`the store was used (${String(key)})`)
    },
  })
  const start = (options: Partial<RelayOptions>) =>
    startRelay({ store: untouched, destinations: { bus: memory() }, ...options })

  it.each([
    [
      { leaseMs: 99 },
      "leaseMs must be a number of milliseconds from 100 (the relay renews a claim every third of it), got 99",
    ],
    [
      { leaseMs: 0.001 },
      "leaseMs must be a number of milliseconds from 100 (the relay renews a claim every third of it), got 0.001",
    ],
    [
      { leaseMs: Number.NaN },
      "leaseMs must be a number of milliseconds from 100 (the relay renews a claim every third of it), got NaN",
    ],
    [{ statsIntervalMs: -1 }, "statsIntervalMs must be 0 (off) or a positive number, got -1"],
    [
      { statsIntervalMs: Number.POSITIVE_INFINITY },
      "statsIntervalMs must be 0 (off) or a positive number, got Infinity",
    ],
    [{ pollIntervalMs: 0 }, "pollIntervalMs must be a positive number, got 0"],
    [{ batchSize: -2 }, "batchSize must be a positive number, got -2"],
  ])("refuses %o with a RangeError naming the option", (options, message) => {
    expect(() => start(options)).toThrow(new RangeError(`outbox relay: ${message}`))
  })

  it.each([
    [{ leaseMS: 1000 }, "leaseMS is not an option, did you mean leaseMs?"],
    [{ reconnect: { maxDelay: 5 } }, "reconnect.maxDelay is not an option, did you mean maxDelayMs?"],
    [{ retry: { maxRetry: 5 } }, "retry.maxRetry is not an option, did you mean maxRetries?"],
  ])("refuses %o with a TypeError naming the name that is not an option", (options, message) => {
    expect(() => start(options as Partial<RelayOptions>)).toThrow(
      new TypeError(`outbox relay: option ${message} (optionName)`),
    )
  })

  it("refuses misnamed options of the stores and the outbox, before connecting to anything", () => {
    expect(() => postgresStore({ connectionString: "postgres://unused", shema: "x" } as never)).toThrow(
      new TypeError("postgresStore: option shema is not an option, did you mean schema? (optionName)"),
    )
    expect(() => redisStore({ url: "redis://unused", prefx: "x:" } as never)).toThrow(
      new TypeError("redisStore: option prefx is not an option, did you mean prefix? (optionName)"),
    )
    expect(() =>
      createOutbox({ store: untouched, destinations: ["bus"], destination: ["bus"] } as never),
    ).toThrow(
      new TypeError(
        "createOutbox: option destination is not an option, did you mean destinations? (optionName)",
      ),
    )
  })

  it("add refuses a misspelt transaction before storing anything: it would store outside the caller's transaction", async () => {
    // `untouched` throws if the store is used at all.
    const outbox = createOutbox({ store: untouched, destinations: ["bus"] })
    await expect(
      outbox.add([{ type: "t", source: "s", data: 1 }], { transacton: {} } as never),
    ).rejects.toThrow(
      new TypeError("outbox.add: option transacton is not an option, did you mean transaction? (optionName)"),
    )
  })

  it("takes a lease of exactly minLeaseMs, and claims with it", async () => {
    expect(minLeaseMs).toBe(100)
    const leases: Array<number> = []
    const store = {
      kind: "test",
      claim: async (request: { readonly leaseMs: number }) => {
        leases.push(request.leaseMs)
        return []
      },
    } as unknown as OutboxStore<unknown>
    const relay = startRelay({
      store,
      destinations: { bus: memory() },
      leaseMs: minLeaseMs,
      statsIntervalMs: 0,
    })
    await eventually(async () => leases.length > 0, "a claim")
    await relay.stop()
    expect(leases[0]).toBe(minLeaseMs)
  })
})

serverSuite("relay and a store that goes away", "PostgreSQL", problem, () => {
  it("retries the store with backoff, says so once and once more when it answers, then delivers", async () => {
    const store = postgresStore({ connectionString: postgresUrl, schema: runId("outbox_relay") })
    await store.setup()
    let failures = 25
    const flaky: OutboxStore<unknown> = {
      ...(store as OutboxStore<unknown>),
      claim: (request) =>
        failures-- > 0
          ? Promise.reject(
              new OutboxStoreError("postgres", "claim", new Error("connect ECONNREFUSED 127.0.0.1:5432")),
            )
          : store.claim(request),
    }
    await createOutbox({ store, destinations: ["bus"] }).add([
      { id: "a", type: "t", source: "s", data: null },
    ])
    const lines = await runRelayLogged(
      store as OutboxStore<unknown>,
      {
        store: flaky,
        destinations: { bus: memory() },
        pollIntervalMs: 5,
        reconnect: { baseDelayMs: 1, maxDelayMs: 5 },
        statsIntervalMs: 0,
      },
      async () => (await store.pair("bus", "a"))?.state === "delivered",
      "delivered",
    )
    expect(failures).toBeLessThan(0)
    expect(lines).toHaveLength(2)
    expect(lines[0]).toMatch(
      /outbox relay relay-\S+: postgres outbox store: claim failed: connect ECONNREFUSED .*retrying with backoff/,
    )
    expect(lines[1]).toMatch(/the postgres store answers again/)
  })
})

serverSuite("relay metrics", "PostgreSQL", problem, () => {
  it("feed the store's counts per destination into the outbox gauges", async () => {
    const store = postgresStore({ connectionString: postgresUrl, schema: runId("outbox_metrics") })
    await store.setup()
    const destination = `metrics-${runId("d")}`
    const stuck = memory()
    stuck.faults.failEvents(() => true, { code: "AccessDenied" })
    const scope = Scope.makeUnsafe()
    const gauge = (metric: typeof OutboxMetrics.pending) =>
      Effect.runPromise(Metric.value(Metric.withAttributes(metric, { destination })))
    try {
      await createOutbox({ store, destinations: [destination] }).add([
        { id: "a", type: "t", source: "s", data: null },
        { id: "b", type: "t", source: "s", data: null },
      ])
      await Effect.runPromise(
        Scope.provide(scope)(
          makeRelay({
            store,
            destinations: { [destination]: stuck },
            pollIntervalMs: 5,
            statsIntervalMs: 10,
            engineRetry: { maxAttempts: 1 },
          }),
        ),
      )
      await eventually(
        async () => (await gauge(OutboxMetrics.dead)).value === 2,
        "the dead gauge shows both pairs",
      )
      expect((await gauge(OutboxMetrics.pending)).value).toBe(0)
      expect((await gauge(OutboxMetrics.oldestPendingAge)).value).toBe(0)
    } finally {
      await Effect.runPromise(Scope.close(scope, Exit.void))
      await store.drop()
      await store.close()
    }
  })
})

serverSuite("relay lease renewal", "PostgreSQL", problem, () => {
  it("says once when a renewal finds the lease lost, naming how many pairs and the destination", async () => {
    const store = postgresStore({ connectionString: postgresUrl, schema: runId("outbox_renew") })
    await store.setup()
    let renewals = 0
    // As if another relay had claimed both pairs after the lease ran out: no renewal holds.
    const lost: OutboxStore<unknown> = {
      ...(store as OutboxStore<unknown>),
      renew: async () => {
        renewals++
        return 0
      },
    }
    const destination = memory()
    destination.faults.latency(400)
    await createOutbox({ store, destinations: ["bus"] }).add([
      { id: "a", type: "t", source: "s", data: null },
      { id: "b", type: "t", source: "s", data: null },
    ])
    const lines = await runRelayLogged(
      store as OutboxStore<unknown>,
      {
        store: lost,
        destinations: { bus: destination },
        leaseMs: 150,
        requestTimeoutMs: 5_000,
        pollIntervalMs: 5,
        statsIntervalMs: 0,
      },
      async () => (await store.pair("bus", "a"))?.state === "delivered",
      "delivered",
    )
    expect(renewals).toBeGreaterThanOrEqual(2)
    expect(lines).toEqual([
      expect.stringMatching(
        /^outbox relay relay-\S+: lost the lease of 2 pair\(s\) of bus while publishing them .*possibleDuplicate$/,
      ),
    ])
  })
})

serverSuite("relay close", "PostgreSQL", problem, () => {
  /**
   * Starts a relay whose store holds each `claim` back by `hold` first, closes the relay's scope
   * once a claim is in flight, and returns the claim calls counted at that moment.
   */
  const closeWhileClaiming = async (hold: () => Promise<void>, leaseMs: number) => {
    const store = postgresStore({ connectionString: postgresUrl, schema: runId("outbox_close") })
    await store.setup()
    const calls = { started: 0, inFlight: 0 }
    const held: OutboxStore<unknown> = {
      ...(store as OutboxStore<unknown>),
      claim: async (request) => {
        calls.started++
        calls.inFlight++
        try {
          await hold()
          return await store.claim(request)
        } finally {
          calls.inFlight--
        }
      },
    }
    const scope = Scope.makeUnsafe()
    try {
      await Effect.runPromise(
        Scope.provide(scope)(
          makeRelay({
            store: held,
            destinations: { bus: memory() },
            leaseMs,
            pollIntervalMs: 5,
            statsIntervalMs: 0,
          }),
        ),
      )
      await eventually(async () => calls.inFlight === 1, "a claim is in flight")
      await Effect.runPromise(Scope.close(scope, Exit.void))
      return { ...calls }
    } finally {
      await Effect.runPromise(Scope.close(scope, Exit.void))
      await store.drop()
      await store.close()
    }
  }

  it("waits for the store call it has in flight, so nothing of the relay runs against the store after", async () => {
    const calls = await closeWhileClaiming(() => Effect.runPromise(Effect.sleep(300)), 10_000)
    // Without the wait, the claim's query was still running here (and deadlocked a DROP SCHEMA).
    expect(calls).toEqual({ started: 1, inFlight: 0 })
  })

  it("does not hang on a store call that never answers: it waits at most the lease", async () => {
    const calls = await closeWhileClaiming(() => new Promise<void>(() => {}), 200)
    expect(calls).toEqual({ started: 1, inFlight: 1 })
  })
})
