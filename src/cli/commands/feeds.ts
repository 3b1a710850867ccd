import { readFileSync, statSync } from 'node:fs'
import { open } from 'node:fs/promises'
import type { SupabaseClient } from '@supabase/supabase-js'
import { isInvalidInput } from '../../core/invalid-input'
import { createFeedsRepo, type FeedsRepo, type ImportProgress } from '../../core/storage/feeds-repo'
import { checkOpmlLimits, checkOpmlSize } from '../../core/reader/opml-limits'
import type { AddedFeed } from '../../shared/models'
import { createReadMarks, type ReadMarks } from '../../core/storage/read-marks'
import { CliError, EXIT, parseOptions, pickSubcommand, type CliContext, type Command } from '../cli-kit'
import { withAdmin } from '../database-session'
import { UserFacingError } from '../../core/ipc/user-facing-error'
import type { Accounts } from '../../core/accounts/accounts-service'
import type { FeedEditor } from '../../core/accounts/account-feeds'

/** Bad input from the user is exit 2, whichever layer noticed it. */
function asBadInput(error: unknown): never {
  if (isInvalidInput(error)) throw new CliError(error.message, EXIT.badInput)
  throw error
}

/**
 * The OPML file's text, read before the database is opened: a missing file, or one over the size
 * limit (checked before reading it) or the outline limit, is bad input at once.
 */
