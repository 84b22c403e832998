/**
 * The `eventport-outbox` command: explicit schema set-up, state per destination, dead letters
 * (list, show, replay) and purging of delivered records. Connection strings are read from flags or
 * the environment and never printed; event data is shown only with `--with-data`.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from "commander"
import { decodeEvent } from "./EventCodec.ts"
import type { DestinationStats, OutboxStore, PairRecord } from "./OutboxStore.ts"

export interface CliIo {
  readonly write: (text: string) => void
  readonly writeError: (text: string) => void
  readonly env: Readonly<Record<string, string | undefined>>
}

interface ConnectionFlags {
  readonly postgres?: string
  readonly redis?: string
  readonly schema?: string
  readonly prefix?: string
}

/** A mistake in how the command was called (exit code 2), found after commander's own parsing. */
class UsageError extends Error {}

const durationUnits: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
}

/** `7d`, `12h`, `30m`, `45s`, `250ms` → milliseconds. */
export const parseAge = (text: string): number => {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text.trim())
  if (!match) throw new InvalidArgumentError("expects an age such as 7d, 12h, 30m, 45s or 250ms")
  return Math.round(Number(match[1]) * durationUnits[match[2]!]!)
}

const positiveInteger = (text: string): number => {
  const n = Number(text)
  if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError("expects a positive integer")
  return n
}

const formatAge = (ms: number): string =>
  ms === 0
    ? "-"
    : ms < 1_000
      ? `${ms}ms`
      : ms < 120_000
        ? `${(ms / 1_000).toFixed(1)}s`
        : ms < 7_200_000
          ? `${Math.round(ms / 60_000)}m`
          : `${(ms / 3_600_000).toFixed(1)}h`

export const renderStats = (stats: ReadonlyArray<DestinationStats>): string => {
  const header = ["destination", "pending", "in flight", "retrying", "dead", "delivered", "oldest pending"]
  const rows = stats.map((s) => [
    s.destination,
    String(s.pending),
    String(s.inFlight),
    String(s.retrying),
    String(s.dead),
    String(s.delivered),
    formatAge(s.oldestPendingAgeMs),
  ])
  if (rows.length === 0) return "no destinations have pairs yet\n"
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: ReadonlyArray<string>) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ")
  return `${[line(header), ...rows.map(line)].join("\n")}\n`
}

/** A dead letter as the CLI shows it: the pair's state and error, the event's envelope, data only on request. */
export const describeDeadLetter = (record: PairRecord, withData: boolean): Record<string, unknown> => {
  let envelope: Record<string, unknown>
  try {
    const event = decodeEvent(record.event)
    const { data, ...rest } = event
    envelope = {
      ...rest,
      time: event.time.toISOString(),
      ...(withData
        ? { data: data instanceof Uint8Array ? `<${data.length} bytes>` : data }
        : { dataBytes: record.event.body.length }),
    }
  } catch {
    envelope = { id: record.eventId, stored: "does not decode" }
  }
  return {
    eventId: record.eventId,
    destination: record.destination,
    state: record.state,
    attempts: record.attempts,
    retries: record.retries,
    claims: record.claims,
    possibleDuplicate: record.possibleDuplicate,
    addedAt: record.addedAt.toISOString(),
    settledAt: record.settledAt?.toISOString(),
    error: record.error,
    event: envelope,
  }
}

// The drivers are optional peers: load only the one the command line names.
const openStore = async (flags: ConnectionFlags, env: CliIo["env"]): Promise<OutboxStore<unknown>> => {
  const postgres = flags.postgres ?? (flags.redis === undefined ? env.EVENTPORT_OUTBOX_PG_URL : undefined)
  const redis = flags.redis ?? (flags.postgres === undefined ? env.EVENTPORT_OUTBOX_REDIS_URL : undefined)
  if (postgres !== undefined && redis !== undefined)
    throw new UsageError(
      "both a PostgreSQL and a Redis store are configured (flags or EVENTPORT_OUTBOX_PG_URL/EVENTPORT_OUTBOX_REDIS_URL): choose one",
    )
  if (postgres !== undefined) {
    const { postgresStore } = await import("./PostgresStore.ts")
    return postgresStore({
      connectionString: postgres,
      ...(flags.schema === undefined ? {} : { schema: flags.schema }),
    }) as OutboxStore<unknown>
  }
  if (redis !== undefined) {
    const { redisStore } = await import("./RedisStore.ts")
    return redisStore({
      url: redis,
      ...(flags.prefix === undefined ? {} : { prefix: flags.prefix }),
    }) as OutboxStore<unknown>
  }
  throw new UsageError(
    "no store: pass --postgres URL or --redis URL (or set EVENTPORT_OUTBOX_PG_URL or EVENTPORT_OUTBOX_REDIS_URL)",
  )
}

