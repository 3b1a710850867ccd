import { readFile, writeFile } from 'node:fs/promises'
import { isInvalidInput } from '../../core/invalid-input'
import { createFeedsRepo, type FeedsRepo } from '../../core/sync/feeds-repo'
import { CliError, EXIT, parseOptions, pickSubcommand, type CliContext, type Command } from '../cli-kit'
import { withAdmin } from '../database-session'

/** Bad input from the user is exit 2, whichever layer noticed it. */
function asBadInput(error: unknown): never {
  if (isInvalidInput(error)) throw new CliError(error.message, EXIT.badInput)
  throw error
}

async function readInput(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    throw new CliError(`Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, EXIT.badInput)
  }
}

type Sub = (ctx: CliContext, feeds: FeedsRepo) => Promise<void>

const subcommands: Record<string, { parse(ctx: CliContext): Sub }> = {
  add: {
    parse(ctx) {
      const { values, positionals } = parseOptions({ args: ctx.argv, options: { folder: { type: 'string' } }, allowPositionals: true })
      const [url] = positionals
      if (positionals.length !== 1 || url === undefined) throw new CliError('feeds add needs exactly one feed URL', EXIT.badInput)
      return async (c, feeds) => {
        const feed = await feeds.add(url, { folder: values.folder ?? null }).catch(asBadInput)
        c.out.result(feed, `Subscribed: ${feed.url}${feed.folder ? ` (folder ${feed.folder})` : ''} [id ${feed.id}]`)
      }
    },
  },
  remove: {
    parse(ctx) {
      const { positionals } = parseOptions({ args: ctx.argv, options: {}, allowPositionals: true })
      const id = Number(positionals[0])
      if (positionals.length !== 1 || !Number.isSafeInteger(id) || id < 1) throw new CliError('feeds remove needs a feed id', EXIT.badInput)
      return async (c, feeds) => {
        const removed = await feeds.remove(id)
        if (!removed) throw new CliError(`No feed with id ${id}`, EXIT.notFound)
        c.out.result({ removed }, `Removed feed ${id}`)
      }
    },
  },
  import: {
    parse(ctx) {
      const { positionals } = parseOptions({ args: ctx.argv, options: {}, allowPositionals: true })
      const [file] = positionals
      if (positionals.length !== 1 || file === undefined) throw new CliError('feeds import needs one OPML file', EXIT.badInput)
      return async (c, feeds) => {
        const result = await feeds.importOpml(await readInput(file)).catch(asBadInput)
        const invalid = result.invalid.map((i) => `\n  skipped ${i.url}: ${i.reason}`).join('')
        c.out.result(result, `Imported ${result.added} feed(s), ${result.skipped} already subscribed (nested folders are flattened to their top-level folder)${invalid}`)
      }
    },
  },
  export: {
    parse(ctx) {
      const { positionals } = parseOptions({ args: ctx.argv, options: {}, allowPositionals: true })
      if (positionals.length > 1) throw new CliError('feeds export takes at most one output file', EXIT.badInput)
      return async (c, feeds) => {
        const opml = await feeds.exportOpml()
        const file = positionals[0]
        if (!file) return c.out.result({ opml }, opml)
        await writeFile(file, opml)
        c.out.result({ file }, `Wrote ${file}`)
      }
    },
  },
  list: {
    parse(ctx) {
      parseOptions({ args: ctx.argv, options: {} })
      return async (c, feeds) => {
        const list = await feeds.list()
        const lines = list.map((f) => `${String(f.id).padStart(4)}  ${String(f.unreadCount).padStart(5)} unread  ${f.folder ? `[${f.folder}] ` : ''}${f.title ?? f.url}${f.lastError ? `  ⚠ ${f.lastError}` : ''}`)
        c.out.result(list, lines.length ? lines.join('\n') : 'No subscriptions yet: tidings feeds add <url>')
      }
    },
  },
}

export const feedsCommand: Command = {
  name: 'feeds',
  usage: 'feeds add <url> [--folder F] | remove <id> | import <file.opml> | export [file] | list',
  async run(ctx) {
    const picked = pickSubcommand(ctx, 'feeds', subcommands)
    // Arguments are checked before the database is opened: bad input fails fast.
    const action = picked.handler.parse(picked.ctx)
    await withAdmin(ctx, (admin) => action(ctx, createFeedsRepo(admin)))
  },
}
