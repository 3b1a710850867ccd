import { createAccounts, type Accounts } from '../../core/accounts/accounts-service'
import { createCredentialStore } from '../../core/config/account-credentials'
import { loadSettings } from '../../core/config/settings'
import { UserFacingError } from '../../core/ipc/handlers'
import type { Account } from '../../shared/accounts'
import { parseWebUrl } from '../../shared/web-url'
import { CliError, EXIT, parseOptions, pickSubcommand, type CliContext, type Command } from '../cli-kit'
import { withAdmin } from '../database-session'

type Sub = (ctx: CliContext, accounts: Accounts) => Promise<void>

/** `accounts remove 3`: an account id, or bad input. */
function accountId(ctx: CliContext, usage: string): number {
  const [value, ...rest] = ctx.argv
  if (value === undefined || rest.length > 0 || !/^[1-9]\d{0,14}$/.test(value))
    throw new CliError(`usage: tidings ${usage}`, EXIT.badInput)
  return Number(value)
}

/** The password from standard input (never an argument: those show in `ps` and shell history). */
async function readPassword(signal: AbortSignal): Promise<string> {
  if (process.stdin.isTTY) throw new CliError('--password-stdin: pipe the API password in', EXIT.badInput)
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) {
    signal.throwIfAborted()
    chunks.push(chunk as Buffer)
  }
  // One line: a trailing newline from `echo` or a file is not part of the password.
  const password = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '')
  if (!password) throw new CliError('--password-stdin: no password on standard input', EXIT.badInput)
  return password
}

const describe = (a: Account): string =>
  `${a.id}\t${a.name}\t${a.baseUrl}\t${a.username}\t${a.lastError ? `error: ${a.lastError}` : a.syncedAt ? `synced ${a.syncedAt}` : 'not synced yet'}`

const subcommands: Record<string, Sub> = {
  async add(ctx, accounts) {
    const { values, positionals } = parseOptions({
      args: ctx.argv,
      allowPositionals: true,
      options: {
        user: { type: 'string' },
        'password-stdin': { type: 'boolean', default: false },
        name: { type: 'string' },
      },
    })
    const [kind, baseUrl, ...extra] = positionals
    if (kind !== 'greader' || !baseUrl || extra.length > 0 || !values.user || !values['password-stdin'])
      throw new CliError(
        'usage: tidings accounts add greader <base url> --user <name> --password-stdin [--name <label>]',
        EXIT.badInput,
      )
    if (!parseWebUrl(baseUrl)) throw new CliError(`Not an http(s) address: ${baseUrl}`, EXIT.badInput)
    const password = await readPassword(ctx.signal)
    const account = await accounts.add({
      kind: 'greader',
      baseUrl,
      username: values.user,
      password,
      ...(values.name ? { name: values.name } : {}),
    })
    ctx.out.result(account, `Added ${account.name} (account ${account.id}); tidings sync fetches its feeds`)
  },
  async list(ctx, accounts) {
    const all = await accounts.list()
    ctx.out.result(
      all,
      all.length ? all.map(describe).join('\n') : 'No accounts (tidings accounts add greader …)',
    )
  },
  async test(ctx, accounts) {
    const id = accountId(ctx, 'accounts test <id>')
    const { feeds, unread } = await accounts.test({ accountId: id })
    ctx.out.result(
      { accountId: id, feeds, unread },
      `Signed in: ${feeds} feed${feeds === 1 ? '' : 's'}${unread === null ? '' : `, ${unread} unread`}`,
    )
  },
  async remove(ctx, accounts) {
    const id = accountId(ctx, 'accounts remove <id>')
    const impact = await accounts.removalImpact(id)
    await accounts.remove(id)
    ctx.out.result(
      { accountId: id, removed: true, ...impact },
      `Removed account ${id} with its ${impact.feeds} feeds and ${impact.articles} articles (nothing changed on the server)`,
    )
  },
}

export const accountsCommand: Command = {
  async run(ctx) {
    const { handler, ctx: sub } = pickSubcommand(ctx, 'accounts', subcommands)
    return withAdmin(ctx, async (admin) => {
      const accounts = createAccounts({
        admin,
        credentials: createCredentialStore(ctx.dataDir),
        historyDays: async () => (await loadSettings(ctx.dataDir)).accountHistoryDays,
      })
      try {
        await handler(sub, accounts)
      } catch (error) {
        // The server's answer ("wrong user name or API password") or an unknown id: said in one line.
        if (error instanceof UserFacingError)
          throw new CliError(error.message, error.code === 'not_found' ? EXIT.notFound : EXIT.failed)
        throw error
      }
    })
  },
}
