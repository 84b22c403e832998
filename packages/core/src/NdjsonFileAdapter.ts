/**
 * A file of dead letters, one JSON line per event: the simple case of `deadLetter`. Each line is
 * the event as a structured CloudEvent, so `readNdjsonDeadLetters` (or any CloudEvents tool) reads
 * it back. Any adapter can take dead letters; this one needs no service.
 */
import { createReadStream } from "node:fs"
import { type FileHandle, open } from "node:fs/promises"
import { type Adapter, defineAdapter, type EncodeResult, encoded, entryOk, rejected } from "./Adapter.ts"
import { checkOptionNames, type OptionNames, utf8Length, violation } from "./AdapterSupport.ts"
import { fromCloudEvent, toCloudEvent } from "./CloudEvent.ts"
import { type DeadLetterData, deadLetterData, originalEvent } from "./DeadLetter.ts"
import { classifyError, type DeliveryError, deliveryError } from "./DeliveryError.ts"
import { type Event, InvalidEventError, type Violation } from "./Event.ts"

export interface NdjsonFileOptions {
  /** The file to append to; created (mode 0600: dead letters hold payloads) when missing. */
  readonly path: string
  /**
   * `batch` (default): the lines of one request go out in one write. `each`: one write per line,
   * so when the disk fails mid-request the lines written before count as delivered.
   */
  readonly flush?: "each" | "batch"
  /** Sync the file's data to disk before a request counts as delivered. Default false. */
  readonly fsync?: boolean
}

/** Generous limits: a file takes what any destination could have refused, envelope included. */
export const ndjsonFileLimits = {
  maxEntries: 1000,
  maxRequestBytes: 64 * 1024 * 1024,
  maxEntryBytes: 64 * 1024 * 1024,
} as const

/** File-system error codes and what they mean for a retry. */
const fsErrorTable: Readonly<Record<string, { code: DeliveryError["code"]; retryable: boolean }>> = {
  ENOSPC: { code: "Unavailable", retryable: false },
  EDQUOT: { code: "Unavailable", retryable: false },
  EFBIG: { code: "PayloadTooLarge", retryable: false },
  EACCES: { code: "AccessDenied", retryable: false },
  EPERM: { code: "AccessDenied", retryable: false },
  EROFS: { code: "AccessDenied", retryable: false },
  ENOENT: { code: "NotFound", retryable: false },
  ENOTDIR: { code: "NotFound", retryable: false },
  EISDIR: { code: "InvalidRequest", retryable: false },
  EAGAIN: { code: "Unavailable", retryable: true },
  EBUSY: { code: "Unavailable", retryable: true },
  EINTR: { code: "Unavailable", retryable: true },
  EMFILE: { code: "Throttled", retryable: true },
  ENFILE: { code: "Throttled", retryable: true },
  EIO: { code: "InternalFailure", retryable: true },
}

/**
 * A failed write or open as a {@link DeliveryError}. A write that failed may have put part of the
 * request in the file, so write errors are `outcomeUnknown`; the message keeps the system's own
 * (path and syscall), never the lines.
 */
export const classifyFileError = (error: unknown, during: "open" | "write" = "write"): DeliveryError => {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  const known = code === undefined ? undefined : fsErrorTable[code]
  if (known === undefined) return classifyError(error)
  return deliveryError(known.code, {
    retryable: known.retryable,
    rawCode: code!,
    rawMessage: (error as Error).message,
    ...(during === "write" ? { outcomeUnknown: true } : {}),
  })
}

/** Every option's name, held to {@link NdjsonFileOptions} by the compiler: `ndjsonFile` refuses any other. */
const ndjsonFileOptionNames = {
  path: true,
  flush: true,
  fsync: true,
} as const satisfies OptionNames<NdjsonFileOptions>

/**
 * An adapter that appends each event as one CloudEvents JSON line to a file. Made for
 * `deadLetter: ndjsonFile({ path })`; it works as an ordinary destination too.
 */
