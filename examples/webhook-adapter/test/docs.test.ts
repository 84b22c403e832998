import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"

// docs/custom-adapters.md quotes this example; each quote must be the example's real code.
const repoRoot = fileURLToPath(new URL("../../../", import.meta.url))
const guide = readFileSync(`${repoRoot}docs/custom-adapters.md`, "utf8")
const quotes = [...guide.matchAll(/<!-- quoted from (\S+) \(([^)]+)\) -->\s*```ts\n([\s\S]*?)\n```/g)]

const region = (path: string, name: string): string => {
  const source = readFileSync(`${repoRoot}${path}`, "utf8")
  const start = source.indexOf(`// --- ${name}`)
  const end = source.indexOf(`// --- end ${name}\n`)
  if (start < 0 || end < 0) throw new Error(`${path} has no region "${name}"`)
  const lines = source
    .slice(source.indexOf("\n", start) + 1, end)
    .replace(/\s+$/, "")
    .split("\n")
  // Quoted without the region's common indentation, as the formatter lays out a code block.
  const indent = Math.min(...lines.filter((l) => l.trim() !== "").map((l) => l.length - l.trimStart().length))
  return lines.map((l) => l.slice(indent)).join("\n")
}

describe("docs/custom-adapters.md", () => {
  it("quotes the example's code", () => {
    expect(quotes.length).toBeGreaterThanOrEqual(5)
  })
  for (const [, path, name, code] of quotes)
    it(`quotes ${path} (${name}) verbatim`, () => {
      expect(code).toBe(region(path!, name!))
    })
})
