import { afterAll, beforeAll, expect, it } from "vitest"
import { createOutbox, type OutboxStore } from "../src/index.ts"
import { parseAge, runOutboxCli } from "../src/OutboxCli.ts"
import { postgresStore } from "../src/postgres.ts"
import { redisStore } from "../src/redis.ts"
import {
  postgresProblem,
  postgresUrl,
  redisProblem,
  redisUrl,
  runId,
  serverSuite,
} from "./support/TestServers.ts"

const cli = async (args: ReadonlyArray<string>, env: Record<string, string> = {}) => {
  let out = ""
  let err = ""
  const code = await runOutboxCli(args, {
    write: (t) => {
      out += t
    },
    writeError: (t) => {
      err += t
    },
    env,
  })
  return { code, out, err }
}

it("parses ages and refuses what is not one", () => {
  expect([parseAge("7d"), parseAge("12h"), parseAge("30m"), parseAge("45s"), parseAge("250ms")]).toEqual([
    604_800_000, 43_200_000, 1_800_000, 45_000, 250,
  ])
  expect(() => parseAge("soon")).toThrow(/expects an age/)
})

it("without a store it says how to name one, exit code 2", async () => {
  const { code, err } = await cli(["status"])
  expect(code).toBe(2)
  expect(err).toMatch(/no store: pass --postgres URL or --redis URL/)
})

it("a store that does not answer is a clear error without the connection string, exit code 1", async () => {
  const { code, err } = await cli(["status", "--postgres", "postgres://ops:s3cret@127.0.0.1:1/test"])
  expect(code).toBe(1)
  expect(err).toMatch(/^eventport-outbox: postgres outbox store: stats failed: /)
  expect(err).not.toContain("s3cret")
})

const operate = (kind: "postgres" | "redis") => {
  const namespace = kind === "postgres" ? runId("outbox_cli") : `${runId("outbox-cli")}:`
  const connection =
    kind === "postgres"
      ? ["--postgres", postgresUrl, "--schema", namespace]
      : ["--redis", redisUrl, "--prefix", namespace]
  const store: OutboxStore<unknown> = (
    kind === "postgres"
      ? postgresStore({ connectionString: postgresUrl, schema: namespace })
      : redisStore({ url: redisUrl, prefix: namespace })
  ) as OutboxStore<unknown>

  beforeAll(async () => {
    const setup = await cli(["setup", ...connection])
    expect(setup).toMatchObject({ code: 0, out: `${kind} outbox ready\n` })
  })
  afterAll(async () => {
    await store.drop()
    await store.close()
  })

  it("status, dead list, dead show, replay and purge", async () => {
    const outbox = createOutbox({ store, destinations: ["bus", "audit"] })
    await outbox.add([
      { id: "ok", type: "order.created", source: "shop", data: { card: "4111" } },
      { id: "bad", type: "order.created", source: "shop", data: { card: "4111" } },
    ])
    const claimed = await store.claim({ destination: "bus", owner: "ops", limit: 10, leaseMs: 60_000 })
    await store.settle(
      "ops",
      claimed.map((c) =>
        c.eventId === "ok"
          ? {
              kind: "delivered",
              eventId: c.eventId,
              destination: "bus",
              claim: c.claim,
              attempts: 1,
              possibleDuplicate: false,
            }
          : {
              kind: "dead",
              eventId: c.eventId,
              destination: "bus",
              claim: c.claim,
              attempts: 5,
              possibleDuplicate: false,
              error: {
                code: "InvalidRequest",
                retryable: false,
                message: "InvalidRequest (MalformedDetail)",
              },
            },
      ),
    )

    const status = await cli(["status", ...connection])
    expect(status.code).toBe(0)
    const lines = status.out.trim().split("\n")
    expect(lines[0]).toMatch(
      /^destination\s+pending\s+in flight\s+retrying\s+dead\s+delivered\s+oldest pending$/,
    )
    expect(lines[1]).toMatch(/^audit\s+2\s+0\s+0\s+0\s+0\s+\S+$/)
    expect(lines[2]).toMatch(/^bus\s+0\s+0\s+0\s+1\s+1\s+-$/)
    const json = JSON.parse((await cli(["status", "--json", ...connection])).out)
    expect(json.find((s: { destination: string }) => s.destination === "bus")).toMatchObject({
      dead: 1,
      delivered: 1,
    })

    expect((await cli(["dead", "list", "bus", ...connection])).out).toMatch(
      /^bad {2}\S+ {2}InvalidRequest: InvalidRequest \(MalformedDetail\)\n$/,
    )
    const shown = await cli(["dead", "show", "bus", "bad", ...connection])
    expect(shown.code).toBe(0)
    const letter = JSON.parse(shown.out)
    expect(letter).toMatchObject({
      eventId: "bad",
      state: "dead",
      attempts: 5,
      error: { code: "InvalidRequest" },
    })
    expect(letter.event).toMatchObject({ id: "bad", type: "order.created", source: "shop" })
    expect(shown.out).not.toContain("4111")
    expect(
      JSON.parse((await cli(["dead", "show", "bus", "bad", "--with-data", ...connection])).out).event.data,
    ).toEqual({
      card: "4111",
    })
    const notDead = await cli(["dead", "show", "bus", "ok", ...connection])
    expect(notDead).toMatchObject({ code: 1, err: "no dead letter ok for bus (the pair is delivered)\n" })

    expect((await cli(["replay", "bus", ...connection])).out).toBe("1 dead letter of bus pending again\n")
    expect((await store.pair("bus", "bad"))?.state).toBe("pending")

    expect((await cli(["purge", "--older-than", "1h", ...connection])).out).toBe("0 delivered pairs purged\n")
    expect((await cli(["purge", "--older-than", "0ms", ...connection])).out).toBe("1 delivered pair purged\n")
    expect(await store.pair("bus", "ok")).toBeUndefined()
    expect((await cli(["purge", "--older-than", "soon", ...connection])).code).toBe(2)
  })
}

const pgProblem = await postgresProblem()
const rdProblem = await redisProblem()
serverSuite("eventport-outbox on postgres", "PostgreSQL", pgProblem, () => operate("postgres"))
serverSuite("eventport-outbox on redis", "Redis", rdProblem, () => operate("redis"))
