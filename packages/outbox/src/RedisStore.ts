/**
 * The Redis store. Each operation is one Lua script, so it runs atomically on the server, with the
 * server's clock (`TIME`). Per destination, a sorted set of due pairs (score: next due time, which
 * a claim moves to the lease end) gives batch claims without a consumer group's per-message
 * bookkeeping; hashes hold each pair's state. Keys of one store share a prefix.
 *
 * Durability is Redis's: with `appendonly yes` and `appendfsync always` an acknowledged write
 * survives a Redis crash; with the defaults (snapshots, or no persistence) it does not.
 */

import { checkOptionNames, type OptionNames } from "@eventport/core"
import type { ChainableCommander, Redis as RedisClient } from "ioredis"
import { Redis } from "ioredis"
import {
  type ClaimedPair,
  type DestinationStats,
  type OutboxStore,
  type PairError,
  type PairRecord,
  type PairSettlement,
  type PairState,
  storeOperation,
} from "./OutboxStore.ts"

export interface RedisStoreOptions {
  /** A client the caller owns (never closed by the store). */
  readonly client?: RedisClient
  /** Or a URL (`redis://127.0.0.1:6379/0`); the store then owns its client. */
  readonly url?: string
  /** Prefix of every key. Default `eventport:outbox:`. */
  readonly prefix?: string
}

/** Every option's name, held to {@link RedisStoreOptions} by the compiler: the store refuses any other. */
const redisStoreOptionNames = {
  client: true,
  url: true,
  prefix: true,
} as const satisfies OptionNames<RedisStoreOptions>

const prefixPattern = /^[A-Za-z0-9:_.-]{1,100}$/

// Shared Lua: the current time in ms, and key names. A destination name is written with its length
// first so that no destination and event id pair can spell another's key.
const lua = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local P = ARGV[1]
local function pk(d, id) return P .. 'pr:' .. #d .. ':' .. d .. ':' .. id end
local function k(name, d) return P .. name .. ':' .. d end
`

/** ARGV: prefix, destination count, destinations…, then id and body of each event. */
const addScript = `${lua}
local nd = tonumber(ARGV[2])
for i = 3 + nd, #ARGV, 2 do
  local id = ARGV[i]
  local ek = P .. 'ev:' .. id
  if redis.call('HSETNX', ek, 'body', ARGV[i + 1]) == 1 then
    redis.call('HSET', ek, 'addedAt', now, 'pairs', nd)
    for j = 3, 2 + nd do
      local d = ARGV[j]
      redis.call('SADD', P .. 'destinations', d)
      redis.call('HSET', pk(d, id), 'state', 'pending', 'addedAt', now, 'next', now,
        'claims', 0, 'attempts', 0, 'retries', 0, 'dup', 0)
      redis.call('ZADD', k('due', d), now, id)
      redis.call('ZADD', k('pending', d), now, id)
    end
  end