export const ndjsonFile = (options: NdjsonFileOptions): Adapter<string> => {
  checkOptionNames("ndjsonFile", options, ndjsonFileOptionNames)
  if (typeof options.path !== "string" || options.path === "")
    throw new TypeError("ndjsonFile: path must be a non-empty string")
  const flush = options.flush ?? "batch"
  if (flush !== "each" && flush !== "batch")
    throw new TypeError(`ndjsonFile: flush must be "each" or "batch"`)
  let handle: Promise<FileHandle> | undefined
  // Writes are serialized: concurrent requests must not interleave their lines.
  let tail: Promise<unknown> = Promise.resolve()
  // After a failed write a partial line may end the file: start the next write on a new line, so
  // the damage stays one bad line instead of corrupting the next one too.
  let mayEndMidLine = false

  const fileHandle = (): Promise<FileHandle> => {
    if (handle === undefined) {
      const opening = open(options.path, "a", 0o600)
      handle = opening
      // A failed open is retried by the next request, not remembered.
      opening.catch(() => {
        if (handle === opening) handle = undefined
      })
    }
    return handle
  }

  const writeAll = async (file: FileHandle, text: string) => {
    const prefix = mayEndMidLine ? "\n" : ""
    mayEndMidLine = true
    await file.appendFile(prefix + text, "utf8")
    if (options.fsync === true) await file.datasync()
    mayEndMidLine = false
  }

  const sendBatch = async (entries: ReadonlyArray<string>) => {
    let file: FileHandle
    try {
      file = await fileHandle()
    } catch (error) {
      throw classifyFileError(error, "open")
    }
    if (flush === "batch") {
      try {
        await writeAll(file, entries.join(""))
      } catch (error) {
        throw classifyFileError(error)
      }
      return entries.map(() => entryOk())
    }
    const results = []
    for (const entry of entries) {
      try {
        await writeAll(file, entry)
        results.push(entryOk())
      } catch (error) {
        results.push({ ok: false as const, error: classifyFileError(error) })
      }
    }
    return results
  }

  return defineAdapter<string>({
    kind: "ndjson-file",
    limits: ndjsonFileLimits,
    encode: encodeLine,
    send: (batch) => {
      const sent = tail.then(() => sendBatch(batch.entries))
      tail = sent.catch(() => undefined)
      return sent
    },
    close: async () => {
      await tail
      const opened = handle
      handle = undefined
      if (opened !== undefined) await opened.then((file) => file.close()).catch(() => undefined)
    },
  })
}

const escapeLineSeparator = (c: string): string => (c === "\u2028" ? "\\u2028" : "\\u2029")

/** One event as one CloudEvents JSON line. */
const encodeLine = (event: Event): EncodeResult<string> => {
  let line: string
  try {
    // U+2028/U+2029 are valid raw in JSON, but some line readers (node:readline) split on them.
    line = `${JSON.stringify(toCloudEvent(event)).replace(/[\u2028\u2029]/g, escapeLineSeparator)}\n`
  } catch {
    // Only a hand-built event that skipped validation gets here (a BigInt, a cycle).
    return rejected(violation("data", "json", "cannot be written as JSON"))
  }
  return encoded(line, utf8Length(line))
}

/** One line of a dead-letter file. */
export type DeadLetterLine =
  | {
      readonly _tag: "DeadLetter"
      /** 1-based line number in the file. */
      readonly line: number
      /** The original event, ready to publish again (same id). */
      readonly event: Event
      /** The dead letter itself: destination, outcome and reason are in its data. */
      readonly deadLetter: Event
      readonly data: DeadLetterData
    }
  | {
      readonly _tag: "BadLine"
      readonly line: number
      /** What is wrong, by field and rule; never the line's content. */
      readonly violations: ReadonlyArray<Violation>
      readonly message: string
    }

const badLine = (line: number, violations: ReadonlyArray<Violation>): DeadLetterLine => ({
  _tag: "BadLine",
  line,
  violations,
  message: `line ${line}: ${violations.map((v) => `${v.field} ${v.message} (${v.rule})`).join("; ")}`,
})

/** Parses one line of a dead-letter file; `undefined` for a blank line. */
export const parseDeadLetterLine = (text: string, line: number): DeadLetterLine | undefined => {
  if (text.trim() === "") return undefined
  let deadLetter: Event
  try {
    deadLetter = fromCloudEvent(text)
  } catch (error) {
    if (InvalidEventError.isInstance(error)) return badLine(line, error.violations)
    return badLine(line, [violation("(line)", "json", "is not a CloudEvent")])
  }
  try {
    const data = deadLetterData(deadLetter)
    return { _tag: "DeadLetter", line, event: originalEvent(deadLetter), deadLetter, data }
  } catch (error) {
    if (InvalidEventError.isInstance(error)) return badLine(line, error.violations)
    throw error
  }
}

/**
 * Reads a dead-letter file written by {@link ndjsonFile}: each dead letter with its original event,
 * or a bad line (not JSON, not a dead letter, or a dead letter without an event) by line number.
 * Blank lines are skipped. Reads lazily, so a file of any size takes bounded memory.
 */
export async function* readNdjsonDeadLetters(path: string): AsyncGenerator<DeadLetterLine> {
  let line = 0
  for await (const text of ndjsonLines(path)) {
    line++
    const parsed = parseDeadLetterLine(text, line)
    if (parsed !== undefined) yield parsed
  }
}

/** Lines split on `\n` only (a CR before it is dropped): NDJSON's rule, unlike node:readline's. */
async function* ndjsonLines(path: string): AsyncGenerator<string> {
  let pending = ""
  for await (const chunk of createReadStream(path, { encoding: "utf8" }) as AsyncIterable<string>) {
    pending += chunk
    let start = 0
    let end = pending.indexOf("\n", start)
    while (end !== -1) {
      yield pending.slice(start, end > start && pending[end - 1] === "\r" ? end - 1 : end)
      start = end + 1
      end = pending.indexOf("\n", start)
    }
    pending = pending.slice(start)
  }
  if (pending !== "") yield pending
}
