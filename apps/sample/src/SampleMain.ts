/**
 * `eventport-sample`: the first thing a new user runs. Exit codes: 0 nothing failed, 1 an event
 * failed (or, under --strict, was rejected, unrouted or unreadable), 2 a usage or config mistake,
 * 130 stopped by Ctrl-C/SIGTERM after draining. Loaded by main.ts once the Node version is checked.
 */
import { parseCommandLine } from "./Cli.ts"
import { sampleRequestSkeleton } from "./CliInput.ts"
import { runSample } from "./SampleRun.ts"
import { UsageError } from "./UsageError.ts"

export const main = async (): Promise<number> => {
  try {
    const command = parseCommandLine(process.argv.slice(2), {
      cwd: process.cwd(),
      write: (text) => process.stdout.write(text),
      writeError: (text) => process.stderr.write(text),
    })
    switch (command._tag) {
      case "Printed":
        return 0
      case "Skeleton":
        process.stdout.write(`${JSON.stringify(sampleRequestSkeleton(), null, 2)}\n`)
        return 0
      case "Run":
        return await runSample(command.settings, {
          stdout: process.stdout,
          stderr: process.stderr,
          stdin: process.stdin,
          signals: process,
          exit: (code) => process.exit(code),
        })
    }
  } catch (error) {
    if (UsageError.isInstance(error)) {
      // commander has already printed its own parse errors.
      if (error.cause !== "reported") process.stderr.write(`eventport-sample: ${error.message}\n`)
      return 2
    }
    process.stderr.write(
      `eventport-sample: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    )
    return 1
  }
}
