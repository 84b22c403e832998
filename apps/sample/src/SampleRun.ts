/**
 * One run of the sample: load and check the config, start the emulator (unless talking to AWS),
 * make the publisher, feed it the input at the asked rate, show progress, drain on Ctrl-C, and
 * print the summary. Returns the exit code.
 */
import { dirname, relative, resolve } from "node:path"
import { type Emulator, startEmulator } from "@eventport/aws-emulator"
import {
  createPublisher,
  type DestinationCounts,
  type EventInput,
  emptyCounts,
  ndjsonFile,
  type Outcome,
  type PublishResult,
} from "@eventport/core"
import { Effect, Stream } from "effect"
import type { RunSettings } from "./Cli.ts"
import {
  type AwsClientSettings,
  buildDestinations,
  destinationOptionsProblem,
  selectDestinations,
} from "./Destinations.ts"
import { generateEvents } from "./EventGenerator.ts"
import {
  countDeadLetterItems,
  countNdjsonItems,
  type InputItem,
  openNdjson,
  readDeadLetterFile,
} from "./EventSource.ts"
import { describeFaultSpec, emulatorFaults } from "./FaultSpec.ts"
import { startProgress } from "./ProgressView.ts"
import { describeRoute } from "./Routing.ts"
import { RunTracker } from "./RunTracker.ts"
import { destinationRoute, loadSampleConfig } from "./SampleConfig.ts"
import { exitCodeFor, formatAbandonedRun, formatSummary } from "./Summary.ts"
import { UsageError } from "./UsageError.ts"

export interface RunIo {
  readonly stdout: NodeJS.WritableStream & { readonly isTTY?: boolean }
  readonly stderr: NodeJS.WritableStream
  readonly stdin: NodeJS.ReadableStream
  /** Where SIGINT/SIGTERM are listened for. */
  readonly signals: Pick<NodeJS.Process, "on" | "off">
  /** Ends the process at once: a second Ctrl-C does not wait for the drain. */
  readonly exit: (code: number) => never
}

const eventItem = (event: EventInput): InputItem => ({ _tag: "Event", event })

/** The input as a stream of items; the generator and NDJSON are pulled lazily, one event at a time. */
const inputStream = (settings: RunSettings, io: RunIo): Stream.Stream<InputItem, Error> => {
  switch (settings.source.kind) {
    case "generator":
      return Stream.fromIterable(
        generateEvents({ count: settings.source.count, seed: settings.seed, start: new Date() }),
      ).pipe(Stream.map(eventItem))
    case "request":
      return Stream.fromIterable(settings.source.events).pipe(Stream.map(eventItem))
    case "replay": {
      const path = settings.source.path
      return Stream.fromAsyncIterable(
        readDeadLetterFile(path),
        (error) => new Error(`--replay ${path}: ${String((error as Error)?.message ?? error)}`),
      )
    }
    case "ndjson":
      return Stream.fromAsyncIterable(
        openNdjson(settings.source.path, io.stdin as NodeJS.ReadableStream & import("node:stream").Readable),
        (error) =>
          new Error(
            `--input ${settings.source.kind === "ndjson" ? settings.source.path : ""}: ${String((error as Error)?.message ?? error)}`,
          ),
      )
  }
}

/**
 * The number of items the input holds, when it can be known before the run (a fixed total for the
 * progress bars); undefined for stdin.
 */
const inputSize = async (settings: RunSettings): Promise<number | undefined> => {
  switch (settings.source.kind) {
    case "generator":
      return settings.source.count
    case "request":
      return settings.source.events.length
    case "replay":
      return countDeadLetterItems(settings.source.path)
    case "ndjson":
      return settings.source.path === "-" ? undefined : countNdjsonItems(settings.source.path)
  }
}

/**
 * At most `rate` items per second, by a token bucket refilled every 100 ms (so a run starts smoothly
 * instead of with a one-second burst).
 */
const throttled = <E>(
  stream: Stream.Stream<InputItem, E>,
  rate: number | undefined,
): Stream.Stream<InputItem, E> => {
  if (rate === undefined) return stream
  const perTick = Math.max(1, rate / 10)
  return stream.pipe(
    Stream.rechunk(Math.max(1, Math.floor(perTick))),
    Stream.throttle({
      cost: (items) => items.length,
      units: perTick,
      duration: `${(perTick / rate) * 1000} millis`,
    }),
  )
}

