/** The command line of the bench. */
import { parseArgs } from "node:util"

export const usage = `Usage: node apps/bench/dist/main.js [options]   (or ./run.sh bench [options], pnpm bench)

Runs every scenario, prints a table and rewrites BENCHMARKS.md at the repository root.

Options:
  --quick              small event counts, 1 repetition; does not write BENCHMARKS.md
  --scale <x>          multiply every event count by x (e.g. 0.1 for a smoke run of the full mode)
  --repetitions <n>    runs per timed figure (default 5; 1 in quick mode)
  --only <ids>         comma-separated scenario numbers, e.g. 1,5
  --out <path>         write the report there instead of BENCHMARKS.md at the repository root
  -h, --help           show this help
`

export interface BenchArguments {
  readonly quick: boolean
  readonly scale: number
  readonly repetitions: number
  readonly only: ReadonlySet<number> | undefined
  readonly out: string | undefined
  readonly help: boolean
}

export class BenchArgumentsError extends Error {
  override readonly name = "BenchArgumentsError"
}

const positiveNumber = (name: string, text: string, integer: boolean): number => {
  const n = Number(text)
  if (!(n > 0) || !Number.isFinite(n) || (integer && !Number.isInteger(n)))
    throw new BenchArgumentsError(
      `--${name} must be a positive ${integer ? "integer" : "number"}, got "${text}"`,
    )
  return n
}

export const defaultRepetitions = 5

export const parseBenchArguments = (argv: ReadonlyArray<string>): BenchArguments => {
  let values: ReturnType<typeof parse>["values"]
  try {
    values = parse(argv).values
  } catch (error) {
    throw new BenchArgumentsError(error instanceof Error ? error.message : String(error))
  }
  const quick = values.quick === true
  if (quick && values.scale !== undefined)
    throw new BenchArgumentsError("--scale applies to the full mode, not with --quick")
  const only =
    values.only === undefined
      ? undefined
      : new Set(values.only.split(",").map((id) => positiveNumber("only", id.trim(), true)))
  return {
    quick,
    scale: values.scale === undefined ? 1 : positiveNumber("scale", values.scale, false),
    repetitions:
      values.repetitions === undefined
        ? quick
          ? 1
          : defaultRepetitions
        : positiveNumber("repetitions", values.repetitions, true),
    only,
    out: values.out,
    help: values.help === true,
  }
}

const parse = (argv: ReadonlyArray<string>) =>
  parseArgs({
    args: [...argv],
    options: {
      quick: { type: "boolean" },
      scale: { type: "string" },
      repetitions: { type: "string" },
      only: { type: "string" },
      out: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: false,
  })

/** The command that reproduces a full run with these arguments (`--out` aside: it only moves the file). */
export const reproduceCommand = (args: BenchArguments): string =>
  [
    "./run.sh bench",
    ...(args.scale === 1 ? [] : [`--scale ${args.scale}`]),
    ...(args.repetitions === defaultRepetitions ? [] : [`--repetitions ${args.repetitions}`]),
    ...(args.only === undefined ? [] : [`--only ${[...args.only].join(",")}`]),
  ].join(" ")
