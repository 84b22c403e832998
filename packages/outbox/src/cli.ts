#!/usr/bin/env node
import { runOutboxCli } from "./OutboxCli.ts"

runOutboxCli(process.argv.slice(2), {
  write: (text) => process.stdout.write(text),
  writeError: (text) => process.stderr.write(text),
  env: process.env,
}).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    process.stderr.write(`eventport-outbox: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exitCode = 1
  },
)
