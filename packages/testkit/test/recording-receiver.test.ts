import { afterAll, beforeEach, describe, expect, it } from "vitest"
import { type RecordingReceiver, startRecordingReceiver } from "../src/index.ts"

let receiver: RecordingReceiver
const receivers: Array<RecordingReceiver> = []
const start = async (...args: Parameters<typeof startRecordingReceiver>) => {
  const started = await startRecordingReceiver(...args)
  receivers.push(started)
  return started
}
afterAll(() => Promise.all(receivers.map((r) => r.close())))

const post = (url: string, body: string, init: RequestInit = {}) =>
  fetch(url, { method: "POST", body, headers: { "content-type": "application/json" }, ...init })

describe("startRecordingReceiver", () => {
  beforeEach(async () => {
    receiver ??= await start({ path: "/events" })
    receiver.respondWith(() => ({ status: 200 }))
    receiver.reset()
  })

  it("listens on a free loopback port and records each request in order", async () => {
    expect(receiver.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/events$/)
    const answer = await post(`${receiver.url}?batch=1`, '[{"id":"a"}]', {
      headers: { "content-type": "application/json", "x-token": "t" },
    })
    expect(answer.status).toBe(200)
    await post(receiver.url, "second")
    expect(receiver.requests.map((r) => [r.sequence, r.method, r.path, r.text])).toEqual([
      [1, "POST", "/events?batch=1", '[{"id":"a"}]'],
      [2, "POST", "/events", "second"],
    ])
    expect(receiver.requests[0]!.headers["x-token"]).toBe("t")
    expect(receiver.requests[0]!.json()).toEqual([{ id: "a" }])
    expect(() => receiver.requests[1]!.json()).toThrow(SyntaxError)
    expect(Buffer.from(receiver.requests[1]!.body).toString()).toBe("second")
  })

  it("answers through respond, and scripted replies first, one per request", async () => {
    receiver.respondWith((request) => ({ status: 202, json: { got: request.text.length } }))
    receiver.replyNext({ status: 429, body: "slow down", headers: { "retry-after": "1" } }, { status: 503 })
    const first = await post(receiver.url, "abc")
    expect([first.status, first.headers.get("retry-after"), await first.text()]).toEqual([
      429,
      "1",
      "slow down",
    ])
    expect((await post(receiver.url, "abc")).status).toBe(503)
    const third = await post(receiver.url, "abcd")
    expect(third.status).toBe(202)
    expect(third.headers.get("content-type")).toBe("application/json")
    expect(await third.json()).toEqual({ got: 4 })
  })

  it("drops the connection on cue: the client gets a network error, the request is recorded", async () => {
    receiver.replyNext({ fault: "drop" })
    const error = await post(receiver.url, "x").then(
      () => undefined,
      (e: unknown) => e as Error & { cause?: { code?: string } },
    )
    expect(error).toBeInstanceOf(TypeError)
    expect(error?.cause?.code).toBe("UND_ERR_SOCKET")
    expect(receiver.requests).toHaveLength(1)
    expect((await post(receiver.url, "after")).status).toBe(200)
  })

  it("hangs on cue until the client's signal aborts, and answers late with delayMs", async () => {
    receiver.replyNext({ fault: "hang" })
    const controller = new AbortController()
    const hanging = post(receiver.url, "x", { signal: controller.signal })
    while (receiver.requests.length === 0) await new Promise((r) => setImmediate(r))
    controller.abort()
    await expect(hanging).rejects.toMatchObject({ name: "AbortError" })

    receiver.replyNext({ status: 201, delayMs: 20 })
    expect((await post(receiver.url, "late")).status).toBe(201)
  })

  it("answers 500 when respond throws, without echoing what it threw", async () => {
    receiver.respondWith(() => {
      throw new Error("secret detail")
    })
    const answer = await post(receiver.url, "x")
    expect(answer.status).toBe(500)
    const text = await answer.text()
    expect(text).toContain("respond function threw: Error")
    expect(text).not.toContain("secret detail")
  })

  it("clearReplies drops queued replies and keeps the requests", async () => {
    receiver.replyNext({ status: 500 })
    await post(receiver.url, "a")
    receiver.replyNext({ status: 500 }, { status: 500 })
    receiver.clearReplies()
    expect((await post(receiver.url, "b")).status).toBe(200)
    expect(receiver.requests.map((r) => r.text)).toEqual(["a", "b"])
  })

  it("reset forgets requests and queued replies; close ends a hanging request", async () => {
    receiver.replyNext({ status: 500 })
    await post(receiver.url, "a")
    receiver.replyNext({ status: 500 })
    receiver.reset()
    expect(receiver.requests).toEqual([])
    expect((await post(receiver.url, "b")).status).toBe(200)
    expect(receiver.requests[0]!.sequence).toBe(1)

    const own = await start()
    own.replyNext({ fault: "hang" })
    const hanging = post(own.url, "x").then(
      () => "answered",
      () => "ended",
    )
    while (own.requests.length === 0) await new Promise((r) => setImmediate(r))
    await own.close()
    expect(await hanging).toBe("ended")
  })
})
