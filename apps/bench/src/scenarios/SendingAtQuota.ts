/**
 * Scenario 9: sending at a destination's quota. The emulator limits PutEvents to 100 requests/s
 * (token bucket, burst 20) and throttles beyond it with EventBridge's ThrottlingException; the
 * publisher (defaults: adaptive send rate on) sends 20,000 events, side by side with the hand-written
 * loop on an SDK client in `retryMode: "adaptive"` that sends again whatever failed. Each side starts
 * fresh (new publisher or client, full quota bucket).
 */

import { EventBridgeClient } from "@aws-sdk/client-eventbridge"
import { createPublisher } from "@eventport/core"
import { eventBridge } from "@eventport/eventbridge"
import { EmulatorProcess } from "../EmulatorProcess.ts"
import { putEventsMaxEntries, putEventsUntilDelivered } from "../HandWrittenPutEvents.ts"
import {
  type Accounting,
  atLeast,
  atMost,
  measurement,
  type Scenario,
  type ScenarioReport,
} from "../Scenario.ts"
import { repeat, timed } from "../Statistics.ts"
import { benchEventBusName, smallEventArray } from "./BenchEvents.ts"
import { asDestination } from "./Destination.ts"
import { emulatorConcurrency } from "./EmulatorCapacity.ts"

/** The quota of the issue: 100 PutEvents requests per second, 20 at once. */
export const putEventsQuota = { rate: 100, burst: 20 } as const
/** Goodput the publisher must reach: 90% of what the quota allows with full requests. */
export const quotaGoodputGoal = atLeast(
  0.9 * putEventsQuota.rate * putEventsMaxEntries,
  `≥ ${0.9 * putEventsQuota.rate * putEventsMaxEntries}/s`,
)
export const throttledShareGoal = atMost(0.05, "≤ 0.05")
/** "Better than the anchor": the anchor's figure over Eventport's (goodput: Eventport's over the anchor's). */
export const betterThanAnchorGoal = atLeast(1, "≥ 1")

/** Sends of one chunk the anchor makes before it gives the chunk up as failed. */
const anchorMaxRounds = 50

/** Events per side in a full run: the figure, not scaled by `--scale`. */
const quotaEvents = 20_000

