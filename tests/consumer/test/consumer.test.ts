/**
 * The packages as a user gets them: the global setup (global-setup.ts) packs each package under
 * packages/ and installs the tarballs with npm into a scratch project with the set-up the READMEs
 * document (`effect`, `@types/node` listed in `types`, or `skipLibCheck`; the outbox's `@types/pg`);
 * here the README examples are typechecked (nodenext and bundler resolution) and run as written; the
 * outbox's, which need a PostgreSQL or Redis server, are typechecked only.
 *
 * Needs the npm registry (the AWS SDK clients, effect, typescript); npm's cache makes later runs
 * quicker. Its cost, measured with a warm npm cache: about 26 s user + 14 s system CPU (the npm
 * install, three tsc runs, eight programs, one vitest run; before the kinesis, firehose, sqs and sns
 * programs and the outbox examples were added); the timeouts are far larger because
 * the whole suite runs beside it on two shared cores. Nothing here talks to AWS: the examples that send use the packed emulator, and the root
 * README's example runs without credentials, which it reports as a problem.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { beforeAll, describe, expect, inject, it } from "vitest"
import { run } from "../src/ChildProcess.ts"
import { codeBlockUnder, firstCodeBlock } from "../src/MarkdownCode.ts"

const repoDir = resolve(dirname(fileURLToPath(import.meta.url)), "../../..")
const { work, app, failure } = inject("packedProject")

/** The README examples that run as programs: the file they come from and what they must print. */
const programs: ReadonlyArray<{
  readonly name: string
  readonly readme: string
  /** The heading the example is under; the README's first ts block when absent. */
  readonly section?: string
  readonly expectOutput: (stdout: string) => void
}> = [
  {
    name: "root",
    readme: "README.md",
    expectOutput: (stdout) => {
      // No AWS credentials here: the bus pair fails and the example prints why.
      expect(stdout).toMatch(/^false /)
      expect(stdout).toContain("CredentialsProviderError")
      const audit = readFileSync(join(app, "audit.ndjson"), "utf8").trim().split("\n")
      expect(audit).toHaveLength(1)
      expect(JSON.parse(audit[0]!)).toMatchObject({ type: "order.created", source: "shop", data: { id: 42 } })
    },
  },
  { name: "core", readme: "packages/core/README.md", expectOutput: (out) => expect(out).toMatch(/^true /) },
  {
    name: "eventbridge",
    readme: "packages/eventbridge/README.md",
    expectOutput: (out) => expect(out).toContain("Delivered"),
  },
  {
    name: "iot-events",
    readme: "packages/iot-events/README.md",
    expectOutput: (out) => expect(out).toContain("Delivered"),
  },
  {
    name: "iot-analytics",
    readme: "packages/iot-analytics/README.md",
    // The README's own comment: one delivered, one rejected on purpose.
    expectOutput: (out) => expect(out).toMatch(/^false 1 1\n/),
  },
  {
    name: "pinpoint",
    readme: "packages/pinpoint/README.md",
    // The README's own comment: one delivered, one rejected on purpose.
    expectOutput: (out) => expect(out).toMatch(/^false 1 1\n/),
  },
  {
    name: "aws-emulator",
    readme: "packages/aws-emulator/README.md",
    expectOutput: (out) => expect(out).toContain("ThrottlingException"),
  },
  {
    name: "kinesis",
    readme: "packages/kinesis/README.md",
    // Two records delivered (sequence numbers), the empty partition key rejected, then the keys and shards.
    expectOutput: (out) => {
      expect(out.match(/^Delivered \S+ \d+$/gm)).toHaveLength(2)
      expect(out.match(/^Rejected /gm)).toHaveLength(1)
      expect(out).toMatch(/'sensor-1', 'shardId-\d+'/)
    },
  },
  {
    name: "firehose",
    readme: "packages/firehose/README.md",
    // Two records delivered, the 1.1 MB one rejected, then the stream's content: one CloudEvent per line.
    expectOutput: (out) => {
      expect(out.match(/^Delivered /gm)).toHaveLength(2)
      expect(out.match(/^Rejected /gm)).toHaveLength(1)
      expect(out.match(/^\{"specversion":"1\.0",.*"subject":"sensor-\d"/gm)).toHaveLength(2)
    },
  },
  {
    name: "sqs",
    readme: "packages/sqs/README.md",
    // Both events at both queues (the FIFO one too), then the first body: the CloudEvents JSON.
    expectOutput: (out) => {
      expect(out.match(/^(orders|ledger) Delivered (order-1|order\/2) \S+$/gm)).toHaveLength(4)
      expect(out).toMatch(/^\{"specversion":"1\.0","id":"order-1",/m)
    },
  },
  {
    name: "sns",
    readme: "packages/sns/README.md",
    expectOutput: (out) => {
      expect(out.match(/^Delivered alarm-[12] \S+$/gm)).toHaveLength(2)
      expect(out).toMatch(/^Alert: temperature\.high$/m)
    },
  },
  {
    name: "testkit-receiver",
    readme: "packages/testkit/README.md",
    section: "A recording HTTP receiver",
    expectOutput: (out) => expect(out).toMatch(/^503\nTypeError\n\{ received: 2 \}\n/),
  },
]

/**
 * README examples that are typechecked only: the outbox's need a PostgreSQL or Redis server, which
 * this test does not assume (the outbox's own tests run them against the servers).
 */
const typecheckOnly: ReadonlyArray<{
  readonly name: string
  readonly readme: string
  readonly section: string
}> = [
  { name: "outbox-postgres", readme: "packages/outbox/README.md", section: "Example" },
  {
    name: "outbox-sqlclient",
    readme: "packages/outbox/README.md",
    section: "With an Effect `SqlClient` (`@effect/sql-pg`)",
  },
  { name: "outbox-redis", readme: "packages/outbox/README.md", section: "Redis" },
]

/** README examples that are vitest test files, run with the installed vitest. */
const testFiles: ReadonlyArray<{ readonly name: string; readonly readme: string }> = [
  { name: "memory", readme: "packages/memory/README.md" },
  { name: "testkit", readme: "packages/testkit/README.md" },
]

/** The environment of a user without AWS credentials, so nothing can reach AWS by accident. */
const withoutAws = (): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith("AWS_")) env[key] = value
  return {
    ...env,
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_CONFIG_FILE: join(work, "no-aws-config"),
    AWS_SHARED_CREDENTIALS_FILE: join(work, "no-aws-credentials"),
  }
}

