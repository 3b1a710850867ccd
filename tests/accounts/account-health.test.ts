/**
 * An account that cannot be synced is news like a failing feed: health turns degraded and names it
 * (tray, `tidings health`; the window's wording: tests/renderer-unit/accounts.test.ts), the sync's summary says it was not synced, and the next good
 * sync clears it.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { syncSummary } from '../../src/cli/sync-summary'
import { createAccounts } from '../../src/core/accounts/accounts-service'
import { createCredentialStore } from '../../src/core/config/account-credentials'
import { trayState } from '../../src/main/tray/tray-state'
import { IpcEvent } from '../../src/shared/ipc-contract'
import { TERMINAL_STATES, type SyncStatus } from '../../src/shared/sync-status'
import { startCoreOnStack, type CoreOnStack } from '../support/core-on-stack'
import { generateFeeds, startFakeGReader, type FakeGReader } from '../support/fake-greader'
import { minutesBefore, rssDocument, rssItem } from '../support/rss'
import { startFeedServer, startSyncStack, type FeedServer, type SyncStack } from '../sync/support'
import { PASSWORD, USER } from './support'

let env: SyncStack
let server: FeedServer
let fake: FakeGReader
let app: CoreOnStack

beforeAll(async () => {
  ;[env, server] = await Promise.all([startSyncStack(), startFeedServer()])
})
afterAll(async () => {
  await server?.close()
  await env?.close()
})
beforeEach(async () => {
  await env.reset()
  await env.db.query('truncate public.accounts restart identity cascade')
  fake = await startFakeGReader()
  generateFeeds(fake.state, { feeds: 1, itemsPerFeed: 2 })
  app = await startCoreOnStack(env.stack)
})
afterEach(async () => {
  await app?.core.close()
  await fake?.close()
})

/** A sync as the window asks for it; resolves with its end, as main pushes it. */
async function syncNow(): Promise<SyncStatus> {
  const ended = new Map<string, SyncStatus>()
  let wanted: string | null = null
  let resolveEnd!: (status: SyncStatus) => void
  const end = new Promise<SyncStatus>((resolve) => (resolveEnd = resolve))
  const off = app.core.events.on(IpcEvent.SyncProgress, (status) => {
    if (!TERMINAL_STATES.includes(status.status)) return
    ended.set(status.syncId, status)
    if (status.syncId === wanted) resolveEnd(status)
  })
  try {
    const { syncId } = await app.core.services.requestSync('incremental', 'manual')
    wanted = syncId
    const already = ended.get(syncId)
    return already ?? (await end)
  } finally {
    off()
  }
}

describe('a failing account in health', () => {
  it('degrades health and names the account everywhere until a sync of it succeeds', async () => {
    const item = rssItem({
      title: 'a',
      link: 'https://local.example/a',
      guid: 'a',
      pubDate: minutesBefore(1),
    })
    server.set('/local.xml', { body: rssDocument('Local', 'https://local.example/', [item]) })
    await app.core.services.feeds.add(server.url('/local.xml'))
    const accounts = createAccounts({
      admin: env.admin,
      credentials: createCredentialStore(app.dataDir),
      historyDays: async () => 30,
    })
    await accounts.add({ kind: 'greader', baseUrl: fake.baseUrl, username: USER, password: PASSWORD })
    fake.state.users.set(USER, 'changed-on-the-server')

    const ended = await syncNow()
    expect(ended.status).toBe('completed')
    expect(ended.stats.failedSources?.map((s) => s.name)).toEqual(['FreshRSS'])
    expect(syncSummary(ended.status, ended.stats)).toMatch(
      /Not synced:\n {2}FreshRSS at 127\.0\.0\.1:\d+: wrong user name or API password/,
    )

    const health = await app.core.services.health()
    expect(health.status).toBe('degraded')
    expect(health.failingAccounts?.map((a) => a.name)).toEqual(['FreshRSS'])
    expect(
      trayState(
        health,
        { enabled: false, paused: false, intervalMinutes: 0, nextRunAt: null } as never,
        new Date(),
      ).tooltip,
    ).toContain('FreshRSS failing')

    fake.state.users.set(USER, PASSWORD)
    expect((await syncNow()).stats.failedSources).toBeUndefined()
    const fixed = await app.core.services.health()
    expect(fixed.failingAccounts).toBeUndefined()
    expect(fixed.status).toBe('healthy')
  })

  it('a read made in the window goes to the server at once, without waiting for a sync', async () => {
    const accounts = createAccounts({
      admin: env.admin,
      credentials: createCredentialStore(app.dataDir),
      historyDays: async () => 30,
    })
    await accounts.add({ kind: 'greader', baseUrl: fake.baseUrl, username: USER, password: PASSWORD })
    expect((await syncNow()).status).toBe('completed')
    const { rows } = await env.db.query<{ id: number; remote_id: string }>(
      'select id, remote_id from articles order by id limit 1',
    )
    const sent = fake.nextRequest('/reader/api/0/edit-tag')
    await app.core.services.articles.mark(rows[0]!.id, { isRead: true })
    const request = await sent
    expect(request.form.i).toEqual([rows[0]!.remote_id])
    expect(request.form.a).toEqual(['user/-/state/com.google/read'])
  })
})
