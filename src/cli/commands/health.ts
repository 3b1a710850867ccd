import type { HealthSummary } from '../../shared/sync-status'
import { EXIT, parseOptions, type Command } from '../cli-kit'
import { withProgress } from '../database-session'

function describeHealth(h: HealthSummary): string {
  const lines = [
    `Sync health: ${h.status} · ${h.activeSyncs} active · storage file=${h.storage.file} database=${h.storage.database}`,
    ...(h.storage.statusDirFallback
      ? [
          `Status files in fallback folder ${h.storage.statusDirFallback.dir} (${h.storage.statusDirFallback.reason})`,
        ]
      : []),
    `Last success: ${h.lastSuccessAt ?? 'never'}`,
    ...(h.lastFailure
      ? [`Last failure: ${h.lastFailure.at} ${h.lastFailure.syncId}: ${h.lastFailure.error}`]
      : []),
    ...(h.failingFeeds?.length
      ? [`Failing feeds (${h.failingFeeds.length}):`, ...h.failingFeeds.map((f) => `  ${f.name}: ${f.error}`)]
      : []),
    ...(h.failingAccounts?.length
      ? [
          `Failing accounts (${h.failingAccounts.length}):`,
          ...h.failingAccounts.map((a) => `  ${a.name}: ${a.error}`),
        ]
      : []),
    ...(h.recentSyncs.length ? ['Recent syncs:'] : []),
    ...h.recentSyncs.map(
      (s) =>
        `  ${s.startedAt}  ${s.status.padEnd(11)} ${s.duration.toFixed(1).padStart(6)} s  ${s.articlesNew} new${s.error ? `  ${s.error}` : ''}`,
    ),
  ]
  return lines.join('\n')
}

export const healthCommand: Command = {
  async run(ctx) {
    parseOptions({ args: ctx.argv, options: {} })
    return withProgress(ctx, async (progress) => {
      // An explicit check: probe the status folder and settle dead syncs, then report.
      const health = await progress.checkHealth()
      ctx.out.result(health, describeHealth(health))
      return health.status === 'unhealthy' ? EXIT.failed : EXIT.ok
    })
  },
}
