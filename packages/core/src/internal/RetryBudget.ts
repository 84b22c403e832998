/**
 * The retry budget of one destination: a token bucket as in the AWS SDKs' standard retry mode.
 * Retries spend tokens; a successful retry gives back what it took, any other success one token
 * (NO_RETRY_INCREMENT). An empty bucket means the destination is failing for everyone, so the
 * engine stops multiplying load on it.
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

  /** Takes the cost of one retry (more after a timeout); the tokens taken, 0 when the bucket cannot pay. */
  tryAcquire(afterTimeout: boolean): number {
    const cost = afterTimeout ? this.settings.timeoutCost : this.settings.retryCost
    if (this.tokens < cost) return 0
    this.tokens -= cost
    return cost
  }

  /** A request succeeded: `amount` is what its retry took, else `successRefill`. */
  refill(amount: number = this.settings.successRefill): void {
    this.tokens = Math.min(this.settings.capacity, this.tokens + amount)
  }
}
