/**
 * What loading core costs a process: the Effect modules it brings in at import and at
 * `createPublisher`. Effect's Stream (with Channel, Sink and PubSub) is loaded only once a Stream or
 * an async iterable is published. Checked in a fresh Node process that records every module it loads,
 * from the sources and from the built dist (what Node loads from the published package: one bundle
 * per entry point, see scripts/bundle-dist.mjs; `./run.sh test` builds before testing).
 */
import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"

const packageRoot = fileURLToPath(new URL("..", import.meta.url))

const script = `
import { registerHooks } from "node:module"
const loaded = new Set()
registerHooks({ load(url, context, next) { loaded.add(url); return next(url, context) } })
const effectModules = () => [...loaded].flatMap((url) => {
  const m = /\\/effect\\/dist\\/(.+)\\.js$/.exec(url)
  return m === null ? [] : [m[1]]
})
const { createPublisher, defineAdapter, encoded, entryOk } = await import("@eventport/core")
const { succeed } = await import("effect/Effect")
const adapter = defineAdapter({
  kind: "count",
  limits: { maxEntries: 10, maxRequestBytes: 1000, maxEntryBytes: 100 },
  encode: () => encoded(null, 10),
  send: (batch) => succeed(batch.entries.map(() => entryOk())),
})
const publisher = createPublisher({ destinations: { a: adapter } })
const created = effectModules()
const array = await publisher.publish([{ type: "t", source: "s", data: 1 }])
const afterArray = effectModules()
async function* input() { yield { type: "t", source: "s", data: 2 } }
const asyncIterable = await publisher.publish(input())
await publisher.close()
process.stdout.write(JSON.stringify({
  created,
  afterArray,
  afterAsyncIterable: effectModules(),
  delivered: [array.counts.a.delivered, asyncIterable.counts.a.delivered],
}))
`

interface Loaded {
  readonly created: ReadonlyArray<string>
  readonly afterArray: ReadonlyArray<string>
  readonly afterAsyncIterable: ReadonlyArray<string>
  readonly delivered: ReadonlyArray<number>
}

/** Node's flags to load core from its sources instead of its built dist. */
const fromSource = [
  "--conditions=@eventport/source",
  "--experimental-transform-types",
  "--disable-warning=ExperimentalWarning",
]

const runChild = (flags: ReadonlyArray<string>): Promise<Loaded> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...flags, "--input-type=module", "--eval", script], {
      cwd: packageRoot,
      stdio: ["ignore", "pipe", "pipe"],
    })
    let out = ""
    let err = ""
    child.stdout.on("data", (b: Buffer) => {
      out += b.toString("utf8")
    })
    child.stderr.on("data", (b: Buffer) => {
      err += b.toString("utf8")
    })
    child.on("error", reject)
    child.on("close", (code) =>
      code === 0 ? resolve(JSON.parse(out) as Loaded) : reject(new Error(`child exited ${code}: ${err}`)),
    )
  })

describe("module loading", () => {
  it.each([
    ["sources", fromSource],
    ["built dist", []],
  ])("loads Effect's Stream only once a Stream or an async iterable is published (%s)", async (_, flags) => {
    const loaded = await runChild(flags)
    expect(loaded.delivered).toEqual([1, 1])
    expect(loaded.created).toContain("Effect")
    for (const heavy of ["Stream", "Channel", "Sink", "PubSub"]) {
      expect(loaded.created).not.toContain(heavy)
      expect(loaded.afterArray).not.toContain(heavy)
    }
    expect(loaded.afterAsyncIterable).toContain("Stream")
  })
})
