import type { SupabaseClient } from '@supabase/supabase-js'
import { openDatabase } from '../core/stack/open-database'
import type { ProgressService } from '../core/progress'
import { describeStackHolder, type StackLockHolder } from '../core/stack/stack-lock'
import type { CliContext, Output } from './cli-kit'
import { mark } from './timings'

/** Says that this command waits for the process that runs the data folder's stack (a `waiting` event in --json). */
export function announceStackWait(out: Output): (holder: StackLockHolder) => void {
  return (holder) =>
    out.event(
      { event: 'waiting', for: 'local-stack', pid: holder.pid, holder: holder.kind },
      `Waiting for ${describeStackHolder(holder)} to finish with the local stack of this data folder…`,
    )
}

/** The database of this data folder for one command: hosted, the daemon's, or a stack started for it (waiting for its turn). */
export function openCommandDatabase(ctx: CliContext): ReturnType<typeof openDatabase> {
  return openDatabase({
    dataDir: ctx.dataDir,
    sqlDir: ctx.sqlDir,
    env: ctx.env,
    owner: 'command',
    onWait: announceStackWait(ctx.out),
    signal: ctx.signal,
    notice: (line) => process.stderr.write(`tidings: ${line}\n`),
  })
}

/** Opens the database of this data folder (starting the embedded stack if none runs) for one command. */
export async function withAdmin<T>(ctx: CliContext, work: (admin: SupabaseClient) => Promise<T>): Promise<T> {
  // The database client (PostgREST's, undici) loads while the database is being opened: the
  // biggest part of a command's start overlaps the daemon's health check instead of preceding it.
  const client = import('./rest-client')
  client.catch(() => undefined) // awaited below; if opening fails first, that is the error to report
  const db = await openCommandDatabase(ctx)
  mark('database found')
  try {
    const { createRestClient } = await client
    const admin = createRestClient(db.url, db.serviceRoleKey)
    mark('client ready')
    const result = await work(admin)
    mark('work done')
    return result
  } finally {
    await db.close()
  }
}

/**
 * withAdmin plus this run's progress service (its own instance id), closed after `work`. Retention
 * runs first, unless `work` runs it itself (progress.runRetention(), awaited before it returns).
 */
export function withProgress<T>(
  ctx: CliContext,
  work: (progress: ProgressService, admin: SupabaseClient, instanceId: string) => Promise<T>,
  options: { retention: 'first' | 'by the command' } = { retention: 'first' },
): Promise<T> {
  return withAdmin(ctx, async (admin) => {
    // The progress service (its logger, status files) loads only for the commands that report progress.
    const [{ createProgressService, newInstanceId }, { createFeedsRepo }, { createAccountsRepo }] =
      await Promise.all([
        import('../core/progress'),
        import('../core/storage/feeds-repo'),
        import('../core/storage/accounts-repo'),
      ])
    const instanceId = newInstanceId()
    // Health counts the failing feeds here as in the app: `tidings health` tells the same truth.
    const feeds = createFeedsRepo(admin)
    const progress = createProgressService({
      dataDir: ctx.dataDir,
      admin,
      instanceId,
      failingFeeds: () => feeds.failing(),
      failingAccounts: () => createAccountsRepo(admin).failing(),
    })
    // Finished status files older than 60 s and temp files a killed process left go now: the
    // previous CLI run handed its cleanup over to this start.
    if (options.retention === 'first') await progress.runRetention()
    mark('progress ready')
    try {
      return await work(progress, admin, instanceId)
    } finally {
      await progress.close()
      mark('progress closed')
    }
  })
}
