/**
 * The service-role key (and the JWT secret that can mint one) must never leave the main process:
 * not baked into the renderer or preload bundles, and not in any IPC answer — even after the
 * user typed a hosted project's service-role key into Settings.
 */
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { transformSync } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppCore } from '../../src/core/app/core'
import type { IpcHandlerTable } from '../../src/core/ipc/handlers'
import { IPC_CHANNELS, IpcChannel } from '../../src/shared/ipc-contract'
import { stack } from '../support/clients'
import { startCoreOnStack } from '../support/core-on-stack'
import { generateFeeds, startFakeGReader, type FakeGReader } from '../support/fake-greader'
import { startFeedServer, startSyncStack, type FeedServer, type SyncStack } from '../sync/support'
import { ensureBuilt, listFiles, OUT_DIR, readStackSecrets, ROOT } from './support'

/** An account's API password: it goes into main over IPC and must never come back out. */
const ACCOUNT_PASSWORD = `api-${randomBytes(12).toString('hex')}`

/** The role claim of every JWT-shaped string in `text`. */
function jwtRoles(text: string): string[] {
  const roles: string[] = []
  for (const match of text.matchAll(/eyJ[A-Za-z0-9_-]{5,}\.(eyJ[A-Za-z0-9_-]{5,})\.[A-Za-z0-9_-]*/g)) {
    try {
      const claims = JSON.parse(Buffer.from(match[1]!, 'base64url').toString('utf8')) as { role?: unknown }
      roles.push(String(claims.role))
    } catch {
      roles.push('unparseable')
    }
  }
  return roles
}

/**
 * Bundled libraries document the service role in comments (supabase-js' admin API JSDoc says
 * "Requires the `service_role` key"); names are looked for in the code without its comments.
 */
function withoutComments(file: string, text: string): string {
  if (!/\.(c|m)?js$/.test(file)) return text
  return transformSync(text, { loader: 'js', minifyWhitespace: true, legalComments: 'none' }).code
}

/**
 * Which needles occur in any file under the given folders, as "file: needle-name". `values`
 * (keys, secrets) are searched in the raw bytes, `names` in the code without comments.
 */
function grepBundles(
  dirs: string[],
  values: Record<string, string>,
  names: Record<string, string> = {},
): string[] {
  const hits: string[] = []
  for (const dir of dirs) {
    for (const file of listFiles(dir)) {
      const raw = readFileSync(join(dir, file)).toString('latin1')
      for (const [name, needle] of Object.entries(values))
        if (needle && raw.includes(needle)) hits.push(`${dir}/${file}: ${name}`)
      for (const role of jwtRoles(raw))
        if (role !== 'anon') hits.push(`${dir}/${file}: embedded JWT with role ${role}`)
      if (Object.keys(names).length === 0) continue
      const code = withoutComments(file, raw)
      for (const [name, needle] of Object.entries(names))
        if (code.includes(needle)) hits.push(`${dir}/${file}: ${name}`)
    }
  }
  return hits
}

