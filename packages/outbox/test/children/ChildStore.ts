/**
 * How a child process of the crash tests opens the store it was told to use. Arguments come as one
 * JSON text: `{ kind, url, namespace }`. Children import the package by name: they run the built
 * `dist/` (run.sh builds before it tests), since loading the sources through Node's type transform
 * takes seconds on a busy machine, longer than the second between two kills.
 */
import { postgresStore } from "@eventport/outbox/postgres"
import { redisStore } from "@eventport/outbox/redis"

export interface ChildStoreSpec {
  readonly kind: "postgres" | "redis"
  readonly url: string
  /** Schema (postgres) or key prefix (redis). */
  readonly namespace: string
}

export const openChildStore = (spec: ChildStoreSpec) =>
  spec.kind === "postgres"
    ? {
        kind: "postgres" as const,
        store: postgresStore({ connectionString: spec.url, schema: spec.namespace, maxConnections: 2 }),
      }
    : { kind: "redis" as const, store: redisStore({ url: spec.url, prefix: spec.namespace }) }

export const destinations = ["orders", "audit"] as const

/** Ids are deterministic so the controller knows what each producer committed and rolled back. */
export const eventId = (producer: number, batch: number, index: number) => `p${producer}-b${batch}-e${index}`

/** Every fifth batch (2, 7, 12…) is added inside a transaction that is rolled back on purpose. */
export const rolledBack = (batch: number) => batch % 5 === 2
