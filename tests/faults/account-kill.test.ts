/**
 * kill -9 of the built CLI while it syncs a Google Reader API account: mid-paging (the reading
 * list's 2nd page held by the fake server) and mid-outbox (the first edit-tag held). The next CLI
 * run must finish the job: every item stored once, the crawl-time cursor never ahead of what was
 * saved, every read mark on the server, nothing else changed on either side.
 */
import type { ChildProcess } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createAccounts } from '../../src/core/accounts/accounts-service'
import { createCredentialStore } from '../../src/core/config/account-credentials'
import { createProgressService, defaultStatusDir, newInstanceId } from '../../src/core/progress'
import { generateFeeds, startFakeGReader, type FakeGReader } from '../support/fake-greader'
import { makeDataDir } from '../support/temp-dir'
import { BUILT_CLI, cliEnv, killAll, REPO, spawnCli, useFaultWorld, type CliRun } from './support'

const { world, report, cleanups } = useFaultWorld('account-kill.test.ts')
const children = new Set<ChildProcess>()
const dirs: string[] = []

const ITEM = 'tag:google.com,2005:reader/item/'
const longId = (id: bigint): string => ITEM + id.toString(16).padStart(16, '0')
const idOf = (remoteId: string): bigint => BigInt('0x' + remoteId.slice(ITEM.length))

beforeAll(() => {
  if (!existsSync(join(REPO, BUILT_CLI[0]!)))
    throw new Error(`${BUILT_CLI[0]} is missing: run \`npm run build\` before these tests (npm test does).`)
})
// Registered after the world's hooks, so it runs before them: no child outlives the stack it uses.
afterAll(() => {
  killAll(children)
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})
beforeEach(async () => {
  await world.env.db.query('truncate public.accounts restart identity cascade')
})

/** A fake FreshRSS (closed after the test) and a data folder holding the account's password. */
async function setUp(name: string): Promise<{ fake: FakeGReader; dataDir: string }> {
  const fake = await startFakeGReader()
  cleanups.push(() => fake.close())
  const dataDir = makeDataDir(`tidings-fault-${name}-`)
  dirs.push(dataDir, defaultStatusDir(dataDir))
  return { fake, dataDir }
}

/** Adds the account as `tidings accounts add` does (signing in first); returns its id. */
async function addAccount(fake: FakeGReader, dataDir: string): Promise<number> {
  const accounts = createAccounts({
    admin: world.env.admin,
    credentials: createCredentialStore(dataDir),
    historyDays: async () => 30,
  })
  const account = await accounts.add({
    kind: 'greader',
    baseUrl: fake.baseUrl,
    username: 'alice',
    password: 'api-secret',
  })
  return account.id
}

const sync = (dataDir: string, accountId: number): CliRun =>
  spawnCli(
    ['sync', '--json', '--account', String(accountId)],
    cliEnv(world.env, dataDir),
    children,
    BUILT_CLI,
  )

interface SyncResult {
  syncId: string
  status: string
  stats: { articles: { new: number; savedByInterrupted?: number } }
}

/** Runs a sync to its end; it must complete. Returns its result line. */
async function syncToEnd(dataDir: string, accountId: number): Promise<SyncResult> {
  const run = sync(dataDir, accountId)
  const exit = await run.exited
  const result = run.lines.at(-1) as unknown as SyncResult
  expect(result, `${JSON.stringify(run.lines.slice(-3))}\n${run.stderr()}`).toMatchObject({
    status: 'completed',
  })
  expect(exit.code).toBe(0)
  return result
}

/** Waits for the run's sync id and its in_progress row, then SIGKILLs it. Returns the sync id. */
async function kill(run: CliRun): Promise<string> {
  await expect
    .poll(() => run.lines.find((l) => l.event === 'started')?.syncId, { timeout: 30_000, interval: 25 })
    .toMatch(/^sync_/)
  const syncId = run.lines.find((l) => l.event === 'started')!.syncId as string
  await expect
    .poll(async () => (await world.env.syncRow(syncId))?.status, { timeout: 10_000, interval: 25 })
    .toBe('in_progress')
  run.child.kill('SIGKILL')
  expect(await run.exited).toEqual({ code: null, signal: 'SIGKILL' })
  return syncId
}

/** The killed sync reads back interrupted, through the progress service and in its row. */
async function expectInterrupted(dataDir: string, syncId: string): Promise<void> {
  const progress = createProgressService({
    dataDir,
    admin: world.env.admin,
    instanceId: newInstanceId(),
    statusDir: defaultStatusDir(dataDir),
  })
  try {
    expect(await progress.getStatus(syncId)).toMatchObject({
      found: true,
      status: { status: 'interrupted', syncId },
    })
  } finally {
    await progress.close()
  }
  expect(await world.env.syncRow(syncId)).toMatchObject({ status: 'interrupted' })
}

