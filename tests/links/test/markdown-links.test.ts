import { describe, expect, it } from "vitest"
import { externalLinkProblem, headingAnchor, headingAnchors, markdownLinks } from "../src/MarkdownLinks.ts"

describe("markdownLinks", () => {
  it("finds inline links, images, reference definitions and autolinks, with their lines", () => {
    const markdown = [
      "See [core](packages/core/README.md) and ![logo](<img/logo.png>).",
      "[spec]: https://cloudevents.io/ 'CloudEvents'",
      'Mail <https://example.org/a> or [b](https://example.org/b "title").',
    ].join("\n")
    expect(markdownLinks(markdown)).toEqual([
      { target: "packages/core/README.md", line: 1 },
      { target: "img/logo.png", line: 1 },
      { target: "https://cloudevents.io/", line: 2 },
      { target: "https://example.org/b", line: 3 },
      { target: "https://example.org/a", line: 3 },
    ])
  })

  it("ignores links inside fenced code and inline code", () => {
    const markdown = [
      "```ts",
      "const a = [x](not-a-link)",
      "```",
      "The regex `^[A-Za-z_]([A-Za-z0-9]*)$` is no link; [this](real.md) is.",
    ].join("\n")
    expect(markdownLinks(markdown)).toEqual([{ target: "real.md", line: 4 }])
  })
})

describe("headingAnchors", () => {
  it("gives GitHub's anchors, numbering duplicates", () => {
    const markdown =
      "# Dead letters\n## The `Event` model: rules\n## Example\n## Example\n```\n# not a heading\n```"
    expect([...headingAnchors(markdown)]).toEqual([
      "dead-letters",
      "the-event-model-rules",
      "example",
      "example-1",
    ])
    expect(headingAnchor("Step 6 — test it, with a receiver")).toBe("step-6--test-it-with-a-receiver")
  })
})

describe("externalLinkProblem", () => {
  it("accepts a public https URL", () => {
    expect(
      externalLinkProblem("https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html"),
    ).toBeUndefined()
  })

  it("names what is wrong with the others", () => {
    expect(externalLinkProblem("http://example.org/")).toBe("uses http, not https")
    expect(externalLinkProblem("https://user:pw@example.org/")).toBe("carries credentials")
    expect(externalLinkProblem("https://localhost:8080/")).toBe("host localhost is not a public name")
    expect(externalLinkProblem("https://127.0.0.1/")).toBe("host 127.0.0.1 is not a public name")
    expect(externalLinkProblem("https//broken")).toBe("not a valid URL")
  })
})
