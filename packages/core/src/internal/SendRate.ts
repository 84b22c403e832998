/**
 * The adaptive send rate of one destination: how many requests per second it may start, learned from
 * throttling answers, in the manner of the AWS SDKs' adaptive retry mode (a CUBIC-shaped rate, see
 * Ha, Rhee and Xu, "CUBIC: a new TCP-friendly high-speed TCP variant", 2008) but per destination and
 * on the Effect clock.
 *
 * - Unlimited until the first throttling answer: a destination that never throttles pays nothing.
 * - A throttling answer for a request sent after the last decrease lowers the rate to `decrease` ×
 *   the rate it was sent at (one decrease per overshoot, however many requests were in flight). The
 *   first one starts from the rate requests were sent at over the last second; within the first
 *   second of sending, only `burstShare` of it, since that rate includes the burst a quota grants
 *   its full bucket at the start.
 * - Throttling answers within a second of the first one of an episode lower it to at most
 *   `decrease` × the rate the destination accepted the requests sent since the episode began:
 *   throttled at both ends, a token-bucket quota let through about its rate in between. So the first
 *   guess, inflated by the quota's burst, comes down in a few throttled requests, not one per 10%.
 *   An episode begins when the request whose throttle began it was sent, not when its answer came:
 *   the quota's bucket was empty from then on, and the longer span for the same requests accepted
 *   makes a tighter bound.
 *   The first answer of a later episode starts from the rate accepted since the last one, but at most
 *   one decrease below the rate it was sent at (an idle spell accepted little and says nothing of
 *   the quota).
 * - Then the rate climbs back along a cubic: slowly near the rate that was throttled (where the quota
 *   probably is), faster the longer no throttling comes (probing for more room), and never above
 *   twice what was actually sent over the last second (an idle destination does not bank a burst).
 * - Throttling at random (a share of requests refused whatever the rate: a hot partition, random
 *   refusals) is told from a quota: a quota that accepted n requests over a span that began with a
 *   throttle has a rate of at least about (n - 2) / span, so it does not throttle a request sent
 *   below `decrease` × that. Such a throttle lowers nothing, and the second one of a spell of
 *   throttling settles it: the destination throttles at random, at the share the spell saw. The
 *   rate is then unlimited again (only that share is lost, and sent again), the share is measured
 *   over the next 300 answers, and from then on only a throttled share of the last second above it
 *   (by three standard deviations of both and 2 points: a quota on top) lowers the rate. The share
 *   halves every minute, as the best second does.
 * - Once throttling at random was seen, the rate does not go below `minShare` of the best second
 *   lately. Before, it must be free to fall below what the destination accepts, or a throttle could
 *   not tell a quota from random.
 * - Requests are paced by reservation: each takes the next slot of a token bucket of one token, so
 *   the workers of a destination space their requests at the rate instead of bursting.
 *
 * All work is per request (a few arithmetic steps over the ten slots of the last second); nothing is
 * allocated.
 */

import type * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type { SendRateOptions } from "../PublisherOptions.ts"
import { shownValue } from "./DescribeValue.ts"

export interface SendRateSettings {
  /** Fraction of the throttled rate kept after a throttling answer, in (0, 1). */
  readonly decrease: number
  /** Time to climb back to the throttled rate after a decrease, in ms. */
  readonly recoveryMs: number
  /** Lowest rate, requests per second. */
  readonly minRate: number
  /**
   * Lowest rate as a share of the most the destination accepted in one second lately (that best
   * second counts half as much a minute later), once throttling at random was seen: a throttled
   * share above it (a quota on top) lowers the rate, but not below this.
   */
  readonly minShare: number
}

/** Defaults of the publisher's `sendRate` option. */
export const defaultSendRate: SendRateSettings = {
  decrease: 0.9,
  recoveryMs: 5_000,
  minRate: 1,
  minShare: 0.5,
}

/**
 * The settings of one destination from its own `sendRate` and the publisher's (the first given wins,
 * field by field); undefined when the first given is `false`. A bad value goes to `invalid` with the
 * option's path and a message that names the rule.
 */