/** The account's articles by remote id, and how many rows (more rows than ids: duplicates). */
async function stored(accountId: number): Promise<{
  rows: number
  byRemoteId: Map<string, { isRead: boolean; isStarred: boolean }>
}> {
  const { rows } = await world.env.db.query<{ remote_id: string; is_read: boolean; is_starred: boolean }>(
    `select a.remote_id, a.is_read, a.is_starred
       from public.articles a join public.feeds f on f.id = a.feed_id
      where f.account_id = $1`,
    [accountId],
  )
  return {
    rows: rows.length,
    byRemoteId: new Map(rows.map((r) => [r.remote_id, { isRead: r.is_read, isStarred: r.is_starred }])),
  }
}

async function cursorOf(accountId: number): Promise<string | null> {
  const { rows } = await world.env.db.query<{ c: string | null }>(
    'select last_crawl_usec as c from public.accounts where id = $1',
    [accountId],
  )
  return rows[0]!.c
}

/**
 * The next sync asks for items crawled from the cursor's second on (`ot`): every item crawled
 * before that must already be stored, or it is never fetched. Returns the items that are not.
 */
async function missedBehindCursor(fake: FakeGReader, accountId: number): Promise<number> {
  const cursor = await cursorOf(accountId)
  if (cursor === null) return 0 // no cursor: the next sync is a first sync again
  const from = (BigInt(cursor) / 1_000_000n) * 1_000_000n
  const { byRemoteId } = await stored(accountId)
  return fake.state.items.filter((i) => i.crawlUsec < from && !byRemoteId.has(longId(i.id))).length
}

async function outboxCount(accountId: number): Promise<number> {
  const { rows } = await world.env.db.query<{ n: number }>(
    'select count(*)::int as n from public.account_outbox where account_id = $1',
    [accountId],
  )
  return rows[0]!.n
}

