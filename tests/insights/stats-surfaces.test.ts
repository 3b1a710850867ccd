/**
 * Where the figures come out: `tidings stats [--json] [--days N]` (its first line the one-line
 * summary), the window's `insights:get` channel through the real handler table and core, and the
 * keepHistoryDays setting.
 */
import { chmodSync, rmSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CliError, createOutput, EXIT, type CliContext } from '../../src/cli/cli-kit'
import { statsCommand } from '../../src/cli/commands/stats'
import type { AppCore } from '../../src/core/app/core'
import { settingsFile } from '../../src/core/config/paths'
import { sqlDir } from '../../src/core/config/app-root'
import { loadSettings, saveSettings, SettingsError } from '../../src/core/config/settings'
import type { IpcHandlerTable } from '../../src/core/ipc/handlers'
import { IpcChannel } from '../../src/shared/ipc-contract'
import type { Insights } from '../../src/shared/insights'
import { startCoreOnStack } from '../support/core-on-stack'
import { makeDataDir } from '../support/temp-dir'
import { startSyncStack, type SyncStack } from '../sync/support'

let env: SyncStack
let core: AppCore
let handlers: IpcHandlerTable
let coreDir: string
const dirs: string[] = []

/** Durations of the planted syncs, in days ago order: 5 within 30 days, 1 older. */
const PLANTED = [
  { daysAgo: 1, ms: 1500, outcome: 'completed' },
  { daysAgo: 2, ms: 2100, outcome: 'completed' },
  { daysAgo: 3, ms: 2500, outcome: 'failed' },
  { daysAgo: 10, ms: 1900, outcome: 'completed' },
  { daysAgo: 20, ms: 3000, outcome: 'completed' },
  { daysAgo: 45, ms: 9000, outcome: 'completed' },
]

beforeAll(async () => {
  env = await startSyncStack()
  ;({
    core,
    handlers,
    dataDir: coreDir,
  } = await startCoreOnStack(env.stack, { dataDirPrefix: 'tidings-stats-' }))
  for (const [i, s] of PLANTED.entries())
    await env.db.query(
      `insert into sync_history (sync_id, finished_at, started_at, type, trigger, outcome, device, duration_ms)
       values ($1, now() - make_interval(days => $2), now() - make_interval(days => $2), 'incremental',
         'schedule', $3, $4, $5)`,
      [`planted-${i}`, s.daysAgo, s.outcome, hostname(), s.ms],
    )
  // Three feeds: two failing three fetches in a row (one failed once before), one dead (old, nothing new).
  const { rows } = await env.db.query<{ id: string }>(
    `insert into feeds (url, title, created_at) values
       ('http://127.0.0.1:9/a.xml', 'Alpha', now() - interval '300 days'),
       ('http://127.0.0.1:9/b.xml', 'Beta', now()),
       ('http://127.0.0.1:9/c.xml', 'Gamma', now()) returning id`,
  )
  // Their failures by UTC hour: Beta's three at 05:00, Gamma's two at 06:00 and one at 07:00.
  const hours = (cells: Record<number, number>): string =>
    `{${Array.from({ length: 24 }, (_, h) => cells[h] ?? 0).join(',')}}`
  const errorHours = [hours({ 5: 3 }), hours({ 6: 2, 7: 1 })]
  for (const [i, { id }] of rows.slice(1).entries())
    await env.db.query(
      `insert into feed_fetch_daily (feed_id, day, fetches, failures, err_5xx, error_hours, first_ok, last_ok,
         streak_failures, streak_since, last_error_kind)
       values ($1, current_date, 3, 3, 3, $2::smallint[], false, false, 3, now() - interval '2 hours', '5xx')`,
      [Number(id), errorHours[i]],
    )
}, 120_000)
afterAll(async () => {
  await core?.close()
  await env?.close()
  for (const dir of [coreDir, ...dirs]) if (dir) rmSync(dir, { recursive: true, force: true })
})

async function stats(argv: string[], json: boolean): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = []
  const dataDir = makeDataDir('tidings-stats-cli-')
  dirs.push(dataDir)
  const ctx: CliContext = {
    dataDir,
    sqlDir: sqlDir(),
    env: {
      SUPABASE_URL: env.stack.url,
      SUPABASE_ANON_KEY: env.stack.anonKey,
      SUPABASE_SERVICE_ROLE_KEY: env.stack.serviceRoleKey,
    },
    out: createOutput(json, (line) => void lines.push(...line.split('\n'))),
    argv,
    signal: new AbortController().signal,
  }
  try {
    return { code: (await statsCommand.run(ctx)) ?? EXIT.ok, lines }
  } catch (error) {
    if (error instanceof CliError) return { code: error.exitCode, lines: [error.message] }
    throw error
  }
}