export const resolveSendRate = (
  name: string,
  layers: ReadonlyArray<false | SendRateOptions | undefined>,
  invalid: (option: string, message: string) => never,
): SendRateSettings | undefined => {
  const first = layers.find((layer) => layer !== undefined)
  if (first === false) return undefined
  const pick = <K extends keyof SendRateOptions>(key: K): number => {
    for (const layer of layers) {
      if (layer === false) break
      const value = layer?.[key]
      if (value !== undefined) return value
    }
    return defaultSendRate[key]
  }
  const check = (key: keyof SendRateOptions, valid: (value: number) => boolean, rule: string) => {
    const value = pick(key)
    if (typeof value !== "number" || !valid(value))
      invalid(
        `${name}.sendRate.${key}`,
        `createPublisher: ${name}.sendRate.${key} must be ${rule}, got ${shownValue(value)}`,
      )
    return value
  }
  return {
    decrease: check("decrease", (v) => v > 0 && v < 1, "a number above 0 and below 1"),
    recoveryMs: check("recoveryMs", (v) => v > 0 && Number.isFinite(v), "a positive number of ms"),
    minRate: check("minRate", (v) => v > 0 && Number.isFinite(v), "a positive number of requests/s"),
    minShare: check("minShare", (v) => v >= 0 && v <= 1, "a number from 0 to 1"),
  }
}

/**
 * The share of the rate sent before the first throttle that is taken for the throttled rate, when
 * that throttle comes within the first second of sending: a token-bucket quota grants its full
 * bucket (its burst) at once, so the rate sent until then overstates its rate. 0.7 is CUBIC's
 * multiplicative decrease (RFC 9438, β_cubic), which the AWS SDKs' adaptive retry mode applies at
 * every throttle. Later, the rate over a whole second says little of a burst, and the first throttle
 * takes it as it is.
 */
const burstShare = 0.7

/** Ten slots of 100 ms: what was sent and accepted over the last second. */
const slotMs = 100
const slots = 10
/**
 * Throttling answers within this long of the first one of an episode belong to it: each lowers the
 * rate to at most what the destination accepted since the episode began.
 */
const episodeMs = 1_000
/** The best second's weight halves every minute (600 slots); so does the random share's. */
const bestDecayPerSlot = 2 ** (-1 / 600)
/** Throttled requests a quota does not explain, in one spell, that show throttling at random. */
const unexplainedToSettle = 2
/** Accepted requests an episode needs before its accepted rate can explain or not a throttle. */
const unexplainedMinAccepted = 10
/** How far above the random share (plus three standard deviations) the throttled share may go. */
const randomSlack = 0.02
/**
 * Answers a spell needs before its throttles can settle that the throttling is random. With fewer,
 * a quota's burst and answers overtaking each other can make two throttles look like no quota's.
 */
const randomMinAnswers = 20
/** Answers the random share is measured over again once found (the spell may have had few). */
const randomAnswersMeasured = 300
/** Below this the random share is forgotten. */
const minRandomShare = 0.005

export class SendRate {
  /** False until the first throttling answer, and again once throttling was found random. */
  private limited = false
  /** The rate a throttling answer was last seen at (requests/s): where the cubic flattens. */
  private throttledRate = 0
  /** Clock time (ms) of the last decrease; requests sent before it do not decrease again. */
  private decreasedAt = Number.NEGATIVE_INFINITY
  /** Token bucket of one token; negative while requests wait for their slot. */
  private tokens = 0
  private countedAt = 0
  private readonly sent = new Float64Array(slots)
  private readonly accepted = new Float64Array(slots)
  private readonly throttled = new Float64Array(slots)
  /** The 100 ms slot number the windows were last moved to, and the first one ever seen. */
  private slot = -1
  private firstSlot = -1
  /** Most requests accepted in one full second lately, decaying (see `minShare`). */
  private bestSecond = 0
  /** What the destination accepted since the current throttling episode began (its first decrease). */
  private readonly episode = new AcceptedSince()
  /**
   * The same since the spell of throttling began: its first episode after a quiet `recoveryMs`.
   * Throttled at its start too, so a quota's rate is at least what it accepted since.
   */
  private readonly spell = new AcceptedSince()
  /** Throttled requests sent since the spell began. */
  private spellThrottled = 0
  /** Throttled requests of the current spell that a quota does not explain (see `isUnexplained`). */
  private unexplained = 0
  /**
   * The share of requests the destination throttles whatever the rate, once seen (0 until then):
   * throttling at about this share does not lower the rate. Decays as the best second does.
   */
  private randomShare = 0
  /** How many answers the random share was measured over. */
  private randomAnswers = 0
  /** Answers still to measure the random share over once found, and how many were throttled. */
  private measuring = 0
  private measuredThrottled = 0
  private decreaseCount = 0

