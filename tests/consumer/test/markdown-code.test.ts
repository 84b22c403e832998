import { describe, expect, it } from "vitest"
import { codeBlocks, codeBlockUnder, firstCodeBlock } from "../src/MarkdownCode.ts"

describe("codeBlocks", () => {
  it("finds fenced blocks with their language and line, and keeps a longer fence's inner fences", () => {
    const markdown = [
      "# t",
      "```sh",
      "pnpm add x",
      "```",
      "text",
      "````md",
      "```ts",
      "a",
      "```",
      "````",
    ].join("\n")
    expect(codeBlocks(markdown)).toEqual([
      { language: "sh", code: "pnpm add x\n", line: 2 },
      { language: "md", code: "```ts\na\n```\n", line: 6 },
    ])
  })

  it("gives the first block of a language, or undefined", () => {
    const markdown = "```sh\nx\n```\n```ts\nconst a = 1\n```\n```ts\nconst b = 2\n```\n"
    expect(firstCodeBlock(markdown, "ts")?.code).toBe("const a = 1\n")
    expect(firstCodeBlock(markdown, "py")).toBeUndefined()
  })

  it("gives the first block of a language under a heading", () => {
    const markdown = "# A\n```ts\na\n```\n## B section\ntext\n```sh\nx\n```\n```ts\nb\n```\n"
    expect(codeBlockUnder(markdown, "B section", "ts")?.code).toBe("b\n")
    expect(codeBlockUnder(markdown, "A", "ts")?.code).toBe("a\n")
    expect(codeBlockUnder(markdown, "C", "ts")).toBeUndefined()
  })
})
