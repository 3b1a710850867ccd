import { TERMINAL_STATES, SYNC_TYPES, type SyncStatus, type SyncType } from '../../shared/sync-status'
import type { ProgressService } from '../../core/progress'
import type { ProgressEvent, SyncOutcome } from '../../core/sync'
import { CliError, EXIT, parseOptions, type Command, type Output } from '../cli-kit'
import { withProgress } from '../database-session'
import { syncSummary } from '../sync-summary'
import { mark } from '../timings'

/**
 * The sync engine (fetchers, feed parsers, the queue) and the accounts: the biggest part of the
 * command's code, loaded while the database and the progress service open rather than before.
 */
const loadEngine = () =>
  Promise.all([
    import('../../core/sync'),
    import('../../core/accounts/accounts-service'),
    import('../../core/config/account-credentials'),
    import('../../core/config/settings'),
  ])

/** Prints what the tracker persists: a line per stage change or per 5 % of progress. */
function createProgressPrinter(out: Output): (syncId: string, event: ProgressEvent) => void {
  let lastStage = ''
  let lastStep = -1
  return (syncId, event) => {
    const step = Math.floor(event.progress / 5)
    if (event.stage === lastStage && step === lastStep) return
    const stageChanged = event.stage !== lastStage
    lastStage = event.stage
    lastStep = step
    // Human output: one line per stage, so it reads the same on a terminal and in a log file.
    out.event({ event: 'progress', syncId, ...event }, stageChanged ? `${event.stage}…` : undefined)
  }
}