/** The name core gives the dead-letter destination in outcomes. */
const deadLetterDestination = "deadLetter"

const header = (
  settings: RunSettings,
  emulator: Emulator | undefined,
  configPath: string,
  deadLetterPath: string | undefined,
): Array<string> => {
  const lines = ["Eventport sample: one event stream, destinations chosen by configuration."]
  if (emulator !== undefined)
    lines.push(
      `Running on the embedded AWS emulator at ${emulator.endpoint} (no AWS account needed) and the in-memory adapter.`,
      `Emulator faults: ${describeFaultSpec(settings.faults)} (seed ${settings.seed}).`,
    )
  else {
    const target = settings.target.kind === "aws" ? settings.target : undefined
    lines.push(
      `Sending to ${target?.endpoint ?? "AWS"}${target?.region === undefined ? "" : ` in ${target.region}`} with the AWS SDK's default credential chain.`,
    )
  }
  const source = settings.source
  lines.push(
    `Config: ${configPath}`,
    `Input: ${
      source.kind === "generator"
        ? `${source.count} generated events (seed ${settings.seed})`
        : source.kind === "ndjson"
          ? source.path === "-"
            ? "NDJSON from stdin"
            : `NDJSON file ${source.path}`
          : source.kind === "replay"
            ? `the original events of dead-letter file ${source.path}, each once`
            : `${source.events.length} events from --cli-input-json`
    }${settings.rate === undefined ? "" : `, at ${settings.rate} events/s`}`,
  )
  if (deadLetterPath !== undefined)
    lines.push(`Dead letters (Rejected and Failed, with the reason): ${deadLetterPath}`)
  return lines
}