end
return 1`

/**
 * ARGV: prefix, destination, owner, limit, lease ms. A pair still held by an earlier owner (its
 * lease ran out unsettled) may have been sent: it is marked a possible duplicate.
 */
const claimScript = `${lua}
local d, owner = ARGV[2], ARGV[3]
local limit, lease = tonumber(ARGV[4]), tonumber(ARGV[5])
local untilMs = now + lease
local out = {}
local ids = redis.call('ZRANGEBYSCORE', k('due', d), '-inf', now, 'LIMIT', 0, limit)
for _, id in ipairs(ids) do
  local key = pk(d, id)
  local f = redis.call('HMGET', key, 'state', 'owner', 'claims', 'attempts', 'retries', 'dup')
  if f[1] ~= 'pending' then
    redis.call('ZREM', k('due', d), id)
  else
    local dup = f[6]
    if f[2] and f[2] ~= '' then dup = '1' end
    local claims = tonumber(f[3]) + 1
    redis.call('HSET', key, 'owner', owner, 'leaseUntil', untilMs, 'next', untilMs, 'claims', claims, 'dup', dup)
    redis.call('ZADD', k('due', d), untilMs, id)
    redis.call('ZADD', k('leased', d), untilMs, id)
    local body = redis.call('HGET', P .. 'ev:' .. id, 'body')
    out[#out + 1] = { id, body, claims, tonumber(f[4]), tonumber(f[5]), dup }
  end
end
return out`

/** ARGV: prefix, owner, lease ms, then destination, id and claim of each lease. Fenced as settle is. */
const renewScript = `${lua}
local owner = ARGV[2]
local untilMs = now + tonumber(ARGV[3])
local renewed = 0
for i = 4, #ARGV, 3 do
  local d, id, claim = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local key = pk(d, id)
  local f = redis.call('HMGET', key, 'state', 'owner', 'claims')
  if f[1] == 'pending' and f[2] == owner and f[3] == claim then
    renewed = renewed + 1
    redis.call('HSET', key, 'leaseUntil', untilMs, 'next', untilMs)
    redis.call('ZADD', k('due', d), untilMs, id)
    redis.call('ZADD', k('leased', d), untilMs, id)
  end
end
return renewed`

/** ARGV: prefix, owner, then 10 fields per settlement (see settlementArgs). */
const settleScript = `${lua}
local owner = ARGV[2]
local applied = 0
for i = 3, #ARGV, 10 do
  local d, id, claim, kind = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  local key = pk(d, id)
  local f = redis.call('HMGET', key, 'state', 'owner', 'claims', 'dup')
  if f[1] == 'pending' and f[2] == owner and f[3] == claim then
    applied = applied + 1
    local dup = '0'
    if f[4] == '1' or ARGV[i + 5] == '1' then dup = '1' end
    redis.call('HSET', key, 'attempts', ARGV[i + 4], 'dup', dup, 'owner', '', 'leaseUntil', '')
    redis.call('ZREM', k('leased', d), id)
    if kind == 'retry' then
      local nextMs = now + tonumber(ARGV[i + 7])
      local retries = tonumber(ARGV[i + 8])
      redis.call('HSET', key, 'next', nextMs, 'retries', retries, 'error', ARGV[i + 9])
      redis.call('ZADD', k('due', d), nextMs, id)
      if retries > 0 then redis.call('SADD', k('retrying', d), id) end
    else
      redis.call('ZREM', k('due', d), id)
      redis.call('ZREM', k('pending', d), id)
      redis.call('SREM', k('retrying', d), id)
      redis.call('HSET', key, 'state', kind, 'settledAt', now)
      if kind == 'delivered' then
        if ARGV[i + 6] ~= '' then redis.call('HSET', key, 'receipt', ARGV[i + 6]) end
        redis.call('ZADD', k('delivered', d), now, id)
      else
        redis.call('HSET', key, 'error', ARGV[i + 9])
        redis.call('ZADD', k('dead', d), now, id)
      end
    end
  end
end
return applied`

/** ARGV: prefix. Per destination: name, pending, in flight, retrying, delivered, dead, oldest age. */
const statsScript = `${lua}
local out = {}
local names = redis.call('SMEMBERS', P .. 'destinations')
table.sort(names)
for _, d in ipairs(names) do
  local retrying = 0
  for _, id in ipairs(redis.call('SMEMBERS', k('retrying', d))) do
    local leased = redis.call('ZSCORE', k('leased', d), id)
    if not leased or tonumber(leased) <= now then retrying = retrying + 1 end
  end
  local oldest = redis.call('ZRANGE', k('pending', d), 0, 0, 'WITHSCORES')
  local age = 0
  if oldest[2] then age = now - tonumber(oldest[2]) end
  out[#out + 1] = { d, redis.call('ZCARD', k('pending', d)),
    redis.call('ZCOUNT', k('leased', d), '(' .. now, '+inf'), retrying,
    redis.call('ZCARD', k('delivered', d)), redis.call('ZCARD', k('dead', d)), age }
end
return out`

/** ARGV: prefix, destination, then event ids (none: every dead pair of the destination). */
const replayScript = `${lua}
local d = ARGV[2]
local ids = {}
if #ARGV > 2 then
  for i = 3, #ARGV do ids[#ids + 1] = ARGV[i] end
else
  ids = redis.call('ZRANGE', k('dead', d), 0, -1)
end
local n = 0
for _, id in ipairs(ids) do
  local key = pk(d, id)
  if redis.call('HGET', key, 'state') == 'dead' then
    n = n + 1
    redis.call('HSET', key, 'state', 'pending', 'retries', 0, 'next', now, 'settledAt', '', 'owner', '', 'leaseUntil', '')
    redis.call('ZREM', k('dead', d), id)
    redis.call('ZADD', k('due', d), now, id)
    redis.call('ZADD', k('pending', d), tonumber(redis.call('HGET', key, 'addedAt')), id)
    redis.call('SREM', k('retrying', d), id)
  end
end
return n`

/** ARGV: prefix, age ms, most pairs to purge in this call. */
const purgeScript = `${lua}
local before = now - tonumber(ARGV[2])
local budget = tonumber(ARGV[3])
local n = 0
for _, d in ipairs(redis.call('SMEMBERS', P .. 'destinations')) do
  if n >= budget then break end
  local ids = redis.call('ZRANGEBYSCORE', k('delivered', d), '-inf', before, 'LIMIT', 0, budget - n)
  for _, id in ipairs(ids) do
    n = n + 1
    redis.call('DEL', pk(d, id))
    redis.call('ZREM', k('delivered', d), id)
    local ek = P .. 'ev:' .. id
    if redis.call('HINCRBY', ek, 'pairs', -1) <= 0 then redis.call('DEL', ek) end
  end
end
return n`

const purgeBatch = 1_000

const settlementArgs = (s: PairSettlement): Array<string> => [
  s.destination,
  s.eventId,
  String(s.claim),
  s.kind,
  String(s.attempts),
  s.possibleDuplicate ? "1" : "0",
  s.kind === "delivered" ? (s.receipt ?? "") : "",
  s.kind === "retry" ? String(Math.max(0, Math.round(s.delayMs))) : "0",
  s.kind === "retry" ? String(s.retries) : "0",
  s.kind === "delivered" ? "" : JSON.stringify(s.error),
]

const pairKey = (prefix: string, destination: string, eventId: string) =>
  `${prefix}pr:${Buffer.byteLength(destination)}:${destination}:${eventId}`

const numberOrUndefined = (s: string | undefined) => (s === undefined || s === "" ? undefined : Number(s))

/**
 * A Redis outbox store. `add`'s transaction is an ioredis `multi()`: the events are queued into it
 * and stored when the caller runs `exec()`, or never if the caller calls `discard()`.
 */
export const redisStore = (options: RedisStoreOptions): OutboxStore<ChainableCommander> => {
  checkOptionNames("redisStore", options, redisStoreOptionNames)
  if ((options.client === undefined) === (options.url === undefined))
    throw new TypeError("redisStore: give exactly one of client and url")
  const prefix = options.prefix ?? "eventport:outbox:"
  if (!prefixPattern.test(prefix))
    throw new TypeError(`redisStore: prefix must match ${prefixPattern}, got ${JSON.stringify(prefix)}`)
  const ownClient = options.client === undefined
  const client =
    options.client ??
    new Redis(options.url!, {
      // Fail fast while disconnected instead of queueing commands (an `add` must not hang), and
      // let the relay's own backoff decide when to try again.
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 5_000,
    })
  // Connection errors reach every command's caller; without a listener ioredis would print each
  // reconnection failure.
  if (ownClient) client.on("error", () => {})

  // One connection attempt at a time: commands sent while it is under way would fail at once.
  let connecting: Promise<void> | undefined
  const ready = async () => {
    if (!ownClient || client.status === "ready") return
    if (connecting === undefined && (client.status === "wait" || client.status === "end"))
      connecting = client.connect().finally(() => {
        connecting = undefined
      })
    if (connecting !== undefined) await connecting
  }
  const op = <A>(operation: string, run: () => Promise<A>) =>
    storeOperation("redis", operation, async () => {
      await ready()
      return run()
    })
  const script = (source: string, args: ReadonlyArray<string | number>) =>
    client.eval(source, 0, prefix, ...args) as Promise<unknown>

  const readPair = async (destination: string, eventId: string): Promise<PairRecord | undefined> => {
    const [pairResult, bodyResult] = (await client
      .multi()
      .hgetall(pairKey(prefix, destination, eventId))
      .hget(`${prefix}ev:${eventId}`, "body")
      .exec())!
    const h = pairResult![1] as Record<string, string>
    if (h.state === undefined) return undefined
    const state = h.state as PairState
    const settledAt = numberOrUndefined(h.settledAt)
    const next = numberOrUndefined(h.next)
    return {
      eventId,
      destination,
      state,
      addedAt: new Date(Number(h.addedAt)),
      nextAttemptAt: state === "pending" && next !== undefined ? new Date(next) : undefined,
      claims: Number(h.claims ?? 0),
      attempts: Number(h.attempts ?? 0),
      retries: Number(h.retries ?? 0),
      possibleDuplicate: h.dup === "1",
      receipt: h.receipt === undefined || h.receipt === "" ? undefined : h.receipt,
      error: h.error === undefined || h.error === "" ? undefined : (JSON.parse(h.error) as PairError),
      settledAt: settledAt === undefined ? undefined : new Date(settledAt),
      event: { id: eventId, body: (bodyResult![1] as string | null) ?? "" },
    }
  }

  return {
    kind: "redis",
    setup: () => op("setup", async () => void (await client.ping())),
    drop: () =>
      op("drop", async () => {
        let cursor = "0"
        do {
          const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000)
          cursor = next
          if (keys.length > 0) await client.unlink(...keys)
        } while (cursor !== "0")
      }),
    add: (events, destinations, tx) => {
      const args: Array<string | number> = [destinations.length, ...destinations]
      for (const e of events) args.push(e.id, e.body)
      if (tx !== undefined) {
        tx.eval(addScript, 0, prefix, ...args)
        return Promise.resolve()
      }
      return op("add", async () => void (await script(addScript, args)))
    },
    claim: ({ destination, owner, limit, leaseMs }) =>
      op("claim", async () => {
        const rows = (await script(claimScript, [destination, owner, limit, Math.ceil(leaseMs)])) as Array<
          [string, string, number, number, number, string]
        >
        return rows.map(
          ([id, body, claim, attempts, retries, dup]): ClaimedPair => ({
            eventId: id,
            destination,
            event: { id, body },
            claim,
            attempts,
            retries,
            possibleDuplicate: dup === "1",
          }),
        )
      }),
    renew: (owner, leases, leaseMs) =>
      op("renew", async () => {
        if (leases.length === 0) return 0
        const args: Array<string | number> = [owner, Math.ceil(leaseMs)]
        for (const l of leases) args.push(l.destination, l.eventId, String(l.claim))
        return Number(await script(renewScript, args))
      }),
    settle: (owner, settlements) =>
      op("settle", async () => {
        if (settlements.length === 0) return 0
        return Number(await script(settleScript, [owner, ...settlements.flatMap(settlementArgs)]))
      }),
    stats: () =>
      op("stats", async () => {
        const rows = (await script(statsScript, [])) as Array<
          [string, number, number, number, number, number, number]
        >
        return rows.map(
          ([destination, pending, inFlight, retrying, delivered, dead, age]): DestinationStats => ({
            destination,
            pending,
            inFlight,
            retrying,
            delivered,
            dead,
            oldestPendingAgeMs: pending > 0 ? Math.max(0, age) : 0,
          }),
        )
      }),
    pair: (destination, eventId) => op("pair", () => readPair(destination, eventId)),
    deadLetters: (destination, limit) =>
      op("deadLetters", async () => {
        const ids = await client.zrange(`${prefix}dead:${destination}`, "0", String(Math.max(0, limit - 1)))
        const records = await Promise.all(ids.map((id) => readPair(destination, id)))
        return records.filter((r): r is PairRecord => r !== undefined)
      }),
    replayDead: (destination, eventIds) =>
      op("replayDead", async () => Number(await script(replayScript, [destination, ...(eventIds ?? [])]))),
    purgeDelivered: (olderThanMs) =>
      op("purgeDelivered", async () => {
        let total = 0
        while (true) {
          const n = Number(await script(purgeScript, [Math.max(0, Math.round(olderThanMs)), purgeBatch]))
          total += n
          if (n < purgeBatch) return total
        }
      }),
    close: async () => {
      if (ownClient && client.status !== "end") await client.quit().catch(() => client.disconnect())
    },
  }
}