  private readonly settings: SendRateSettings

  constructor(settings: SendRateSettings) {
    this.settings = settings
  }

  /** Whether throttling has been seen, so requests are paced (diagnostics and tests). */
  get isLimited(): boolean {
    return this.limited
  }

  /** The share of requests throttled at random lately, 0 when none was seen (diagnostics and tests). */
  get randomThrottledShare(): number {
    return this.randomShare
  }

  /** How many times a throttling answer lowered the rate (diagnostics and tests). */
  get decreases(): number {
    return this.decreaseCount
  }

  /**
   * The rate requests may start at now, requests/s; `Infinity` before any throttling, and again once
   * the throttling was found random (until a throttled share above it).
   */
  rateAt(now: number): number {
    if (!this.limited) return Number.POSITIVE_INFINITY
    const { decrease, recoveryMs, minRate } = this.settings
    const since = (now - this.decreasedAt) / recoveryMs - 1
    const cubic = this.throttledRate * (1 + (1 - decrease) * since * since * since)
    this.moveTo(now)
    const ceiling = Math.max(this.throttledRate, (2 * sum(this.sent)) / this.windowSeconds(now))
    // The share floor holds once throttling at random was seen: until then the rate must be free to
    // fall below what the destination accepts, for a throttle to tell a quota from random.
    const floor = this.randomShare > 0 ? this.settings.minShare * this.bestSecond : 0
    return Math.max(minRate, floor, Math.min(cubic, ceiling))
  }

  /**
   * Reserves the next slot for one request starting at `now`; returns how long it waits first (ms),
   * 0 when it may go now.
   */
  reserve(now: number): number {
    this.moveTo(now)
    this.sent[this.slot % slots]!++
    if (!this.limited) return 0
    const rate = this.rateAt(now)
    this.tokens = Math.min(1, this.tokens + ((now - this.countedAt) * rate) / 1000)
    this.countedAt = now
    this.tokens -= 1
    return this.tokens >= 0 ? 0 : (-this.tokens * 1000) / rate
  }