/** Runs the CLI with `args` (without `node` and the script); resolves with the exit code. */
export const runOutboxCli = async (args: ReadonlyArray<string>, io: CliIo): Promise<number> => {
  let exitCode = 0
  const withStore =
    (run: (store: OutboxStore<unknown>, flags: ConnectionFlags) => Promise<void>) =>
    async (...actionArgs: Array<unknown>) => {
      const command = actionArgs[actionArgs.length - 1] as Command
      const flags = command.optsWithGlobals<ConnectionFlags>()
      const store = await openStore(flags, io.env)
      try {
        await run(store, flags)
      } finally {
        await store.close()
      }
    }
  const program = new Command("eventport-outbox")
    .description("Operate an Eventport durable outbox on PostgreSQL or Redis.")
    .addOption(new Option("--postgres <url>", "PostgreSQL connection string (or EVENTPORT_OUTBOX_PG_URL)"))
    .addOption(new Option("--redis <url>", "Redis URL (or EVENTPORT_OUTBOX_REDIS_URL)"))
    .option("--schema <name>", "PostgreSQL schema of the outbox tables (default eventport_outbox)")
    .option("--prefix <prefix>", "Redis key prefix (default eventport:outbox:)")
    .exitOverride()
    .configureOutput({ writeOut: io.write, writeErr: io.writeError })

  program
    .command("setup")
    .description("create the outbox schema (tables and indexes), or check the Redis server; idempotent")
    .action(
      withStore(async (store) => {
        await store.setup()
        io.write(`${store.kind} outbox ready\n`)
      }),
    )

  program
    .command("status")
    .description("pairs per destination: pending, in flight, retrying, dead, delivered, oldest pending age")
    .option("--json", "print JSON")
    .action(
      withStore(async (store) => {
        const stats = await store.stats()
        const json = program.commands.find((c) => c.name() === "status")!.opts<{ json?: boolean }>().json
        io.write(json === true ? `${JSON.stringify(stats, null, 2)}\n` : renderStats(stats))
      }),
    )

  const dead = program.command("dead").description("dead letters: pairs that failed for good")
  dead
    .command("list")
    .description("list a destination's dead letters, oldest first")
    .argument("<destination>")
    .option("--limit <n>", "at most this many", positiveInteger, 20)
    .action(
      withStore(async (store) => {
        const list = dead.commands.find((c) => c.name() === "list")!
        const [destination] = list.processedArgs as [string]
        const { limit } = list.opts<{ limit: number }>()
        const records = await store.deadLetters(destination, limit)
        if (records.length === 0) io.write(`no dead letters for ${destination}\n`)
        for (const r of records)
          io.write(
            `${r.eventId}  ${r.settledAt?.toISOString() ?? "-"}  ${r.error?.code ?? "-"}: ${r.error?.message ?? ""}\n`,
          )
      }),
    )
  dead
    .command("show")
    .description("show one dead letter: its error, attempts and event envelope")
    .argument("<destination>")
    .argument("<event-id>")
    .option("--with-data", "include the event's data (may hold personal data)")
    .action(
      withStore(async (store) => {
        const show = dead.commands.find((c) => c.name() === "show")!
        const [destination, eventId] = show.processedArgs as [string, string]
        const record = await store.pair(destination, eventId)
        if (record === undefined || record.state !== "dead") {
          io.writeError(
            `no dead letter ${eventId} for ${destination}${record === undefined ? "" : ` (the pair is ${record.state})`}\n`,
          )
          exitCode = 1
          return
        }
        const withData = show.opts<{ withData?: boolean }>().withData === true
        io.write(`${JSON.stringify(describeDeadLetter(record, withData), null, 2)}\n`)
      }),
    )

  program
    .command("replay")
    .description("make dead letters pending again (all of the destination's, or the given event ids)")
    .argument("<destination>")
    .argument("[event-ids...]")
    .action(
      withStore(async (store) => {
        const replay = program.commands.find((c) => c.name() === "replay")!
        const [destination, ids] = replay.processedArgs as [string, Array<string>]
        const n = await store.replayDead(destination, ids.length > 0 ? ids : undefined)
        io.write(`${n} dead letter${n === 1 ? "" : "s"} of ${destination} pending again\n`)
      }),
    )

  program
    .command("purge")
    .description("delete delivered pairs settled longer ago than the age, and events with no pair left")
    .requiredOption("--older-than <age>", "age such as 7d, 12h, 30m", parseAge)
    .action(
      withStore(async (store) => {
        const purge = program.commands.find((c) => c.name() === "purge")!
        const { olderThan } = purge.opts<{ olderThan: number }>()
        const n = await store.purgeDelivered(olderThan)
        io.write(`${n} delivered pair${n === 1 ? "" : "s"} purged\n`)
      }),
    )

  try {
    await program.parseAsync([...args], { from: "user" })
  } catch (error) {
    if (error instanceof CommanderError) {
      if (["commander.helpDisplayed", "commander.help", "commander.version"].includes(error.code)) return 0
      return error.exitCode === 0 ? 0 : 2
    }
    if (error instanceof UsageError) {
      io.writeError(`eventport-outbox: ${error.message}\n`)
      return 2
    }
    io.writeError(`eventport-outbox: ${error instanceof Error ? error.message : String(error)}\n`)
    return 1
  }
  return exitCode
}
