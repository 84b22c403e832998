import { spawnSync } from "node:child_process"
import { existsSync, readFileSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { minimumNodeMajor, unsupportedNodeProblem } from "../src/NodeVersion.ts"

const sampleDir = resolve(dirname(fileURLToPath(import.meta.url)), "..")

describe("unsupportedNodeProblem", () => {
  it("accepts the minimum major and newer", () => {
    expect(unsupportedNodeProblem(`${minimumNodeMajor}.0.0`)).toBeUndefined()
    expect(unsupportedNodeProblem("24.21.0")).toBeUndefined()
    expect(unsupportedNodeProblem("30.1.2")).toBeUndefined()
  })

  it("refuses an older Node, naming both versions and the bootstrap", () => {
    const problem = unsupportedNodeProblem("20.20.2")
    expect(problem).toContain(`needs Node.js ${minimumNodeMajor} or newer, this is Node.js 20.20.2`)
    expect(problem).toContain("./run.sh sample")
    expect(problem).toContain(". scripts/bootstrap.sh")
  })

  it("matches engines.node in package.json", () => {
    const pkg = JSON.parse(readFileSync(join(sampleDir, "package.json"), "utf8")) as {
      engines: { node: string }
    }
    expect(pkg.engines.node).toBe(`>=${minimumNodeMajor}`)
  })
})

// The machines this project targets ship Node 20 as the system Node; where it is installed, the
// built entry point must stop on it with the message, before the AWS SDK is loaded.
const systemNode = ["/usr/bin/node", "/usr/local/bin/node"].find(
  (path) =>
    existsSync(path) &&
    Number(spawnSync(path, ["-p", "process.versions.node.split('.')[0]"]).stdout?.toString().trim()) <
      minimumNodeMajor,
)

describe.skipIf(systemNode === undefined || !existsSync(join(sampleDir, "dist/main.js")))(
  "dist/main.js on an old Node",
  () => {
    it("exits 2 with the message and nothing else", () => {
      const run = spawnSync(systemNode!, [join(sampleDir, "dist/main.js"), "--help"], { encoding: "utf8" })
      expect(run.status).toBe(2)
      expect(run.stdout).toBe("")
      expect(run.stderr).toMatch(/^eventport-sample: needs Node\.js \d+ or newer, this is Node\.js /)
      expect(run.stderr).not.toMatch(/warning/i)
    })
  },
)
