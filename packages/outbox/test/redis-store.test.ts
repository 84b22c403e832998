import type { ChainableCommander } from "ioredis"
import { Redis } from "ioredis"
import { redisStore } from "../src/redis.ts"
import { testOutboxStore } from "./support/StoreSuite.ts"
import { redisProblem, redisUrl, runId, serverSuite } from "./support/TestServers.ts"

const problem = await redisProblem()

serverSuite("redis store", "Redis", problem, () => {
  testOutboxStore<ChainableCommander>({
    fixture: () => {
      const prefix = `${runId("outbox-test")}:`
      const client = new Redis(redisUrl, { lazyConnect: true })
      const store = redisStore({ url: redisUrl, prefix })
      return {
        store,
        inTransaction: async (outcome, body) => {
          const multi = client.multi()
          multi.set(`${prefix}business`, "order")
          await body(multi)
          if (outcome === "commit") await multi.exec()
          else multi.discard()
        },
        release: async () => {
          await client.del(`${prefix}business`)
          client.disconnect()
        },
      }
    },
    unreachable: () => redisStore({ url: "redis://127.0.0.1:1/0", prefix: "unused:" }),
  })
})
