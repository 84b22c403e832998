/** Peak resident set size, sampled on a timer and at checkpoints the caller marks. */

export class RssSampler {
  #peak = 0
  readonly #timer: NodeJS.Timeout

  constructor(intervalMs: number) {
    this.sample()
    this.#timer = setInterval(() => this.sample(), intervalMs)
    // The sampler alone must not keep the process alive.
    this.#timer.unref()
  }

  sample(): number {
    const rss = process.memoryUsage.rss()
    if (rss > this.#peak) this.#peak = rss
    return rss
  }

  /** The highest RSS seen so far, a sample taken now included. */
  get peak(): number {
    this.sample()
    return this.#peak
  }

  stop(): void {
    clearInterval(this.#timer)
  }
}
