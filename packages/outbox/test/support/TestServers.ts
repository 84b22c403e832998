/**
 * Where the test servers are, and whether they answer. Tests that need one run only where it
 * answers; elsewhere they print one line naming what was skipped and why, and under `CI=true` that
 * skip is a failure (see `serverSuite`).
 */
import net from "node:net"
import { describe, it } from "vitest"

export const postgresUrl = process.env.EVENTPORT_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test"
export const redisUrl = process.env.EVENTPORT_TEST_REDIS_URL ?? "redis://127.0.0.1:6379/0"

/** A name no other run uses, for a schema or a key prefix. */
export const runId = (label: string): string =>
  `${label}_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`

const reachable = (url: string, defaultPort: number): Promise<string | undefined> =>
  new Promise((resolve) => {
    const { hostname, port } = new URL(url)
    const socket = net.connect({ host: hostname, port: port === "" ? defaultPort : Number(port) })
    const done = (problem: string | undefined) => {
      socket.destroy()
      resolve(problem)
    }
    socket.setTimeout(2_000, () => done("no answer within 2 s"))
    socket.once("connect", () => done(undefined))
    socket.once("error", (error) => done(error.message))
  })

export const postgresProblem = (): Promise<string | undefined> => reachable(postgresUrl, 5432)
export const redisProblem = (): Promise<string | undefined> => reachable(redisUrl, 6379)

/**
 * `describe` when the server answers. Otherwise one clear line on stderr and a skipped suite, or,
 * under `CI=true`, a failing test with the same line: a CI run must not pass without them.
 */
export const serverSuite = (
  title: string,
  server: string,
  problem: string | undefined,
  body: () => void,
): void => {
  if (problem === undefined) {
    describe(title, body)
    return
  }
  const line = `SKIPPED ${title}: ${server} did not answer (${problem})`
  if (process.env.CI === "true") {
    describe(title, () => {
      it(`needs ${server}`, () => {
        throw new Error(`${line}; under CI=true a skip is a failure`)
      })
    })
    return
  }
  process.stderr.write(`${line}\n`)
  describe.skip(title, body)
}
