import type { Event } from "@eventport/core"
import type { ConformanceHarness } from "@eventport/testkit"
import { conformanceChecks, conformanceCheckTitles, describeAdapterConformance } from "@eventport/testkit"
import { describe, it } from "vitest"
import { memory, memoryLimits } from "../src/index.ts"

/** The memory destination behind the testkit's harness: its records and its own fault script. */
const memoryHarness = (name: string, adapter: ReturnType<typeof memory>): ConformanceHarness => ({
  name,
  makeAdapter: () => adapter,
  received: () =>
    adapter.entries().map((e) => ({ eventId: e.event.id, request: e.request, data: e.event.data })),
  // The entry is the event itself.
  decodeEntry: (entry: Event) => entry.data,
  requests: () =>
    adapter.requests.map((r) => ({
      entries: r.entries.length,
      bytes: r.entries.reduce(
        (n, e) => n + adapter.memoryLimits.entryBytes(e),
        adapter.memoryLimits.requestOverheadBytes ?? 0,
      ),
    })),
  faults: {
    failEntries: (ids, { retryable, times }) => {
      adapter.faults.failEventIds(ids, {
        code: retryable ? "Unavailable" : "InvalidRequest",
        ...(times === undefined ? {} : { times }),
      })
    },
    failNextRequests: (n, kind) => {
      if (kind === "throttle") adapter.faults.throttleNextRequests(n)
      else adapter.faults.failNextRequests(n, { code: "InternalFailure", httpStatus: 500 })
    },
    clear: () => {
      adapter.faults.clear()
    },
  },
  reset: () => adapter.reset(),
})

describeAdapterConformance({ harness: memoryHarness("memory (default limits)", memory()) })
describeAdapterConformance({
  harness: memoryHarness(
    "memory (EventBridge limits, batch keys, receipts)",
    memory({ limits: memoryLimits.eventBridge, batchKey: (e) => e.source, receipts: true }),
  ),
})

// Entries up to 2 MiB, so hostile input's 1 MiB strings are delivered (and their storage checked)
// instead of Rejected as too large by the default limits.
describe("memory (2 MiB entries) with hostile input", () => {
  const harness = memoryHarness(
    "memory (2 MiB entries)",
    memory({ limits: { maxEntryBytes: 2 * 1024 * 1024, maxRequestBytes: 8 * 1024 * 1024 } }),
  )
  it(conformanceCheckTitles.publishSurvivesHostileInput, () =>
    conformanceChecks.publishSurvivesHostileInput({ harness }),
  )
})
