/**
 * Repetitions and their summary. Every figure the bench prints is the median of its runs: the
 * median is not dragged by one run that a neighbour process slowed down, the mean would be.
 */

export const median = (samples: ReadonlyArray<number>): number => {
  if (samples.length === 0) throw new RangeError("median of no samples")
  const sorted = [...samples].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** Wall time of `run` in milliseconds, from a monotonic clock, with the value it returned. */
export const timed = async <A>(
  run: () => Promise<A>,
): Promise<{ readonly ms: number; readonly value: A }> => {
  const start = performance.now()
  const value = await run()
  return { ms: performance.now() - start, value }
}

/** Runs `run` `times` times in sequence (never in parallel: runs would compete for the same cores). */
export const repeat = async <A>(times: number, run: (repetition: number) => Promise<A>): Promise<A[]> => {
  const out: A[] = []
  for (let i = 0; i < times; i++) out.push(await run(i))
  return out
}