describe('tidings stats', () => {
  it('starts with the one-line summary of the last 30 days', async () => {
    const { code, lines } = await stats([], false)
    expect(code).toBe(EXIT.ok)
    // 5 syncs within 30 days: durations 1500 1900 2100 2500 3000, median 2.1 s.
    expect(lines[0]).toBe('last 30 days: 5 syncs, median 2.1 s, 2 feeds failing, 1 dead')
    expect(lines).toContain('Failing feeds (2):')
    // 05:00 has the most failures (3), all Beta's: of the 2 failing feeds, 1 fails then.
    expect(lines).toContain('Failures peak at 05:00 UTC (3, from 1 feed)')
    expect(lines.join('\n')).toMatch(/Dead feeds \(1\): Alpha/)
  })

  it('--days N changes the range; --json prints the figures object', async () => {
    const { code, lines } = await stats(['--days', '60'], true)
    expect(code).toBe(EXIT.ok)
    expect(lines).toHaveLength(1)
    const insights = JSON.parse(lines[0]!) as Insights
    expect(insights.summary).toEqual({ days: 60, syncs: 6, medianMs: 2300, failingFeeds: 2, deadFeeds: 1 })
    expect(insights.trends.failureRate).toBeCloseTo(1 / 6, 10)
    expect(insights.failures.failingFeeds.map((f) => [f.name, f.errorKind, f.streak])).toEqual([
      ['Beta', '5xx', 3],
      ['Gamma', '5xx', 3],
    ])
    expect((await stats(['--days', '1'], false)).lines[0]).toMatch(/^last day: 0 syncs, no median,/)
  })

  it.each([['0'], ['3651'], ['1.5'], ['x']])('refuses --days %s (exit 2)', async (days) => {
    expect(await stats(['--days', days], false)).toEqual({
      code: EXIT.badInput,
      lines: ['--days must be a whole number from 1 to 3650'],
    })
  })
})

describe('insights:get', () => {
  it('answers the figures of the range asked, 30 days by default, and refuses a bad range', async () => {
    const asked = await handlers[IpcChannel.InsightsGet]({ days: 7 })
    expect(asked.ok && asked.data.summary).toEqual({
      days: 7,
      syncs: 3,
      medianMs: 2100,
      failingFeeds: 2,
      deadFeeds: 1,
    })
    const byDefault = await handlers[IpcChannel.InsightsGet](undefined)
    expect(byDefault.ok && byDefault.data.days).toBe(30)
    expect(await handlers[IpcChannel.InsightsGet]({ days: 0 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    })
  })
})

describe('settings: keepHistoryDays', () => {
  const privateDir = (): string => {
    const dir = makeDataDir('tidings-keep-history-')
    chmodSync(dir, 0o700)
    dirs.push(dir)
    return dir
  }

  it('is 180 days by default, saves 1–3650, refuses anything else', async () => {
    const dir = privateDir()
    expect((await loadSettings(dir)).keepHistoryDays).toBe(180)
    expect((await saveSettings(dir, { keepHistoryDays: 30 })).keepHistoryDays).toBe(30)
    expect((await loadSettings(dir)).keepHistoryDays).toBe(30)
    for (const days of [0, -1, 1.5, 3651])
      await expect(saveSettings(dir, { keepHistoryDays: days })).rejects.toThrow()
    writeFileSync(settingsFile(dir), JSON.stringify({ keepHistoryDays: 0 }), { mode: 0o600 })
    await expect(loadSettings(dir)).rejects.toBeInstanceOf(SettingsError)
  })

  it('is set through settings:set and shown by settings:get', async () => {
    const set = await handlers[IpcChannel.SettingsSet]({ keepHistoryDays: 90 })
    expect(set.ok && set.data.keepHistoryDays).toBe(90)
    const got = await handlers[IpcChannel.SettingsGet](undefined)
    expect(got.ok && got.data.keepHistoryDays).toBe(90)
    expect((await handlers[IpcChannel.SettingsSet]({ keepHistoryDays: 0 })).ok).toBe(false)
  })
})