describe('the service-role key never leaves main', () => {
  it('is in no file of the built renderer or preload (out/)', () => {
    ensureBuilt()
    const shared = readStackSecrets(stack().dataDir)
    const dirs = [join(OUT_DIR, 'renderer'), join(OUT_DIR, 'preload')]
    expect(dirs.flatMap((d) => listFiles(d)).length).toBeGreaterThan(2)
    const hits = grepBundles(
      dirs,
      {
        serviceRoleKey: stack().serviceRoleKey,
        jwtSecret: shared.jwtSecret,
        superuserPassword: shared.superuserPassword,
        authenticatorPassword: shared.authenticatorPassword,
        SUPABASE_SERVICE_ROLE_KEY: 'SUPABASE_SERVICE_ROLE_KEY',
      },
      {
        'the role name service_role': 'service_role',
        'the signing secret field jwtSecret': 'jwtSecret',
        'JWT signing (jose SignJWT)': 'SignJWT',
        'Node env access to SUPABASE_*': 'process.env.SUPABASE',
      },
    )
    expect(hits).toEqual([])
  })

  it('stays out of renderer and preload even when the build runs with the key in its environment', () => {
    // Every prefix electron-vite or Vite could expose to a bundle, set to a sentinel.
    const sentinel = `sk-sentinel-${randomBytes(12).toString('hex')}`
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      SUPABASE_SERVICE_ROLE_KEY: sentinel,
      SUPABASE_JWT_SECRET: sentinel,
    }
    for (const prefix of ['VITE_', 'MAIN_VITE_', 'PRELOAD_VITE_', 'RENDERER_VITE_']) {
      env[`${prefix}SUPABASE_SERVICE_ROLE_KEY`] = sentinel
      env[`${prefix}SERVICE_ROLE_KEY`] = sentinel
    }
    const outDir = mkdtempSync(join(tmpdir(), 'tidings-secrets-build-'))
    try {
      execFileSync('npx', ['electron-vite', 'build', '--outDir', outDir, '--logLevel', 'error'], {
        cwd: ROOT,
        env,
        stdio: 'pipe',
        timeout: 120_000,
      })
      const dirs = [join(outDir, 'renderer'), join(outDir, 'preload')]
      expect(listFiles(join(outDir, 'renderer')).some((f) => f.endsWith('.js'))).toBe(true)
      expect(grepBundles(dirs, { sentinel })).toEqual([])
    } finally {
      rmSync(outDir, { recursive: true, force: true })
    }
  }, 120_000)

  describe('over IPC, on a real core', () => {
    let env: SyncStack
    let feeds: FeedServer
    let greader: FakeGReader
    let core: AppCore
    let handlers: IpcHandlerTable
    let dataDir: string
    const hostedServiceRoleKey = `sk-test-${randomBytes(24).toString('base64url')}`
    const answers: { channel: string; json: string }[] = []
    const secrets: Record<string, string> = {}

    async function ask(
      channel: IpcChannel,
      request?: unknown,
    ): Promise<{ ok: boolean; data?: unknown; error?: { message: string } }> {
      const answer = await handlers[channel](request)
      answers.push({ channel, json: JSON.stringify(answer) })
      return answer as { ok: boolean; data?: unknown; error?: { message: string } }
    }

    beforeAll(async () => {
      env = await startSyncStack()
      feeds = await startFeedServer()
      const rss = (n: number): string =>
        `<?xml version="1.0"?><rss version="2.0"><channel><title>Feed ${n}</title><link>https://secrets.example/${n}</link>${[
          1, 2, 3,
        ]
          .map(
            (i) =>
              `<item><title>Story ${n}.${i}</title><link>https://secrets.example/${n}/${i}</link><guid>s${n}-${i}</guid><pubDate>${new Date(Date.UTC(2026, 9, i)).toUTCString()}</pubDate><description>Body ${i}</description></item>`,
          )
          .join('')}</channel></rss>`
      feeds.set('/a.xml', { body: rss(1) })
      feeds.set('/b.xml', { body: rss(2) })
      greader = await startFakeGReader({ users: { alice: ACCOUNT_PASSWORD } })
      generateFeeds(greader.state, { feeds: 1, itemsPerFeed: 2 })
      ;({ core, dataDir, handlers } = await startCoreOnStack(env.stack, {
        dataDirPrefix: 'tidings-secrets-',
      }))
      const own = readStackSecrets(env.stack.dataDir)
      Object.assign(secrets, {
        hostedServiceRoleKey,
        localServiceRoleKey: env.stack.serviceRoleKey,
        sharedServiceRoleKey: stack().serviceRoleKey,
        jwtSecret: own.jwtSecret,
        sharedJwtSecret: readStackSecrets(stack().dataDir).jwtSecret,
        superuserPassword: own.superuserPassword,
        authenticatorPassword: own.authenticatorPassword,
        accountPassword: ACCOUNT_PASSWORD,
      })
    }, 120_000)

    afterAll(async () => {
      await core?.close()
      await feeds?.close()
      await greader?.close()
      await env?.close()
      if (dataDir) rmSync(dataDir, { recursive: true, force: true })
    })

    it('answers every channel with a valid request and none of the answers carries a secret', async () => {
      const hosted = {
        url: 'https://tidingstest.supabase.co',
        anonKey: `anon-test-${randomBytes(8).toString('hex')}`,
        serviceRoleKey: hostedServiceRoleKey,
      }
      const set = await ask(IpcChannel.SettingsSet, { syncIntervalMinutes: 0, supabase: hosted })
      expect(set).toEqual({
        ok: true,
        data: {
          syncIntervalMinutes: 0,
          keepReadDays: 90,
          notifyNewArticles: true,
          keepHistoryDays: 180,
          supabase: { url: hosted.url, anonKey: hosted.anonKey },
        },
      })
      // Main keeps it — privately.
      expect(readFileSync(join(dataDir, 'settings.json'), 'utf8')).toContain(hostedServiceRoleKey)
      expect(statSync(join(dataDir, 'settings.json')).mode & 0o077).toBe(0)
      expect(await ask(IpcChannel.SettingsGet)).toEqual(set)

      // Error paths echo nothing either.
      expect(
        (await ask(IpcChannel.SettingsSet, { supabase: { ...hosted, url: 'file:///etc/passwd' } })).ok,
      ).toBe(false)
      expect(
        (
          await ask(IpcChannel.SettingsSet, {
            supabase: { ...hosted, serviceRoleKey: `${hostedServiceRoleKey}${'x'.repeat(5000)}` },
          })
        ).ok,
      ).toBe(false)
      expect(
        (await ask(IpcChannel.SettingsSet, { supabase: { ...hosted, extra: hostedServiceRoleKey } })).ok,
      ).toBe(false)

      expect((await ask(IpcChannel.AppStatus)).ok).toBe(true)
      expect((await ask(IpcChannel.AppRetry)).ok).toBe(true)
      const config = await ask(IpcChannel.ConfigPublic)
      expect(config).toEqual({
        ok: true,
        data: { supabaseUrl: env.stack.url, anonKey: env.stack.anonKey, mode: 'local' },
      })
      expect((await ask(IpcChannel.FeedsAdd, { url: feeds.url('/a.xml'), folder: 'News' })).ok).toBe(true)
      // Subscribed already: answered without fetching anything.
      expect(await ask(IpcChannel.FeedsDiscover, { url: feeds.url('/a.xml') })).toMatchObject({
        ok: true,
        data: { kind: 'subscribed', feed: { alreadySubscribed: true } },
      })
      const imported = await ask(IpcChannel.FeedsImport, {
        opml: `<opml version="2.0"><body><outline text="B" xmlUrl="${feeds.url('/b.xml')}"/></body></opml>`,
      })
      expect(imported).toMatchObject({ ok: true, data: { added: 1 } })
      const started = await ask(IpcChannel.SyncStart, { type: 'full' })
      expect(started.ok).toBe(true)
      const syncId = (started.data as { syncId: string }).syncId
      await expect
        .poll(
          async () =>
            ((await ask(IpcChannel.SyncStatus, { syncId })).data as { status?: { status: string } }).status
              ?.status,
          { timeout: 20_000, interval: 100 },
        )
        .toBe('completed')
      expect((await ask(IpcChannel.SyncCancel, { syncId })).ok).toBe(true)
      expect((await ask(IpcChannel.SyncHealth)).ok).toBe(true)
      expect((await ask(IpcChannel.SyncRecent, { limit: 10 })).ok).toBe(true)
      const list = await ask(IpcChannel.FeedsList)
      const feedRows = list.data as { id: number; url: string }[]
      expect(feedRows).toHaveLength(2)
      expect((await ask(IpcChannel.FeedsExport)).ok).toBe(true)
      expect((await ask(IpcChannel.FeedsIcons)).ok).toBe(true)
      const articles = (await ask(IpcChannel.ArticlesList, { limit: 50 })).data as {
        articles: { id: number }[]
      }
      expect(articles.articles).toHaveLength(6)
      expect((await ask(IpcChannel.ArticlesGet, { articleId: articles.articles[0]!.id })).ok).toBe(true)
      expect(
        await ask(IpcChannel.ArticlesMark, {
          articleId: articles.articles[0]!.id,
          isRead: true,
          isStarred: true,
        }),
      ).toEqual({ ok: true, data: { ok: true } })
      expect((await ask(IpcChannel.ArticlesSearch, { query: 'story' })).ok).toBe(true)
      expect((await ask(IpcChannel.FeedsUpdate, { feedId: feedRows[0]!.id, title: 'Renamed' })).ok).toBe(true)
      const marked = await ask(IpcChannel.ArticlesMarkAllRead, {})
      expect(marked.ok).toBe(true)
      expect(
        (
          await ask(IpcChannel.ArticlesUndoMarkRead, {
            undoToken: (marked.data as { undoToken: string }).undoToken,
          })
        ).ok,
      ).toBe(true)
      // The reader's channels of #20 and #21: none of their answers carries a secret either.
      const firstId = articles.articles[0]!.id
      expect((await ask(IpcChannel.FeedsActivity)).ok).toBe(true)
      expect((await ask(IpcChannel.InsightsGet, { days: 30 })).ok).toBe(true)
      expect((await ask(IpcChannel.ArticlesCountUnread, { since: '2000-01-01T00:00:00Z' })).ok).toBe(true)
      expect((await ask(IpcChannel.ArticlesStarredCount)).ok).toBe(true)
      expect((await ask(IpcChannel.ArticlesFullText, { articleId: firstId })).ok).toBe(true)
      expect(
        (await ask(IpcChannel.PlaybackSave, { articleId: firstId, positionS: 3, finished: false })).ok,
      ).toBe(true)
      expect((await ask(IpcChannel.PlaybackGet, { articleId: firstId })).ok).toBe(true)
      const rule = await ask(IpcChannel.RulesAdd, {
        feedId: null,
        field: 'title',
        match: 'words',
        value: 'nothing-matches-this',
        action: 'read',
      })
      expect(rule.ok).toBe(true)
      expect((await ask(IpcChannel.RulesList)).ok).toBe(true)
      expect(
        (await ask(IpcChannel.RulesRemove, { ruleId: (rule.data as { rule: { id: number } }).rule.id })).ok,
      ).toBe(true)
      expect((await ask(IpcChannel.SchedulerState)).ok).toBe(true)
      expect((await ask(IpcChannel.SchedulerPause, { paused: true })).ok).toBe(true)
      expect((await ask(IpcChannel.SchedulerPause, { paused: false })).ok).toBe(true)
      expect(await ask(IpcChannel.FeedsRemove, { feedId: feedRows[1]!.id })).toEqual({
        ok: true,
        data: { removed: true },
      })
      expect(await ask(IpcChannel.SettingsSet, { supabase: null })).toMatchObject({
        ok: true,
        data: { supabase: null },
      })

      // Accounts: the API password goes in (add, test) and never comes back, not even in an error.
      const account = {
        kind: 'greader',
        baseUrl: greader.baseUrl,
        username: 'alice',
        password: ACCOUNT_PASSWORD,
      }
      expect(
        (await ask(IpcChannel.AccountsTest, { ...account, password: `${ACCOUNT_PASSWORD}-wrong` })).ok,
      ).toBe(false)
      expect(await ask(IpcChannel.AccountsTest, account)).toMatchObject({ ok: true, data: { feeds: 1 } })
      const added = await ask(IpcChannel.AccountsAdd, account)
      expect(added.ok).toBe(true)
      const accountId = (added.data as { id: number }).id
      expect((await ask(IpcChannel.AccountsAdd, account)).ok).toBe(false)
      expect((await ask(IpcChannel.AccountsList)).ok).toBe(true)
      expect((await ask(IpcChannel.AccountsTest, { accountId })).ok).toBe(true)
      expect((await ask(IpcChannel.AccountsRemovalImpact, { accountId })).ok).toBe(true)
      expect(await ask(IpcChannel.AccountsRemove, { accountId })).toMatchObject({ ok: true })

      // Every channel was exercised.
      expect(new Set(answers.map((a) => a.channel))).toEqual(new Set(IPC_CHANNELS))
      const leaks: string[] = []
      for (const { channel, json } of answers) {
        for (const [name, secret] of Object.entries(secrets))
          if (json.includes(secret)) leaks.push(`${channel}: ${name}`)
        if (/sk-test-/.test(json)) leaks.push(`${channel}: sk-test- prefix`)
        for (const role of jwtRoles(json))
          if (role !== 'anon') leaks.push(`${channel}: JWT with role ${role}`)
      }
      console.log(
        `secrets: ${answers.length} IPC answers over ${IPC_CHANNELS.length} channels checked for ${Object.keys(secrets).length} secrets; leaks: ${leaks.length}`,
      )
      expect(leaks).toEqual([])
      // The check itself can see a key: the config answer does carry the (public) anon key.
      expect(jwtRoles(answers.find((a) => a.channel === IpcChannel.ConfigPublic)!.json)).toEqual(['anon'])
    }, 60_000)
  })
})
