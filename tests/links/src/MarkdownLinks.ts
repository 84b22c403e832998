/**
 * The links of a Markdown document as a renderer sees them: inline links and images, reference
 * definitions and autolinks, outside fenced code blocks and inline code.
 */
export interface MarkdownLink {
  readonly target: string
  /** 1-based line. */
  readonly line: number
}

/**
 * Blanks out fenced code blocks and, with `inline`, code spans, so a regex or a `](…)` inside code is
 * no link and a `#` line inside a block is no heading.
 */
const withoutCode = (markdown: string, inline: boolean): string => {
  const lines = markdown.split("\n")
  let fence: string | undefined
  return lines
    .map((line) => {
      const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1]
      if (fence !== undefined) {
        if (marker?.startsWith(fence)) fence = undefined
        return ""
      }
      if (marker !== undefined) {
        fence = marker
        return ""
      }
      return inline ? line.replace(/(`+)[^`]*?\1/g, (span) => " ".repeat(span.length)) : line
    })
    .join("\n")
}

export const markdownLinks = (markdown: string): ReadonlyArray<MarkdownLink> => {
  const links: Array<MarkdownLink> = []
  withoutCode(markdown, true)
    .split("\n")
    .forEach((text, index) => {
      const line = index + 1
      // [text](target "title") and ![alt](target); the target may be wrapped in <…>.
      for (const m of text.matchAll(/!?\[[^\]]*\]\(\s*(<[^>]*>|[^\s)]+)(?:\s+"[^"]*")?\s*\)/g))
        links.push({ target: m[1]!.replace(/^<|>$/g, ""), line })
      // [id]: target
      const definition = /^\s{0,3}\[[^\]]+\]:\s*(\S+)/.exec(text)
      if (definition) links.push({ target: definition[1]!, line })
      // <https://…>
      for (const m of text.matchAll(/<(https?:\/\/[^>\s]+)>/g)) links.push({ target: m[1]!, line })
    })
  return links
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export const headingAnchor = (heading: string): string =>
  heading
    .trim()
    .toLowerCase()
    .replace(/`/g, "")
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-")

/** The anchors a document's headings give, duplicates numbered as GitHub does (`x`, `x-1`, …). */
export const headingAnchors = (markdown: string): ReadonlySet<string> => {
  const anchors = new Set<string>()
  const seen = new Map<string, number>()
  for (const line of withoutCode(markdown, false).split("\n")) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)
    if (!heading) continue
    const base = headingAnchor(heading[1]!)
    const n = seen.get(base) ?? 0
    seen.set(base, n + 1)
    anchors.add(n === 0 ? base : `${base}-${n}`)
  }
  return anchors
}

export type LinkProblem = string

/** Why an external link's form is wrong, or undefined. It is never fetched. */
export const externalLinkProblem = (target: string): LinkProblem | undefined => {
  let url: URL
  try {
    url = new URL(target)
  } catch {
    return "not a valid URL"
  }
  if (url.protocol !== "https:") return `uses ${url.protocol.replace(":", "")}, not https`
  if (url.username !== "" || url.password !== "") return "carries credentials"
  if (!url.hostname.includes(".") || /^[\d.]+$/.test(url.hostname) || url.hostname === "localhost")
    return `host ${url.hostname} is not a public name`
  return undefined
}
