/**
 * The retry budget of one destination: a token bucket as in the AWS SDKs' standard retry mode.
 * Retries spend tokens, successes put one back; an empty bucket means the destination is failing
 * for everyone, so the engine stops multiplying load on it.
 */
export interface RetryBudgetSettings {
  readonly capacity: number
  readonly retryCost: number
  readonly timeoutCost: number
  readonly successRefill: number
}

/** The AWS SDKs' standard mode values. */
export const defaultRetryBudget: RetryBudgetSettings = {
  capacity: 500,
  retryCost: 5,
  timeoutCost: 10,
  successRefill: 1,
}

export class RetryBudget {
  private tokens: number
  constructor(private readonly settings: RetryBudgetSettings) {
    this.tokens = settings.capacity
  }

  get available(): number {
    return this.tokens
  }

  /** Takes the cost of one retry (more after a timeout); false when the bucket cannot pay it. */
  tryAcquire(afterTimeout: boolean): boolean {
    const cost = afterTimeout ? this.settings.timeoutCost : this.settings.retryCost
    if (this.tokens < cost) return false
    this.tokens -= cost
    return true
  }

  /** A request succeeded: the destination is healthy again, a little. */
  refill(): void {
    this.tokens = Math.min(this.settings.capacity, this.tokens + this.settings.successRefill)
  }
}
