/**
 * Every link in the repository's Markdown resolves: a relative link names a file or folder that
 * exists (and, for `file.md#anchor`, a heading of that file); no link is an absolute path of some
 * machine. External links cannot be fetched here, so their form is checked and each must be in
 * external-links.txt, which lists them all: a new or changed one is reviewed by hand.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs"
import { dirname, join, relative, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { externalLinkProblem, headingAnchors, markdownLinks } from "../src/MarkdownLinks.ts"

const here = dirname(fileURLToPath(import.meta.url))
const repoDir = resolve(here, "../../..")
const listFile = resolve(here, "../external-links.txt")
const skipped = new Set(["node_modules", "dist", ".git", ".turbo"])

const markdownFiles = (dir: string): Array<string> =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (skipped.has(entry.name)) return []
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return markdownFiles(path)
    return entry.name.endsWith(".md") ? [path] : []
  })

const files = markdownFiles(repoDir)
const links = files.flatMap((file) =>
  markdownLinks(readFileSync(file, "utf8")).map((link) => ({
    ...link,
    file,
    where: `${relative(repoDir, file)}:${link.line}`,
  })),
)
const isExternal = (target: string) => /^[a-z][a-z0-9+.-]*:/i.test(target)
const listed = readFileSync(listFile, "utf8")
  .split("\n")
  .map((line) => line.trim())
  .filter((line) => line !== "" && !line.startsWith("#"))

const anchorsOf = new Map<string, ReadonlySet<string>>()
const anchors = (file: string) => {
  let set = anchorsOf.get(file)
  if (set === undefined) {
    set = headingAnchors(readFileSync(file, "utf8"))
    anchorsOf.set(file, set)
  }
  return set
}

describe("links in the repository's Markdown", () => {
  it("finds the Markdown files and their links", () => {
    expect(files.map((f) => relative(repoDir, f))).toContain("README.md")
    expect(files.map((f) => relative(repoDir, f))).toContain("docs/custom-adapters.md")
    expect(links.length).toBeGreaterThan(20)
  })

  it("relative links reach a file or folder of the repository, and a heading when they name one", () => {
    const problems: Array<string> = []
    for (const { target, file, where } of links) {
      if (isExternal(target)) continue
      const [path = "", anchor] = target.split("#", 2) as [string, string | undefined]
      if (path.startsWith("/")) {
        problems.push(`${where}: ${target} is an absolute path; link relative to the file`)
        continue
      }
      const resolved = path === "" ? file : resolve(dirname(file), decodeURIComponent(path))
      if (!resolved.startsWith(repoDir)) problems.push(`${where}: ${target} leaves the repository`)
      else if (!existsSync(resolved)) problems.push(`${where}: ${target} does not exist`)
      else if (
        anchor !== undefined &&
        statSync(resolved).isFile() &&
        resolved.endsWith(".md") &&
        !anchors(resolved).has(anchor)
      )
        problems.push(`${where}: ${target} names no heading of ${relative(repoDir, resolved)}`)
    }
    expect(problems).toEqual([])
  })

  it("external links are well-formed https URLs, and each is in external-links.txt", () => {
    const problems: Array<string> = []
    for (const { target, where } of links) {
      if (!isExternal(target)) continue
      if (target.startsWith("mailto:")) continue
      const problem = externalLinkProblem(target)
      if (problem !== undefined) problems.push(`${where}: ${target} ${problem}`)
      else if (!listed.includes(target))
        problems.push(
          `${where}: ${target} is not in tests/links/external-links.txt (check it by hand, then add it)`,
        )
    }
    expect(problems).toEqual([])
  })

  it("external-links.txt lists only links still in use, each once", () => {
    const used = new Set(links.map((link) => link.target))
    expect(listed.filter((url) => !used.has(url))).toEqual([])
    expect(new Set(listed).size).toBe(listed.length)
  })
})