  /** One request answered at `now`; `sentAt` is when it went out, `throttled` whether it was told to slow down. */
  answered(now: number, sentAt: number, throttled: boolean): void {
    this.moveTo(now)
    if (this.measuring > 0) this.measureRandomShare(throttled)
    if (!throttled) {
      this.accepted[this.slot % slots]!++
      this.episode.accept(sentAt)
      this.spell.accept(sentAt)
      return
    }
    this.throttled[this.slot % slots]!++
    if (this.spell.holds(sentAt)) this.spellThrottled++
    if (sentAt < this.decreasedAt) return
    if (this.randomShare > 0 && this.isRandomShare()) return
    if (this.isUnexplained(sentAt)) {
      // A quota would not have throttled it: lowering the rate does not help. The second one
      // settles it: throttling at random, at about the share the spell saw.
      if (
        ++this.unexplained >= unexplainedToSettle &&
        this.spell.accepted + this.spellThrottled >= randomMinAnswers
      )
        this.throttlingAtRandom(now)
      return
    }
    // The first time, the rate it was sending at (less the burst, within the first second): a
    // guess too high costs a few quick decreases more, one too low a slow climb.
    let from = this.limited ? this.rateAt(sentAt) : this.unpacedRate(now)
    // What the destination accepted of the requests sent since the episode began: throttled then
    // and now, it let through about its quota in between (one more covers the token it may have had).
    const accepted = this.episode.acceptedRate(sentAt)
    if (now - this.episode.at < episodeMs) {
      from = Math.min(from, accepted)
    } else {
      // A new episode. Since the last one the destination may have had room it was not offered
      // (an idle spell), so the accepted rate lowers the throttled rate by one decrease at most.
      if (this.limited) from = Math.max(this.settings.decrease * from, Math.min(from, accepted))
      this.episode.restart(sentAt)
      if (!this.limited || now - this.decreasedAt >= this.settings.recoveryMs) {
        this.unexplained = 0
        this.spell.restart(now)
        this.spellThrottled = 0
      }
    }
    this.throttledRate = Math.max(this.settings.minRate, from)
    if (!this.limited) {
      this.limited = true
      this.tokens = 0
      this.countedAt = now
    }
    this.decreasedAt = now
    this.decreaseCount++
  }

  /**
   * Whether the throttled share of the last second's answers is within what random throttling
   * explains; if so, that share is followed a little.
   */
  private isRandomShare(): boolean {
    const throttled = sum(this.throttled)
    const answers = throttled + sum(this.accepted)
    const m = this.randomAnswers
    // Both shares are measured: up to three standard deviations of their difference (of the share
    // both together show), and a little more, is the random share still.
    const pooled = (throttled + this.randomShare * m) / (answers + m)
    const deviation = Math.sqrt(pooled * (1 - pooled) * (1 / answers + 1 / m))
    return throttled / answers <= this.randomShare + randomSlack + 3 * deviation
  }

  /**
   * Just found at random, the share is measured again over the next answers, sent unpaced; the
   * share found keeps judging the throttles meanwhile. A throttle above it (a quota on top) ends
   * the measurement and the share found stays.
   */
  private measureRandomShare(throttled: boolean) {
    if (this.limited) {
      this.measuring = 0
      return
    }
    if (throttled) this.measuredThrottled++
    if (--this.measuring > 0) return
    this.randomShare = this.measuredThrottled / randomAnswersMeasured
    this.randomAnswers = randomAnswersMeasured
  }

  /**
   * Whether a throttled request went out well below the rate the destination accepted since the
   * episode (or the spell) began. A token-bucket quota that accepted n requests over a span that began
   * with a throttle has a rate of at least about (n - 2) / span (the bucket was empty then, and one
   * more token may have come in while it was answered): sent slower than that, it had a token for it.
   */
  private isUnexplained(sentAt: number): boolean {
    if (!this.limited) return false
    const rate = this.rateAt(sentAt) / this.settings.decrease
    return rate < this.episode.acceptedAtLeast(sentAt) || rate < this.spell.acceptedAtLeast(sentAt)
  }

  /**
   * Throttling does not ease when the rate drops: it is random, at about the share of the requests
   * sent since the spell began (measured further over the next answers). The rate is unlimited
   * again (as before any throttling: the destination takes what it is offered, less that share);
   * from then on only a throttled share above it lowers the rate. Found again later (a quota on top
   * was being looked for), the throttles a quota does not explain just lower nothing.
   */
  private throttlingAtRandom(now: number) {
    if (this.randomShare === 0) {
      this.randomAnswers = this.spell.accepted + this.spellThrottled
      this.randomShare = this.spellThrottled / this.randomAnswers
      this.measuring = randomAnswersMeasured
      this.measuredThrottled = 0
      this.limited = false
      this.decreasedAt = now
      this.episode.openFromStart()
      this.spell.openFromStart()
    }
    this.unexplained = 0
  }

  /** A request's wait for its slot, on the Effect clock (so a test clock drives it). */
  take(clock: Clock.Clock): Effect.Effect<void> {
    const wait = this.reserve(clock.currentTimeMillisUnsafe())
    return wait > 0 ? Effect.sleep(Duration.millis(wait)) : Effect.void
  }

