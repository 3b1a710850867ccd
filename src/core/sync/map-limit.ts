/**
 * Runs `work` over `items` with at most `limit` in flight, keeping input order in the results.
 * Stops starting new work once one fails (the first error is thrown once in-flight work settles).
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  let failed = false
  const lane = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const index = next++
      try {
        results[index] = await work(items[index]!, index)
      } catch (error) {
        failed = true
        throw error
      }
    }
  }
  const lanes = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, lane))
  const rejected = lanes.find((l): l is PromiseRejectedResult => l.status === 'rejected')
  if (rejected) throw rejected.reason
  return results
}
