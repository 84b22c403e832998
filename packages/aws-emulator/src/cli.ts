#!/usr/bin/env node
import { parseArgs } from "node:util"
import { startEmulator } from "./Emulator.ts"
import { type RequestQuota, validateQuotas } from "./Quotas.ts"
import { defaultCredentials } from "./SigV4.ts"
import type { StoreMode } from "./Store.ts"

const usage = `Usage: eventport-emulator [options]

Loopback emulator of EventBridge PutEvents, IoT Events Data / IoT Analytics BatchPutMessage,
Pinpoint PutEvents, Kinesis PutRecords, Firehose PutRecordBatch, SQS SendMessageBatch and SNS
PublishBatch, over HTTP/1.1 and HTTP/2. Drive faults and read the store over /__admin/* on the same port.

Options:
  --port <n>                         port to listen on (default 0: a free port)
  --host <addr>                      address to bind (default 127.0.0.1)
  --allow-host <name>                accept this Host besides loopback names (repeatable)
  --seed <n>                         seed for random fault decisions
  --access-key-id <id>               accepted access key id (default ${defaultCredentials.accessKeyId})
  --secret-access-key <secret>       its secret (default: the built-in test secret)
  --store <full|count|off>           what to keep of accepted entries (default full)
  --request-log-limit <n>            requests kept in the log (default 1000)
  --eventbridge-max-request-bytes <n>  EventBridge total entry size limit (default 1000000)
  --quota <service>=<rate>:<burst>   request-rate quota (token bucket, requests/s and burst) of one
                                     service, e.g. eventbridge=100:20; beyond it requests get the
                                     service's throttling error (repeatable)
  --kinesis-shard-count <n>          shards of every Kinesis stream (default 4)
  --content-based-deduplication <names>  comma-separated SQS FIFO queue / SNS FIFO topic names
                                     (e.g. orders.fifo) that de-duplicate by content
  -h, --help                         show this help
`

const integer = (name: string, value: string | undefined): number | undefined => {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0) {
    process.stderr.write(`--${name} must be a non-negative integer\n`)
    process.exit(2)
  }
  return n
}

/** `eventbridge=100:20` as `["eventbridge", { rate: 100, burst: 20 }]`; exits 2 when malformed. */
const quotaEntry = (text: string): [string, RequestQuota] => {
  const match = /^([a-z]+)=([0-9.]+):([0-9]+)$/.exec(text)
  if (match === null) {
    process.stderr.write(
      `--quota must look like <service>=<rate>:<burst> (e.g. eventbridge=100:20), got ${text}\n`,
    )
    process.exit(2)
  }
  return [match[1]!, { rate: Number(match[2]), burst: Number(match[3]) }]
}

const main = async () => {
  let values: ReturnType<typeof parse>["values"]
  try {
    values = parse().values
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`)
    process.exit(2)
  }
  if (values.help === true) {
    process.stdout.write(usage)
    return
  }
  const store = values.store ?? "full"
  if (store !== "full" && store !== "count" && store !== "off") {
    process.stderr.write("--store must be full, count or off\n")
    process.exit(2)
  }
  const customCredentials = values["access-key-id"] !== undefined || values["secret-access-key"] !== undefined
  const credentials = {
    accessKeyId: values["access-key-id"] ?? defaultCredentials.accessKeyId,
    secretAccessKey: values["secret-access-key"] ?? defaultCredentials.secretAccessKey,
  }
  const port = integer("port", values.port)
  const seed = integer("seed", values.seed)
  const requestLogLimit = integer("request-log-limit", values["request-log-limit"])
  const eventBridgeMaxRequestBytes = integer(
    "eventbridge-max-request-bytes",
    values["eventbridge-max-request-bytes"],
  )
  const kinesisShardCount = integer("kinesis-shard-count", values["kinesis-shard-count"])
  if (kinesisShardCount === 0) {
    process.stderr.write("--kinesis-shard-count must be at least 1\n")
    process.exit(2)
  }
  const quotas = Object.fromEntries((values.quota ?? []).map(quotaEntry))
  try {
    validateQuotas(quotas)
  } catch (error) {
    process.stderr.write(`--quota: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exit(2)
  }
  const emulator = await startEmulator({
    ...(port === undefined ? {} : { port }),
    ...(values.host === undefined ? {} : { host: values.host }),
    ...(values["allow-host"] === undefined ? {} : { allowedHosts: values["allow-host"] }),
    ...(seed === undefined ? {} : { seed }),
    ...(requestLogLimit === undefined ? {} : { requestLogLimit }),
    ...(eventBridgeMaxRequestBytes === undefined ? {} : { limits: { eventBridgeMaxRequestBytes } }),
    ...(kinesisShardCount === undefined ? {} : { kinesisShardCount }),
    ...(values["content-based-deduplication"] === undefined
      ? {}
      : {
          contentBasedDeduplication: values["content-based-deduplication"]
            .split(",")
            .map((name) => name.trim())
            .filter((name) => name !== ""),
        }),
    store: store as StoreMode,
    quotas,
    credentials,
  })
  // Handlers go in before the endpoint is printed: whoever reads it may signal right away.
  let stopping = false
  const shutdown = (signal: string) => {
    if (stopping) return
    stopping = true
    process.stdout.write(`received ${signal}, stopping\n`)
    emulator.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.on("SIGINT", () => shutdown("SIGINT"))
  process.on("SIGTERM", () => shutdown("SIGTERM"))
  // A secret the user chose stays off the terminal; the built-in test secret is printed to be copied.
  const shownSecret =
    customCredentials && credentials.secretAccessKey !== defaultCredentials.secretAccessKey
      ? "(as given with --secret-access-key)"
      : credentials.secretAccessKey
  process.stdout.write(
    [
      `eventport-emulator listening on ${emulator.endpoint}`,
      `endpoint: ${emulator.endpoint}`,
      `accessKeyId: ${credentials.accessKeyId}`,
      `secretAccessKey: ${shownSecret}`,
      "region: any (the signature's region is used as sent)",
      `admin: ${emulator.endpoint}/__admin/store, /__admin/requests, /__admin/faults, /__admin/quotas, /__admin/reset`,
      "",
    ].join("\n"),
  )
}

const parse = () =>
  parseArgs({
    options: {
      port: { type: "string" },
      host: { type: "string" },
      "allow-host": { type: "string", multiple: true },
      seed: { type: "string" },
      "access-key-id": { type: "string" },
      "secret-access-key": { type: "string" },
      store: { type: "string" },
      "request-log-limit": { type: "string" },
      "eventbridge-max-request-bytes": { type: "string" },
      quota: { type: "string", multiple: true },
      "kinesis-shard-count": { type: "string" },
      "content-based-deduplication": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: false,
  })

main().catch((error: unknown) => {
  process.stderr.write(`eventport-emulator: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