export const runSample = async (settings: RunSettings, io: RunIo): Promise<number> => {
  const write = (line: string) => io.stdout.write(`${line}\n`)
  const config = loadSampleConfig(settings.configPath, destinationOptionsProblem)
  const selected = selectDestinations(config, settings.to)
  // The flag's path is relative to the working directory; the config's to the config file.
  const deadLetterPath =
    settings.deadLetterPath ??
    (config.deadLetter === undefined ? undefined : resolve(dirname(settings.configPath), config.deadLetter))
  if (settings.source.kind === "replay" && deadLetterPath === settings.source.path)
    throw new UsageError(
      `the dead-letter file ${deadLetterPath} (config deadLetter) is the file --replay reads; name another with --dead-letter`,
    )
  const emulator =
    settings.target.kind === "emulator"
      ? await startEmulator({
          seed: settings.seed,
          faults: emulatorFaults(settings.faults),
          store: "count",
          requestLogLimit: 0,
        })
      : undefined
  try {
    const client: AwsClientSettings =
      emulator !== undefined
        ? { endpoint: emulator.endpoint, region: "us-east-1", credentials: emulator.credentials }
        : settings.target.kind === "aws"
          ? {
              ...(settings.target.endpoint === undefined ? {} : { endpoint: settings.target.endpoint }),
              ...(settings.target.region === undefined ? {} : { region: settings.target.region }),
            }
          : {}
    const tracker = new RunTracker(
      selected.map((d) => d.name),
      settings.maxProblems,
    )
    tracker.inputTotal = await inputSize(settings)
    const destinations = buildDestinations(
      config,
      selected,
      client,
      settings.configPath,
      (name, adapter) => tracker.observe(name, adapter),
      (name) => tracker.recordSkipped(name),
    )
    const shownConfig = relative(process.cwd(), settings.configPath)
    for (const line of header(
      settings,
      emulator,
      shownConfig.startsWith("..") ? settings.configPath : shownConfig,
      deadLetterPath,
    ))
      write(line)
    write("Destinations:")
    const width = Math.max(...selected.map((d) => d.name.length))
    for (const { name, spec } of selected)
      write(
        `  ${name.padEnd(width)}  ${spec.type.padEnd(13)}  ${describeRoute(destinationRoute(config, spec))}`,
      )
    write("")

    const publisher = createPublisher({
      destinations,
      ...(config.concurrency === undefined ? {} : { concurrency: config.concurrency }),
      ...(config.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: config.requestTimeoutMs }),
      ...(config.retry === undefined ? {} : { retry: config.retry }),
      // Payloads go to the dead-letter file by design; it is created readable by its owner only.
      ...(deadLetterPath === undefined ? {} : { deadLetter: ndjsonFile({ path: deadLetterPath }) }),
      onOutcome: (outcome: Outcome) =>
        outcome.destination === deadLetterDestination && deadLetterPath !== undefined
          ? tracker.recordDeadLetter(outcome)
          : tracker.recordOutcome(outcome),
      retainOutcomes: "none",
    })
    const started = Date.now()
    const progress = startProgress(
      settings.progress,
      tracker,
      selected.map((d) => d.name),
      {
        isTTY: io.stdout.isTTY === true,
        write: (line) => io.stderr.write(`${line}\n`),
        barStream: io.stdout,
      },
    )

    // Ctrl-C: stop reading input, then drain what is queued within the deadline.
    const stopInput = new AbortController()
    let interruptedBy: string | undefined
    const onSignal = (signal: NodeJS.Signals) => {
      if (interruptedBy !== undefined) {
        progress.stop()
        io.stdout.write(
          `${formatAbandonedRun(
            tracker,
            selected.map(({ name, spec }) => ({ name, type: spec.type })),
            signal,
          )}\n`,
        )
        io.exit(130)
      }
      interruptedBy = signal
      progress.log(
        `${signal}: no more input; draining for up to ${settings.drainTimeoutMs} ms (press Ctrl-C again to exit now)`,
      )
      stopInput.abort()
    }
    io.signals.on("SIGINT", onSignal)
    io.signals.on("SIGTERM", onSignal)

    let inputError: Error | undefined
    const results: Array<PublishResult> = []
    try {
      const feed = throttled(inputStream(settings, io), settings.rate).pipe(
        Stream.runForEach((item) =>
          item._tag === "Event"
            ? Effect.promise(async () => {
                await publisher.enqueue(item.event)
                tracker.enqueued++
              })
            : Effect.sync(() => tracker.recordInputProblem(item.problem)),
        ),
      )
      await Effect.runPromise(feed, { signal: stopInput.signal }).catch((error: unknown) => {
        if (!stopInput.signal.aborted) inputError = error instanceof Error ? error : new Error(String(error))
      })
      // Normally everything is sent (flush waits for retries); after Ctrl-C, close drains within
      // the deadline and whatever is left becomes Failed with code Closed.
      if (interruptedBy === undefined) results.push(await publisher.flush())
      results.push(await publisher.close({ deadlineMs: settings.drainTimeoutMs }))
    } finally {
      progress.stop()
      io.signals.off("SIGINT", onSignal)
      io.signals.off("SIGTERM", onSignal)
    }
    const facts = {
      counts: addCounts(results),
      tracker,
      destinations: selected.map(({ name, spec }) => ({ name, type: spec.type })),
      unrouted: results.reduce((n, r) => n + r.unroutedCount, 0),
      ...(deadLetterPath === undefined
        ? {}
        : {
            deadLetters: {
              path: deadLetterPath,
              written: results.reduce((n, r) => n + r.deadLetters.sent, 0),
              failed: results.reduce((n, r) => n + r.deadLetters.failed, 0),
            },
          }),
      elapsedMs: Date.now() - started,
      strict: settings.strict,
      ...(interruptedBy === undefined
        ? {}
        : {
            interrupted: {
              signal: interruptedBy,
              drainTimeoutMs: settings.drainTimeoutMs,
              notRead:
                tracker.inputTotal === undefined ? undefined : Math.max(0, tracker.inputTotal - tracker.read),
            },
          }),
    }
    write(formatSummary(facts))
    if (inputError !== undefined) {
      io.stderr.write(`Input stopped early: ${inputError.message}\n`)
      return Math.max(exitCodeFor(facts), 1)
    }
    return exitCodeFor(facts)
  } finally {
    await emulator?.stop()
  }
}

/** Counts of several PublishResults (a flush, then the close), added up per destination. */
const addCounts = (results: ReadonlyArray<PublishResult>): Record<string, DestinationCounts> => {
  const sum: Record<string, DestinationCounts> = {}
  for (const result of results)
    for (const [name, counts] of Object.entries(result.counts)) {
      const into = sum[name] ?? emptyCounts()
      sum[name] = into
      for (const key of Object.keys(into) as Array<keyof DestinationCounts>) into[key] += counts[key]
    }
  return sum
}