export const sendingAtQuota: Scenario = {
  id: 9,
  title: "Sending at a quota",
  measures:
    `Goodput (delivered events/s) and throttled share of requests sending small events through the EventBridge adapter ` +
    `(publisher defaults, adaptive send rate on) to an emulator limiting PutEvents to ${putEventsQuota.rate} requests/s ` +
    `(burst ${putEventsQuota.burst}), side by side with a hand-written loop on an SDK client in retryMode "adaptive" ` +
    `(default 3 attempts) that sends again what failed; ${emulatorConcurrency} requests in flight on both sides.`,
  run: async (settings): Promise<ScenarioReport> => {
    // 20,000 events whatever --scale says: the goals are set for that run, and its time is the
    // quota's (about 20 s a side), not the machine's. Finding the quota costs a few throttled
    // requests once per run, a share a smaller run would overweight.
    const events = smallEventArray(settings.quick ? 500 : quotaEvents)
    const repetitions = Math.min(settings.repetitions, 3)
    const emulator = await EmulatorProcess.start({ quotas: { eventbridge: putEventsQuota } })
    const clientConfig = {
      endpoint: emulator.endpoint,
      region: emulator.region,
      credentials: emulator.credentials,
    }
    /** Requests the emulator answered since the last reset, and how many of them it throttled (400). */
    const answered = async () => {
      const counts = await emulator.requestCounts()
      return { requests: counts.total, throttled: counts.byStatus["400"] ?? 0 }
    }
    const eventportSide = async (label: string) => {
      await emulator.reset()
      const publisher = createPublisher({
        destinations: {
          eventbridge: asDestination(eventBridge({ eventBusName: benchEventBusName, clientConfig })),
        },
        concurrency: emulatorConcurrency,
        retainOutcomes: "none",
      })
      try {
        const { ms, value } = await timed(() => publisher.publish(events))
        const c = value.counts.eventbridge
        const accounting: Accounting = {
          label,
          sent: events.length,
          delivered: c?.delivered ?? 0,
          rejected: c?.rejected ?? 0,
          failed: c?.failed ?? 0,
        }
        return { ms, accounting, ...(await answered()) }
      } finally {
        await publisher.close()
      }
    }
    const anchorSide = async (label: string) => {
      await emulator.reset()
      const client = new EventBridgeClient({ ...clientConfig, retryMode: "adaptive" })
      try {
        const { ms, value } = await timed(() =>
          putEventsUntilDelivered(client, events, {
            eventBusName: benchEventBusName,
            concurrency: emulatorConcurrency,
            maxRounds: anchorMaxRounds,
          }),
        )
        const accounting: Accounting = {
          label,
          sent: events.length,
          delivered: value.delivered,
          rejected: 0,
          failed: value.failed,
        }
        return { ms, accounting, ...(await answered()) }
      } finally {
        client.destroy()
      }
    }
    try {
      const accounting: Accounting[] = []
      const runs = await repeat(repetitions, async (rep) => {
        const eventportFirst = rep % 2 === 0
        const first = eventportFirst
          ? await eventportSide(`run ${rep + 1} Eventport`)
          : await anchorSide(`run ${rep + 1} SDK adaptive`)
        const second = eventportFirst
          ? await anchorSide(`run ${rep + 1} SDK adaptive`)
          : await eventportSide(`run ${rep + 1} Eventport`)
        const [eventport, anchor] = eventportFirst ? [first, second] : [second, first]
        accounting.push(eventport.accounting, anchor.accounting)
        const goodput = (side: typeof eventport) => side.accounting.delivered / (side.ms / 1000)
        // A share of 0 would make the ratio infinite: count it as one throttled request.
        const share = (side: typeof eventport) => Math.max(side.throttled, 1) / side.requests
        settings.log(
          `run ${rep + 1}: Eventport ${eventport.ms.toFixed(0)} ms, ${eventport.requests} requests, ${eventport.throttled} throttled; ` +
            `SDK adaptive ${anchor.ms.toFixed(0)} ms, ${anchor.requests} requests, ${anchor.throttled} throttled`,
        )
        return {
          eventportGoodput: goodput(eventport),
          anchorGoodput: goodput(anchor),
          eventportShare: eventport.throttled / eventport.requests,
          anchorShare: anchor.throttled / anchor.requests,
          goodputRatio: goodput(eventport) / goodput(anchor),
          shareRatio: share(anchor) / share(eventport),
          eventportDelivered: eventport.accounting.delivered / events.length,
          anchorDelivered: anchor.accounting.delivered / events.length,
        }
      })
      const figure = (
        label: string,
        unit: "events/s" | "ratio",
        pick: (r: (typeof runs)[number]) => number,
        goal?: Parameters<typeof measurement>[3],
      ) => measurement(label, unit, runs.map(pick), goal)
      return {
        id: 9,
        title: sendingAtQuota.title,
        events: events.length,
        repetitions,
        measurements: [
          figure("Eventport goodput", "events/s", (r) => r.eventportGoodput, quotaGoodputGoal),
          figure("SDK adaptive goodput", "events/s", (r) => r.anchorGoodput),
          figure(
            "Eventport throttled share of requests",
            "ratio",
            (r) => r.eventportShare,
            throttledShareGoal,
          ),
          figure("SDK adaptive throttled share of requests", "ratio", (r) => r.anchorShare),
          figure("goodput, Eventport / SDK adaptive", "ratio", (r) => r.goodputRatio, betterThanAnchorGoal),
          figure(
            "throttled share, SDK adaptive / Eventport",
            "ratio",
            (r) => r.shareRatio,
            betterThanAnchorGoal,
          ),
          figure("share delivered, Eventport", "ratio", (r) => r.eventportDelivered, atLeast(1, "1")),
          figure("share delivered, SDK adaptive", "ratio", (r) => r.anchorDelivered),
        ],
        accounting,
        notes: [
          `Quota: ${putEventsQuota.rate} PutEvents requests/s, burst ${putEventsQuota.burst}, enforced by the emulator (own process) on its clock; a request beyond it is answered ThrottlingException (400) and takes no token. Each side starts with a full bucket.`,
          `The goodput goal is 0.9 × quota × ${putEventsMaxEntries} entries per request. Requests and throttled requests are counted by the emulator (the SDK's own retries included).`,
          `The anchor sends a chunk again (up to ${anchorMaxRounds} times) when its request failed after the SDK's retries, and the failed entries of a 200 response.`,
          `${quotaEvents.toLocaleString("en-US")} events per side in a full run whatever \`--scale\` says (the goals are set for that run; its time is the quota's, not the machine's). At most 3 repetitions: each side takes about ${Math.round(events.length / (putEventsQuota.rate * putEventsMaxEntries))} s at the quota.`,
        ],
      }
    } finally {
      await emulator.stop()
    }
  },
}
