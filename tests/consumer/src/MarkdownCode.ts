/** Fenced code blocks of a Markdown document, as a reader copies them. */
export interface CodeBlock {
  readonly language: string
  readonly code: string
  /** 1-based line of the opening fence. */
  readonly line: number
}

/** Every fenced block (``` or ~~~), in document order; an unclosed fence runs to the end. */
export const codeBlocks = (markdown: string): ReadonlyArray<CodeBlock> => {
  const lines = markdown.split("\n")
  const blocks: Array<CodeBlock> = []
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,}|~{3,})\s*([\w-]*)/.exec(lines[i]!)
    if (!open) continue
    const fence = open[1]!
    const start = i
    const body: Array<string> = []
    for (i++; i < lines.length && !lines[i]!.startsWith(fence); i++) body.push(lines[i]!)
    blocks.push({ language: open[2] ?? "", code: `${body.join("\n")}\n`, line: start + 1 })
  }
  return blocks
}

/** The first block in `language` (e.g. `ts`), or undefined. */
export const firstCodeBlock = (markdown: string, language: string): CodeBlock | undefined =>
  codeBlocks(markdown).find((block) => block.language === language)

/** The first block in `language` after the heading whose text is `heading` (any level), or undefined. */
export const codeBlockUnder = (
  markdown: string,
  heading: string,
  language: string,
): CodeBlock | undefined => {
  const at = markdown
    .split("\n")
    .findIndex((line) => /^#{1,6}\s/.test(line) && line.replace(/^#+\s+/, "").trim() === heading)
  if (at < 0) return undefined
  return codeBlocks(markdown).find((block) => block.line > at + 1 && block.language === language)
}