/** Another instance runs the sync: follow its status (file, else database) until it ends. */
async function follow(
  progress: ProgressService,
  syncId: string,
  out: Output,
  signal: AbortSignal,
): Promise<SyncStatus | null> {
  let lastProgress = -1
  while (!signal.aborted) {
    const lookup = await progress.getStatus(syncId)
    if (lookup.found) {
      const { status } = lookup
      if (status.progress !== lastProgress)
        out.event(
          { event: 'progress', syncId, progress: status.progress, stage: status.stage, stats: status.stats },
          `${status.progress}% ${status.stage}`,
        )
      lastProgress = status.progress
      if (TERMINAL_STATES.includes(status.status)) return status
    }
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  return null
}

/** `--feed 3 --feed 7` → [3, 7]; anything but a feed id is bad input. */
function feedIdsOption(values: string[] | undefined): number[] | undefined {
  if (!values?.length) return undefined
  return values.map((value) => {
    if (!/^[1-9]\d{0,14}$/.test(value))
      throw new CliError(`--feed takes a feed id (see feeds list), got "${value}"`, EXIT.badInput)
    return Number(value)
  })
}

/** `--account 2` → ['account:2']: the sync's source ids. */
function accountsOption(values: string[] | undefined): string[] | undefined {
  if (!values?.length) return undefined
  return values.map((value) => {
    if (!/^[1-9]\d{0,14}$/.test(value))
      throw new CliError(`--account takes an account id (see accounts list), got "${value}"`, EXIT.badInput)
    return `account:${value}`
  })
}

export const syncCommand: Command = {
  async run(ctx) {
    const { values } = parseOptions({
      args: ctx.argv,
      options: {
        type: { type: 'string', default: 'incremental' },
        force: { type: 'boolean', default: false },
        feed: { type: 'string', multiple: true },
        account: { type: 'string', multiple: true },
      },
    })
    if (!(SYNC_TYPES as readonly string[]).includes(values.type))
      throw new CliError(`--type must be full or incremental, got "${values.type}"`, EXIT.badInput)
    const type = values.type as SyncType
    const feedIds = feedIdsOption(values.feed)
    const sourceIds = accountsOption(values.account)
    const engine = loadEngine()
    engine.catch(() => undefined) // awaited below; if opening the database fails first, that is the error to report

    return withProgress(
      ctx,
      async (progress, admin, instanceId) => {
        // As the app does at start-up: a sync whose process died (kill -9, crash) is marked interrupted
        // first, so its still-unexpired lease is free (sql/006) and this run does not "follow" a dead sync.
        await progress.recoverStaleSyncs()
        // The cleanup the previous run handed over (finished status files and rows, old temp files) runs
        // alongside this sync, which it cannot touch (its rows and files are fresh); awaited before the end.
        const cleanup = progress.runRetention()
        try {
          const [
            { createSyncServices, NoFeedsError, UnknownFeedsError },
            { createAccounts },
            { createCredentialStore },
            { loadSettings },
          ] = await engine
          const accounts = createAccounts({
            admin,
            credentials: createCredentialStore(ctx.dataDir),
            historyDays: async () => (await loadSettings(ctx.dataDir)).accountHistoryDays,
          })
          const services = createSyncServices({
            admin,
            dataDir: ctx.dataDir,
            progress,
            instanceId,
            accountSources: () => accounts.sources(),
            keepReadDays: async () => (await loadSettings(ctx.dataDir)).keepReadDays,
            keepHistoryDays: async () => (await loadSettings(ctx.dataDir)).keepHistoryDays,
            history: { origin: 'cli' },
            onProgress: createProgressPrinter(ctx.out),
            // What went wrong without failing the sync (a feed moved onto another subscription's address).
            onError: (error) => {
              const message = error instanceof Error ? error.message : String(error)
              ctx.out.event({ event: 'notice', message }, `Note: ${message}`)
            },
          })
          // Ctrl-C: the run aborts its requests and records 'interrupted' in both stores before we exit.
          const cancel = (): void => void services.queue.cancel()
          ctx.signal.addEventListener('abort', cancel, { once: true })
          try {
            if (sourceIds) {
              const known = new Set((await accounts.list()).map((account) => `account:${account.id}`))
              const unknown = sourceIds.filter((id) => !known.has(id))
              if (unknown.length)
                throw new CliError(
                  `No account ${unknown.map((id) => id.slice('account:'.length)).join(', ')} (accounts list shows them)`,
                  EXIT.notFound,
                )
            }
            const ticket = await services.queue
              .request({
                type,
                force: values.force,
                priority: 'manual',
                ...(feedIds ? { feedIds } : {}),
                ...(sourceIds ? { sourceIds } : {}),
              })
              .catch((error: unknown) => {
                if (error instanceof UnknownFeedsError)
                  throw new CliError(`${error.message} (feeds list shows them)`, EXIT.notFound)
                throw error instanceof NoFeedsError ? new CliError(error.message, EXIT.badInput) : error
              })
            mark('sync started')
            ctx.out.event(
              { event: 'started', syncId: ticket.syncId, merged: ticket.merged },
              ticket.merged
                ? `Another Tidings instance is syncing (${ticket.syncId}); following it`
                : `Sync ${ticket.syncId} (${type})`,
            )
            const outcome: Pick<SyncOutcome | SyncStatus, 'status' | 'stats' | 'error'> | null =
              (await ticket.done) ?? (await follow(progress, ticket.syncId, ctx.out, ctx.signal))
            mark('sync ended')
            if (!outcome) {
              ctx.out.result(
                { syncId: ticket.syncId, status: 'unknown' },
                'Stopped following the other instance’s sync',
              )
              return EXIT.cancelled
            }
            const { status, stats, error } = outcome
            ctx.out.result(
              { syncId: ticket.syncId, status, stats, ...(error ? { error } : {}) },
              syncSummary(status, stats, error),
            )
            if (status === 'completed') return EXIT.ok
            return status === 'interrupted' && ctx.signal.aborted ? EXIT.cancelled : EXIT.failed
          } finally {
            ctx.signal.removeEventListener('abort', cancel)
            await services.close()
            mark('sync services closed')
          }
        } finally {
          await cleanup
        }
      },
      { retention: 'by the command' },
    )
  },
}
