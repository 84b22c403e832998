import { Writable } from "node:stream"
import { describe, expect, it } from "vitest"
import { startProgress } from "../src/ProgressView.ts"
import { RunTracker } from "../src/RunTracker.ts"

/** A terminal as cli-progress sees one: a TTY stream whose output is kept, escape codes removed. */
const fakeTerminal = () => {
  let text = ""
  const stream = Object.assign(
    new Writable({
      write(chunk, _encoding, done) {
        text += String(chunk)
        done()
      },
    }),
    { isTTY: true, columns: 160, rows: 40 },
  )
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing ANSI escape sequences
  return { stream, output: () => text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, "").replace(/\r/g, "\n") }
}

describe("progress bars", () => {
  it("count against the input's size, and print a message above the bars, once", () => {
    const tracker = new RunTracker(["memory", "bus"])
    tracker.inputTotal = 10
    const terminal = fakeTerminal()
    const progress = startProgress("bar", tracker, ["memory", "bus"], {
      isTTY: true,
      write: () => {},
      barStream: terminal.stream,
    })
    tracker.enqueued = 10
    for (let i = 0; i < 10; i++) tracker.recordSkipped("bus")
    for (let i = 0; i < 4; i++)
      tracker.recordOutcome({
        _tag: "Delivered",
        destination: "memory",
        eventId: `e${i}`,
        event: { id: `e${i}`, type: "t", source: "s", time: new Date(0), data: {} },
        attempts: 1,
      })
    progress.log("SIGINT: no more input; draining")
    progress.stop()
    const output = terminal.output()
    expect(output.match(/SIGINT: no more input; draining/g)).toHaveLength(1)
    const lastFrame = output.slice(output.lastIndexOf("memory "))
    expect(lastFrame).toMatch(/^memory .* 4\/10 \| delivered 4/)
    expect(lastFrame).toMatch(/\nbus +.* 10\/10 \| delivered 0/)
  })

  it("show counts without a bar when the input's size is unknown (stdin)", () => {
    const tracker = new RunTracker(["memory"])
    const terminal = fakeTerminal()
    const progress = startProgress("bar", tracker, ["memory"], {
      isTTY: true,
      write: () => {},
      barStream: terminal.stream,
    })
    progress.stop()
    expect(terminal.output()).toMatch(/memory 0 done \| delivered 0/)
    expect(terminal.output()).not.toMatch(/\/1 \|/)
  })

  it("plain lines carry done/total, and messages go to the same place", () => {
    const tracker = new RunTracker(["memory"])
    tracker.inputTotal = 3
    const lines: Array<string> = []
    const progress = startProgress("plain", tracker, ["memory"], {
      isTTY: false,
      write: (l) => lines.push(l),
    })
    progress.log("note")
    progress.stop()
    expect(lines).toEqual(["note"])
  })
})
