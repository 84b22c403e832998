/**
 * What SQS FIFO queues and SNS FIFO topics remember between requests: the de-duplication ids seen
 * in the last five minutes, with the answer given the first time, and each target's sequence number.
 */

/** "…within the 5-minute deduplication interval" (SQS and SNS FIFO docs). */
export const deduplicationWindowMs = 5 * 60 * 1000

export interface FirstDelivery {
  readonly messageId: string
  readonly sequenceNumber: string
}

interface Seen extends FirstDelivery {
  readonly at: number
}

export class FifoLedger {
  #seen = new Map<string, Map<string, Seen>>()
  #sequence = new Map<string, bigint>()

  /** The first delivery of `deduplicationId` to `target` within the window, if any. */
  duplicateOf(target: string, deduplicationId: string, now: number): FirstDelivery | undefined {
    const seen = this.#seen.get(target)?.get(deduplicationId)
    return seen !== undefined && now - seen.at < deduplicationWindowMs ? seen : undefined
  }

  /** Records an accepted message and gives it the target's next sequence number. */
  record(target: string, deduplicationId: string, messageId: string, now: number): FirstDelivery {
    let seen = this.#seen.get(target)
    if (seen === undefined) {
      seen = new Map()
      this.#seen.set(target, seen)
    } else if (seen.size > 10_000) {
      for (const [id, entry] of seen) if (now - entry.at >= deduplicationWindowMs) seen.delete(id)
    }
    const next = (this.#sequence.get(target) ?? 10_000_000_000_000_000_000n) + 1n
    this.#sequence.set(target, next)
    const first = { messageId, sequenceNumber: next.toString(), at: now }
    seen.set(deduplicationId, first)
    return first
  }

  clear(): void {
    this.#seen = new Map()
    this.#sequence = new Map()
  }
}