  /** The 100 ms slots since the first one seen, this one included (a whole second at `slots`). */
  private get slotsSeen(): number {
    return this.slot - this.firstSlot + 1
  }

  /** The rate sent over the last second while unpaced; within the first second, `burstShare` of it. */
  private unpacedRate(now: number): number {
    const rate = sum(this.sent) / this.windowSeconds(now)
    return this.slotsSeen < slots ? burstShare * rate : rate
  }

  /** The seconds the windows cover: the last second, or less when the destination is younger. */
  private windowSeconds(now: number): number {
    const covered = Math.min(slots, this.slotsSeen) * slotMs
    return Math.max(slotMs, Math.min(covered, now - this.firstSlot * slotMs)) / 1000
  }

  /** Moves both windows to the slot of `now`, emptying the slots that passed. */
  private moveTo(now: number) {
    const slot = Math.floor(now / slotMs)
    if (this.firstSlot < 0) {
      this.firstSlot = slot
      this.slot = slot
      return
    }
    if (slot <= this.slot) return
    if (this.randomShare > 0) {
      this.randomShare *= bestDecayPerSlot ** (slot - this.slot)
      if (this.randomShare < minRandomShare) this.randomShare = 0
    }
    // The second that just ended, once the windows cover whole seconds.
    if (this.slotsSeen >= slots) {
      const decayed = this.bestSecond * bestDecayPerSlot ** (slot - this.slot)
      this.bestSecond = Math.max(decayed, sum(this.accepted))
    }
    const passed = Math.min(slots, slot - this.slot)
    for (let i = 1; i <= passed; i++) {
      const index = (this.slot + i) % slots
      this.sent[index] = 0
      this.accepted[index] = 0
      this.throttled[index] = 0
    }
    this.slot = slot
  }
}

/**
 * How many requests sent since a throttle (`at`) the destination accepted, and when the last of them
 * was sent: throttled at `at` and again later, a token-bucket quota let through about its rate in
 * between.
 */
class AcceptedSince {
  at = Number.NEGATIVE_INFINITY
  accepted = 0
  private sentUntil = Number.NEGATIVE_INFINITY

  /**
   * Counting starts again from `at`: when the request whose throttle began the episode was sent
   * (the bucket was empty from then on), or when the throttle that began the spell was answered.
   */
  restart(at: number): void {
    this.at = at
    this.accepted = 0
    this.sentUntil = at
  }

  /** Requests sent at any time count from now on, on top of those counted so far. */
  openFromStart(): void {
    this.at = Number.NEGATIVE_INFINITY
  }

  /** Whether a request sent at `sentAt` belongs to the span. */
  holds(sentAt: number): boolean {
    return sentAt >= this.at
  }

  accept(sentAt: number): void {
    if (sentAt < this.at) return
    this.accepted++
    if (sentAt > this.sentUntil) this.sentUntil = sentAt
  }

  /**
   * The rate accepted up to a throttle of a request sent at `sentAt`, requests/s; one more covers the
   * token the quota may have had. Infinite while the span is empty.
   */
  acceptedRate(sentAt: number): number {
    const span = Math.max(sentAt, this.sentUntil) - this.at
    return span > 0 ? ((this.accepted + 1) * 1000) / span : Number.POSITIVE_INFINITY
  }

  /**
   * The least rate at which a quota accepted these requests up to a throttle of a request sent at
   * `sentAt` (the bucket was empty at the start, and one more token may have come in while it was
   * answered); 0 while too few were accepted to tell.
   */
  acceptedAtLeast(sentAt: number): number {
    const until = Math.max(sentAt, this.sentUntil)
    return this.accepted < unexplainedMinAccepted || until <= this.at
      ? 0
      : ((this.accepted - 2) * 1000) / (until - this.at)
  }
}

const sum = (values: Float64Array): number => {
  let total = 0
  for (let i = 0; i < values.length; i++) total += values[i]!
  return total
}
