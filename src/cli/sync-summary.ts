import { stillFailingParts } from '../shared/format'
import type { SyncStats } from '../shared/sync-status'

const STATUS_WORD = { completed: 'Completed', interrupted: 'Interrupted', failed: 'Failed' } as const

/**
 * The human ending of `tidings sync`: the counts (or the error) — feeds skipped while still failing
 * included, so it never reads "0 failed" while some do — the failed feeds by name with their masked
 * error, and where the time went per stage — what `--json` carries in `stats`.
 */
export function syncSummary(status: string, stats: SyncStats, error?: string): string {
  const word = STATUS_WORD[status as keyof typeof STATUS_WORD] ?? status
  const { feeds } = stats
  const counts = [
    `${feeds.processed - feeds.failed} updated`,
    ...(feeds.failed ? [`${feeds.failed} failed`] : []),
    ...stillFailingParts(feeds),
  ]
  const earlier = stats.articles.savedByInterrupted
    ? `, ${stats.articles.savedByInterrupted} saved by the interrupted sync`
    : ''
  const lines = [
    `${word}: ${error ?? `${counts.join(', ')}; ${stats.articles.new} new article(s)${earlier}`}`,
  ]
  const named = stats.failedFeeds ?? []
  if (named.length > 0) {
    const more = stats.feeds.failed - named.length
    lines.push(
      'Failed feeds:',
      ...named.map((f) => `  ${f.name}: ${f.error}`),
      ...(more > 0 ? [`  …and ${more} more`] : []),
    )
  }
  if (stats.failedSources?.length)
    lines.push('Not synced:', ...stats.failedSources.map((s) => `  ${s.error}`))
  const t = stats.timings
  if (t)
    lines.push(
      `Time: load ${t.loadMs} ms, fetch ${t.fetchMs} ms, save ${t.saveMs} ms, finish ${t.finishMs} ms; total ${t.totalMs} ms`,
    )
  return lines.join('\n')
}