const tsconfig = (compilerOptions: Record<string, unknown>, include: ReadonlyArray<string> = ["examples"]) =>
  `${JSON.stringify(
    {
      compilerOptions: { target: "es2023", strict: true, noEmit: true, ...compilerOptions },
      include,
    },
    null,
    2,
  )}\n`

beforeAll(() => {
  // The global setup could not pack or install the packages: every test here fails with why.
  if (failure !== undefined) throw new Error(failure)
  mkdirSync(join(app, "examples"), { recursive: true })
  for (const { name, readme, section } of [...programs, ...typecheckOnly, ...testFiles] as ReadonlyArray<{
    name: string
    readme: string
    section?: string
  }>) {
    const markdown = readFileSync(join(repoDir, readme), "utf8")
    const block =
      section === undefined ? firstCodeBlock(markdown, "ts") : codeBlockUnder(markdown, section, "ts")
    if (block === undefined)
      throw new Error(`${readme} has no ts example${section === undefined ? "" : ` under "${section}"`}`)
    const file = testFiles.some((t) => t.name === name) ? `${name}.test.ts` : `${name}.ts`
    writeFileSync(join(app, "examples", file), block.code)
  }
  // The documented set-ups, with both resolutions; then neither set-up (what the READMEs warn
  // about) on one adapter's example, which is enough to show the errors and quicker to check.
  writeFileSync(join(app, "tsconfig.nodenext.json"), tsconfig({ module: "nodenext", types: ["node"] }))
  writeFileSync(
    join(app, "tsconfig.bundler.json"),
    tsconfig({ module: "preserve", moduleResolution: "bundler", types: [], skipLibCheck: true }),
  )
  writeFileSync(
    join(app, "tsconfig.bare.json"),
    tsconfig({ module: "nodenext", types: [] }, ["examples/eventbridge.ts"]),
  )
})

const tsc = (project: string) =>
  run(process.execPath, [join(app, "node_modules/typescript/bin/tsc"), "-p", project], {
    cwd: app,
    timeoutMs: 120_000,
  })

describe("the packed packages in an npm project", () => {
  it("install the examples' imports from the tarballs, not the workspace", () => {
    for (const name of [
      "core",
      "eventbridge",
      "memory",
      "testkit",
      "aws-emulator",
      "kinesis",
      "firehose",
      "sqs",
      "sns",
      "outbox",
    ]) {
      const installed = JSON.parse(
        readFileSync(join(app, "node_modules/@eventport", name, "package.json"), "utf8"),
      ) as { dependencies?: Record<string, string>; peerDependencies?: Record<string, string> }
      const ranges = JSON.stringify({ ...installed.dependencies, ...installed.peerDependencies })
      expect(ranges).not.toContain("workspace:")
      expect(existsSync(join(app, "node_modules/@eventport", name, "dist/index.d.ts"))).toBe(true)
    }
  })

  it("typecheck with @types/node listed (nodenext) and with skipLibCheck alone (bundler); and fail with neither", async () => {
    // In parallel: independent tsc runs on a shared machine.
    const [nodenext, bundler, bare] = await Promise.all(
      ["nodenext", "bundler", "bare"].map((variant) => tsc(`tsconfig.${variant}.json`)),
    )
    expect(nodenext!.stdout + nodenext!.stderr).toBe("")
    expect(nodenext!.code).toBe(0)
    expect(bundler!.stdout + bundler!.stderr).toBe("")
    expect(bundler!.code).toBe(0)
    // The reason for the README note: the AWS SDK's declarations need Node's types.
    expect(bare!.code).not.toBe(0)
    expect(bare!.stdout).toMatch(/@smithy\/.*error TS2591: Cannot find name 'Buffer'/)
  }, 130_000)

  // Concurrently: each example starts its own emulator on a free port, and most of the time is
  // Node and the AWS SDK starting up.
  for (const { name, readme, expectOutput } of programs)
    it.concurrent(`runs the example of ${readme} as written`, async () => {
      const result = await run(process.execPath, [join("examples", `${name}.ts`)], {
        cwd: app,
        env: withoutAws(),
        // Generous: under the whole suite on two shared cores, loading the AWS SDK alone takes seconds.
        timeoutMs: 120_000,
      })
      expect(result.stderr).not.toMatch(/Error|warning/i)
      expect(result.code).toBe(0)
      expectOutput(result.stdout)
    }, 130_000)

  it("runs the test-file examples (memory, testkit) with vitest", async () => {
    const result = await run(
      process.execPath,
      [join(app, "node_modules/vitest/vitest.mjs"), "run", "--reporter=dot", "examples/"],
      { cwd: app, env: { ...process.env, NO_COLOR: "1" }, timeoutMs: 120_000 },
    )
    expect(result.stdout + result.stderr, result.stdout + result.stderr).toMatch(/Test Files\s+2 passed/)
    expect(result.code).toBe(0)
  }, 130_000)
})
