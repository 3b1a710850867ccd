import { isValidSyncId, type SyncStatus } from '../../shared/sync-status'
import { CliError, EXIT, parseOptions, type Command } from '../cli-kit'
import { withProgress } from '../database-session'

function describeStatus(s: SyncStatus, source: string): string {
  const { feeds, articles } = s.stats
  return [
    `${s.syncId}: ${s.status} ${s.progress}% — ${s.stage} (from ${source})`,
    `  feeds ${feeds.processed}/${feeds.total}${feeds.failed ? ` (${feeds.failed} failed)` : ''} · articles ${articles.processed}/${articles.total} (${articles.new} new)`,
    `  started ${s.startTime}${s.finishedAt ? ` · finished ${s.finishedAt}` : ''}`,
    ...(s.error ? [`  error: ${s.error}`] : []),
  ].join('\n')
}

export const statusCommand: Command = {
  async run(ctx) {
    const { positionals } = parseOptions({ args: ctx.argv, options: {}, allowPositionals: true })
    const [syncId, ...extra] = positionals
    if (!syncId || extra.length) throw new CliError('status needs exactly one sync id', EXIT.badInput)
    // Checked before any file or network access: ids end up in file names.
    if (!isValidSyncId(syncId as unknown))
      throw new CliError(`"${syncId.slice(0, 60)}" is not a sync id`, EXIT.badInput)
    return withProgress(ctx, async (progress) => {
      const lookup = await progress.getStatus(syncId)
      if (!lookup.found) {
        ctx.out.result(
          { found: false, syncId },
          `No sync ${syncId} (neither a status file nor a database row)`,
        )
        return EXIT.notFound
      }
      ctx.out.result(lookup, describeStatus(lookup.status, lookup.source))
      return EXIT.ok
    })
  },
}