function readOpmlFile(path: string): string {
  let text: string
  try {
    checkOpmlSize(statSync(path).size)
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if (isInvalidInput(error)) throw new CliError(error.message, EXIT.badInput)
    throw new CliError(
      `Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      EXIT.badInput,
    )
  }
  try {
    checkOpmlLimits(text)
  } catch (error) {
    asBadInput(error)
  }
  return text
}

interface Repos {
  feeds: FeedsRepo
  readMarks: ReadMarks
  /** Accounts and their feed changes, loaded only by the subcommands that may touch a server. */
  accounts(): Promise<{ accounts: Accounts; editor: FeedEditor }>
}

const reposOf = (admin: SupabaseClient, dataDir: string): Repos => {
  const feeds = createFeedsRepo(admin)
  return {
    feeds,
    readMarks: createReadMarks(admin),
    async accounts() {
      const [{ createAccounts }, { createFeedEditor }, { createCredentialStore }, { loadSettings }] =
        await Promise.all([
          import('../../core/accounts/accounts-service'),
          import('../../core/accounts/account-feeds'),
          import('../../core/config/account-credentials'),
          import('../../core/config/settings'),
        ])
      const accounts = createAccounts({
        admin,
        credentials: createCredentialStore(dataDir),
        historyDays: async () => (await loadSettings(dataDir)).accountHistoryDays,
      })
      return { accounts, editor: createFeedEditor({ feeds, accounts }) }
    },
  }
}

/** A server's refusal (quickadd failed, wrong password) or an unknown account: one line, exit 1 or 3. */
function asCliError(error: unknown): never {
  if (error instanceof UserFacingError)
    throw new CliError(
      error.message,
      error.code === 'not_found'
        ? EXIT.notFound
        : error.code === 'invalid_input'
          ? EXIT.badInput
          : EXIT.failed,
    )
  return asBadInput(error)
}

/** Marks made here go to the accounts' servers now; one that cannot take them gets them at its next sync. */
async function sendMarks(c: CliContext, repos: Repos): Promise<void> {
  const { accounts } = await repos.accounts()
  for (const result of await accounts.sendAllPending()) {
    const { account } = result
    if ('error' in result)
      c.out.event(
        { event: 'notice', accountId: account.id, message: result.error },
        `${result.error}; the marks go to ${account.name} at its next sync`,
      )
    else if (result.sent > 0)
      c.out.event(
        { event: 'sent', accountId: account.id, sent: result.sent },
        `Sent ${result.sent} mark(s) to ${account.name}`,
      )
  }
}

type Sub = (ctx: CliContext, repos: Repos) => Promise<void>

/**
 * Writes `text` readable by its owner alone (0600): an export holds the feeds' addresses with their
 * credentials. A file that already exists is made private before anything is written to it.
 */
async function writePrivateFile(path: string, text: string): Promise<void> {
  const handle = await open(path, 'w', 0o600)
  try {
    await handle.chmod(0o600)
    await handle.writeFile(text)
  } finally {
    await handle.close()
  }
}

/** Subscribes to the feed at (or linked from) `url`; several found is bad input listing them to choose from. */
async function discoverAndAdd(
  c: CliContext,
  feeds: FeedsRepo,
  url: string,
  folder: string | null,
): Promise<AddedFeed> {
  // The HTTP client and feed parsers load only here: `feeds list` and the rest start without them.
  const [{ subscribe }, { createFeedFetcher }, { DISCOVERY_TIMEOUT_MS }] = await Promise.all([
    import('../../core/reader/feed-subscriber'),
    import('../../core/sources/local/fetch-feed'),
    import('../../core/reader/discover'),
  ])
  const fetcher = createFeedFetcher({ signal: c.signal, timeoutMs: DISCOVERY_TIMEOUT_MS })
  try {
    const result = await subscribe(url, { folder }, { feeds, fetcher, now: () => new Date() }).catch(
      asBadInput,
    )
    if (result.kind === 'subscribed') return result.feed
    const choices = result.candidates
      .map((f) => `\n  tidings feeds add ${f.url}${f.title ? `   (${f.title})` : ''}`)
      .join('')
    throw new CliError(
      `${url} offers ${result.candidates.length} feeds; add the one you want:${choices}`,
      EXIT.badInput,
    )
  } finally {
    fetcher.close()
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

function positiveId(text: string | undefined, what: string): number {
  const id = Number(text)
  if (!text || !Number.isSafeInteger(id) || id < 1)
    throw new CliError(`${what} needs a feed id`, EXIT.badInput)
  return id
}

const subcommands: Record<string, { parse(ctx: CliContext): Sub }> = {
  add: {
    parse(ctx) {
      const { values, positionals } = parseOptions({
        args: ctx.argv,
        options: {
          folder: { type: 'string' },
          'no-verify': { type: 'boolean' },
          account: { type: 'string' },
        },
        allowPositionals: true,
      })
      const [url] = positionals
      if (positionals.length !== 1 || url === undefined)
        throw new CliError('feeds add needs exactly one feed or site URL', EXIT.badInput)
      const folder = values.folder ?? null
      const accountId =
        values.account === undefined ? null : positiveId(values.account, 'feeds add --account')
      return async (c, repos) => {
        const { feeds } = repos
        const feed =
          accountId !== null
            ? await (await repos.accounts()).editor.addToAccount(accountId, url, folder).catch(asCliError)
            : values['no-verify']
              ? await feeds.add(url, { folder }).catch(asBadInput)
              : await discoverAndAdd(c, feeds, url, folder)
        const where = `${feed.title ? `${feed.title} ` : ''}${feed.url}${feed.folder ? ` (folder ${feed.folder})` : ''} [id ${feed.id}]`
        c.out.result(feed, feed.alreadySubscribed ? `Already subscribed: ${where}` : `Subscribed: ${where}`)
      }
    },
  },
  remove: {
    parse(ctx) {
      const { positionals } = parseOptions({ args: ctx.argv, options: {}, allowPositionals: true })
      if (positionals.length !== 1) throw new CliError('feeds remove needs a feed id', EXIT.badInput)
      const id = positiveId(positionals[0], 'feeds remove')
      return async (c, repos) => {
        const removed = await (await repos.accounts()).editor.remove(id).catch(asCliError)
        if (!removed) throw new CliError(`No feed with id ${id}`, EXIT.notFound)
        c.out.result({ removed }, `Removed feed ${id}`)
      }
    },
  },
  import: {
    parse(ctx) {
      const { positionals } = parseOptions({ args: ctx.argv, options: {}, allowPositionals: true })
      const [file] = positionals
      if (positionals.length !== 1 || file === undefined)
        throw new CliError('feeds import needs one OPML file', EXIT.badInput)
      const text = readOpmlFile(file)
      return async (c, { feeds }) => {
        const onProgress = ({ saved, total }: ImportProgress): void =>
          c.out.event({ event: 'progress', saved, total }, `Saved ${saved}/${total} subscriptions`)
        const result = await feeds.importOpml(text, { onProgress }).catch(asBadInput)
        const invalid = result.invalid.map((i) => `\n  skipped ${i.url}: ${i.reason}`).join('')
        c.out.result(
          result,
          `Imported ${result.added} feed(s), ${result.skipped} already subscribed (nested folders are flattened to their top-level folder)${invalid}`,
        )
      }
    },
  },
  export: {
    parse(ctx) {
      const { positionals } = parseOptions({ args: ctx.argv, options: {}, allowPositionals: true })
      if (positionals.length > 1)
        throw new CliError('feeds export takes at most one output file', EXIT.badInput)
      return async (c, { feeds }) => {
        const opml = await feeds.exportOpml()
        const file = positionals[0]
        if (!file) return c.out.result({ opml }, opml)
        await writePrivateFile(file, opml)
        c.out.result({ file }, `Wrote ${file}`)
      }
    },
  },
  edit: {
    parse(ctx) {
      const { values, positionals } = parseOptions({
        args: ctx.argv,
        options: {
          title: { type: 'string' },
          folder: { type: 'string' },
          'no-folder': { type: 'boolean' },
          url: { type: 'string' },
        },
        allowPositionals: true,
      })
      if (positionals.length !== 1) throw new CliError('feeds edit needs one feed id', EXIT.badInput)
      const id = positiveId(positionals[0], 'feeds edit')
      if (values.folder !== undefined && values['no-folder'])
        throw new CliError('feeds edit takes --folder or --no-folder, not both', EXIT.badInput)
      const change = {
        ...(values.title !== undefined ? { title: values.title } : {}),
        ...(values.folder !== undefined
          ? { folder: values.folder }
          : values['no-folder']
            ? { folder: null }
            : {}),
        ...(values.url !== undefined ? { url: values.url } : {}),
      }
      if (Object.keys(change).length === 0)
        throw new CliError('feeds edit needs --title, --folder, --no-folder or --url', EXIT.badInput)
      return async (c, repos) => {
        const feed = await (await repos.accounts()).editor.update(id, change).catch(asCliError)
        if (!feed) throw new CliError(`No feed with id ${id}`, EXIT.notFound)
        c.out.result(
          feed,
          `Feed ${id}: ${feed.title ?? '(untitled)'} ${feed.url}${feed.folder ? ` [${feed.folder}]` : ''}`,
        )
      }
    },
  },
  read: {
    parse(ctx) {
      const { values } = parseOptions({
        args: ctx.argv,
        options: {
          all: { type: 'boolean' },
          feed: { type: 'string' },
          folder: { type: 'string' },
          undo: { type: 'string' },
        },
      })
      const chosen = [values.all, values.feed, values.folder, values.undo].filter(
        (v) => v !== undefined && v !== false,
      )
      if (chosen.length !== 1)
        throw new CliError(
          'feeds read needs one of --all, --feed ID, --folder NAME, --undo TOKEN',
          EXIT.badInput,
        )
      if (values.undo !== undefined) {
        const token = values.undo
        if (!UUID.test(token))
          throw new CliError('feeds read --undo needs the token a previous feeds read printed', EXIT.badInput)
        return async (c, repos) => {
          const undone = await repos.readMarks.undo(token)
          if (!undone) throw new CliError('Nothing to undo: already undone or expired', EXIT.notFound)
          await sendMarks(c, repos)
          c.out.result(undone, `Marked ${undone.restored} article(s) unread again`)
        }
      }
      const folder = values.folder?.trim()
      if (values.folder !== undefined && !folder)
        throw new CliError('feeds read --folder needs a folder name', EXIT.badInput)
      const scope =
        values.feed !== undefined
          ? { feedId: positiveId(values.feed, 'feeds read --feed') }
          : folder
            ? { folder }
            : {}
      return async (c, repos) => {
        const result = await repos.readMarks.markAllRead(scope)
        await sendMarks(c, repos)
        c.out.result(
          result,
          `Marked ${result.marked} article(s) read; undo with: tidings feeds read --undo ${result.undoToken}`,
        )
      }
    },
  },
  list: {
    parse(ctx) {
      parseOptions({ args: ctx.argv, options: {} })
      return async (c, { feeds }) => {
        const list = await feeds.list()
        const lines = list.map(
          (f) =>
            `${String(f.id).padStart(4)}  ${String(f.unreadCount).padStart(5)} unread  ${f.folder ? `[${f.folder}] ` : ''}${f.title ? `${f.title}  ` : ''}${f.url}${f.lastError ? `  ⚠ ${f.lastError}` : ''}`,
        )
        c.out.result(list, lines.length ? lines.join('\n') : 'No subscriptions yet: tidings feeds add <url>')
      }
    },
  },
}

export const feedsCommand: Command = {
  async run(ctx) {
    const picked = pickSubcommand(ctx, 'feeds', subcommands)
    // Arguments are checked before the database is opened: bad input fails fast.
    const action = picked.handler.parse(picked.ctx)
    await withAdmin(ctx, (admin) => action(ctx, reposOf(admin, ctx.dataDir)))
  },
}