describe('kill -9 while an account syncs', () => {
  it('mid-paging: the next sync stores every item exactly once; the cursor is never ahead of what was saved', async () => {
    const row = report.row('account: kill -9 while the 2nd page of the reading list is asked for')
    const { fake, dataDir } = await setUp('account-pages')
    // 4 500 unread items: 5 pages of 1 000 (newest first).
    generateFeeds(fake.state, { feeds: 3, itemsPerFeed: 1_500 })
    const expected = fake.state.items.map((i) => longId(i.id)).sort()
    const accountId = await addAccount(fake, dataDir)
    const secondPage = fake.holdNext((r) => r.path.includes('/stream/contents') && r.query.c !== undefined)
    cleanups.push(() => secondPage.release())

    const first = sync(dataDir, accountId)
    await secondPage.arrived
    // The 1st page is saved while the 2nd is asked for: kill once it is in, so the next sync meets it again.
    await expect
      .poll(async () => (await stored(accountId)).rows, { timeout: 30_000, interval: 50 })
      .toBe(1_000)
    const killedId = await kill(first)

    // Only the 1st page came in, and the cursor has not moved past anything unsaved.
    const afterKill = await stored(accountId)
    expect(afterKill.rows).toBe(1_000)
    expect(await missedBehindCursor(fake, accountId)).toBe(0)
    secondPage.release()

    const next = await syncToEnd(dataDir, accountId)
    await expectInterrupted(dataDir, killedId)
    expect(await world.env.syncRow(next.syncId)).toMatchObject({ status: 'completed', progress: 100 })
    // The page the killed sync saved is met again, and said to be its work (not new, not lost).
    expect(next.stats.articles).toMatchObject({ new: 3_500, savedByInterrupted: 1_000 })

    const after = await stored(accountId)
    expect(after.rows).toBe(expected.length)
    expect([...after.byRemoteId.keys()].sort()).toEqual(expected)
    expect(await missedBehindCursor(fake, accountId)).toBe(0)
    const newest = fake.state.items.reduce((max, i) => (i.crawlUsec > max ? i.crawlUsec : max), 0n)
    expect(await cursorOf(accountId)).toBe(String(newest))
    row.outcome = `killed with ${afterKill.rows} saved → interrupted; next CLI sync completed (exit 0)`
    row.articles = `${expected.length}/${after.rows} (unique ${after.byRemoteId.size})`
    row.status = 'killed: interrupted ✓; next: completed ✓; cursor = newest crawl ✓'
  })

  it('mid-paging of a later sync: the cursor stays where the last complete sync left it', async () => {
    const row = report.row('account: kill -9 mid-paging of a later (incremental) sync')
    const { fake, dataDir } = await setUp('account-later')
    generateFeeds(fake.state, { feeds: 3, itemsPerFeed: 10 })
    const accountId = await addAccount(fake, dataDir)
    await syncToEnd(dataDir, accountId)
    const cursor = await cursorOf(accountId)
    expect(cursor).not.toBeNull()
    // 3 000 items crawled since, in new feeds: 3 pages.
    generateFeeds(fake.state, { feeds: 2, itemsPerFeed: 1_500 })
    const expected = fake.state.items.map((i) => longId(i.id)).sort()
    const secondPage = fake.holdNext((r) => r.path.includes('/stream/contents') && r.query.c !== undefined)
    cleanups.push(() => secondPage.release())

    const first = sync(dataDir, accountId)
    await secondPage.arrived
    await expect
      .poll(async () => (await stored(accountId)).rows, { timeout: 30_000, interval: 50 })
      .toBe(30 + 1_000)
    const killedId = await kill(first)
    expect(await cursorOf(accountId)).toBe(cursor)
    expect(await missedBehindCursor(fake, accountId)).toBe(0)
    secondPage.release()

    await syncToEnd(dataDir, accountId)
    await expectInterrupted(dataDir, killedId)
    const after = await stored(accountId)
    expect(after.rows).toBe(expected.length)
    expect([...after.byRemoteId.keys()].sort()).toEqual(expected)
    const newest = fake.state.items.reduce((max, i) => (i.crawlUsec > max ? i.crawlUsec : max), 0n)
    expect(await cursorOf(accountId)).toBe(String(newest))
    row.outcome = 'killed with 1 030 saved, cursor unchanged → interrupted; next CLI sync completed'
    row.articles = `${expected.length}/${after.rows} (unique ${after.byRemoteId.size})`
    row.status = 'killed: interrupted ✓; next: completed ✓; cursor = newest crawl ✓'
  })

  it('mid-outbox: every read mark reaches the server, the outbox ends empty, nothing else changes on either side', async () => {
    const row = report.row('account: kill -9 while the first edit-tag is held')
    const { fake, dataDir } = await setUp('account-outbox')
    // Crawled in the last days, so the first sync fetches read items too; some read and starred there.
    const now = BigInt(Date.now()) * 1_000n
    generateFeeds(fake.state, { feeds: 2, itemsPerFeed: 300, startUsec: now - 5n * 86_400_000_000n })
    fake.state.items.slice(0, 600).forEach((item, k) => {
      if (k % 7 === 0) fake.state.read.add(item.id)
      if (k % 11 === 0) fake.state.starred.add(item.id)
    })
    const accountId = await addAccount(fake, dataDir)
    await syncToEnd(dataDir, accountId)
    const synced = await stored(accountId)
    expect(synced.rows).toBe(600)

    // The user reads 300 unread articles here; the trigger (sql/019) queues each in the outbox.
    const marked = [...synced.byRemoteId]
      .filter(([, s]) => !s.isRead)
      .map(([id]) => id)
      .slice(0, 300)
    expect(marked).toHaveLength(300)
    await world.env.db.query(
      `update public.article_state s set is_read = true from public.articles a join public.feeds f on f.id = a.feed_id
        where s.article_id = a.id and f.account_id = $1 and a.remote_id = any($2::text[])`,
      [accountId, marked],
    )
    expect(await outboxCount(accountId)).toBe(300)
    const readBefore = new Set(fake.state.read)
    const starredBefore = new Set(fake.state.starred)
    const localBefore = (await stored(accountId)).byRemoteId

    const edit = fake.holdNext('/reader/api/0/edit-tag')
    cleanups.push(() => edit.release())
    const first = sync(dataDir, accountId)
    const held = await edit.arrived
    expect(held.form.a).toEqual(['user/-/state/com.google/read'])
    const killedId = await kill(first)
    // Nothing was taken off the outbox: markSent comes only after the server has answered.
    expect(await outboxCount(accountId)).toBe(300)
    // The server got the request before the client died: it applies it though nobody reads the answer.
    edit.release()
    await expect.poll(() => held.form.i!.every((i) => fake.state.read.has(idOf(i)))).toBe(true)

    // "Exactly once" for the outbox: a change is never lost and never reverted. One the server got
    // before the kill (this edit-tag) is sent again by the next sync, as markSent never ran; that
    // is harmless, as edit-tag sets a state (idempotent) rather than toggling it.
    await syncToEnd(dataDir, accountId)
    await expectInterrupted(dataDir, killedId)

    expect(await outboxCount(accountId)).toBe(0)
    const wantRead = new Set([...readBefore, ...marked.map(idOf)])
    expect(marked.every((id) => fake.state.read.has(idOf(id)))).toBe(true)
    // Nothing else on the server changed: no unrelated item read or unread, no star moved.
    expect([...fake.state.read].sort()).toEqual([...wantRead].sort())
    expect([...fake.state.starred].sort()).toEqual([...starredBefore].sort())
    // No local state lost (or taken from a stale server answer): as it was after the marks.
    const after = await stored(accountId)
    expect(after.rows).toBe(600)
    expect(after.byRemoteId).toEqual(localBefore)
    const resent = fake.requests
      .filter((r) => r.path === '/reader/api/0/edit-tag')
      .flatMap((r) => r.form.i ?? []).length
    row.outcome = `killed during edit-tag → interrupted; next sync sent ${resent - held.form.i!.length} marks again`
    row.articles = `600/${after.rows}`
    row.status = 'outbox 0 ✓; 300 read on the server ✓; nothing else changed ✓'
  })
})
