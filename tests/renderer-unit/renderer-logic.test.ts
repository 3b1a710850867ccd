import { describe, expect, it } from 'vitest'
import { checkFeedUrl } from '../../src/renderer/src/lib/feed-url'
import { cleanMessage } from '../../src/renderer/src/lib/api'
import { isEditableTarget, shortcutFor, type KeyLike } from '../../src/renderer/src/lib/shortcuts'
import {
  fromPublicRow,
  fromRow,
  SYNC_STATUS_PUBLIC_COLUMNS,
  toRow,
  type PublicSyncStatusRow,
  type SyncStatusRow,
} from '../../src/shared/sync-status-row'
import type { RecentSync } from '../../src/shared/sync-status'
import { shownHealth } from '../../src/renderer/src/lib/health-view'
import { statusText } from '../../src/renderer/src/components/StatusLine'
import type { HealthController } from '../../src/renderer/src/hooks/useHealth'

describe('checkFeedUrl', () => {
  it('accepts http(s) and fills in https for bare hosts', () => {
    expect(checkFeedUrl('https://example.com/feed.xml')).toEqual({
      ok: true,
      url: 'https://example.com/feed.xml',
    })
    expect(checkFeedUrl('  example.com/rss ')).toEqual({ ok: true, url: 'https://example.com/rss' })
    expect(checkFeedUrl('http://localhost:8080/feed')).toEqual({
      ok: true,
      url: 'http://localhost:8080/feed',
    })
  })
  it('an address with a port and no scheme is http:// + the address (as the core reads it: tests/feed/opml-and-url)', () => {
    for (const [typed, url] of [
      ['localhost:44591/site/', 'http://localhost:44591/site/'],
      ['example.com:8080/feed', 'http://example.com:8080/feed'],
      ['127.0.0.1:8080', 'http://127.0.0.1:8080/'],
      ['[::1]:8080/rss.xml', 'http://[::1]:8080/rss.xml'],
    ]) {
      expect(checkFeedUrl(typed!), typed).toEqual({ ok: true, url })
    }
    expect(checkFeedUrl('mailto:me@example.com')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/not mailto:/),
    })
  })
  it('explains what is wrong', () => {
    expect(checkFeedUrl('')).toMatchObject({ ok: false })
    expect(checkFeedUrl('javascript:alert(1)')).toMatchObject({
      ok: false,
      message: expect.stringContaining('http'),
    })
    expect(checkFeedUrl('file:///etc/passwd')).toMatchObject({ ok: false })
    expect(checkFeedUrl('https://')).toMatchObject({ ok: false })
    expect(checkFeedUrl('not a url')).toMatchObject({ ok: false })
  })
})

describe('cleanMessage', () => {
  it('keeps the first line and drops Electron noise and stack frames', () => {
    expect(cleanMessage("Error invoking remote method 'feeds:add': Error: boom\n    at x (y.js:1:2)")).toBe(
      'boom',
    )
    expect(cleanMessage('TypeError: x is undefined')).toBe('x is undefined')
  })
})

describe('shortcuts', () => {
  const key = (k: string, target: unknown = { tagName: 'BODY' }, mods: Partial<KeyLike> = {}): KeyLike => ({
    key: k,
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    target,
    ...mods,
  })
  it('maps keys to actions', () => {
    expect(shortcutFor(key('j'))).toBe('next')
    expect(shortcutFor(key('k'))).toBe('prev')
    expect(shortcutFor(key('m'))).toBe('toggleRead')
    expect(shortcutFor(key('s'))).toBe('toggleStar')
    expect(shortcutFor(key('r'))).toBe('sync')
    expect(shortcutFor(key('R'))).toBe('sync')
    expect(shortcutFor(key('?'))).toBe('help')
    expect(shortcutFor(key('x'))).toBeNull()
  })
  it('never fires while typing or with modifiers', () => {
    expect(shortcutFor(key('j', { tagName: 'INPUT', type: 'url' }))).toBeNull()
    expect(shortcutFor(key('j', { tagName: 'TEXTAREA' }))).toBeNull()
    expect(shortcutFor(key('j', { tagName: 'DIV', isContentEditable: true }))).toBeNull()
    expect(shortcutFor(key('r', { tagName: 'BODY' }, { ctrlKey: true }))).toBeNull()
    expect(shortcutFor(key('r', { tagName: 'BODY' }, { metaKey: true }))).toBeNull()
    expect(isEditableTarget({ tagName: 'INPUT', type: 'checkbox' })).toBe(false)
    expect(isEditableTarget(null)).toBe(false)
  })
})

describe("sync_status row mapping (shared by main and the renderer's direct read)", () => {
  const row: SyncStatusRow = {
    sync_id: 'sync_abcdef_aaaaaaaaaaaaaaaaaaaaaa',
    status: 'in_progress',
    progress: 45,
    stage: 'Fetching feeds',
    type: 'full',
    start_time: '2026-03-10T12:00:00+00:00',
    last_update: '2026-03-10T12:00:05.5+00:00',
    finished_at: null,
    error: null,
    stats: {
      feeds: { processed: 3, total: 10, failed: 1 },
      articles: { processed: 40, total: 100, new: 12 },
    },
    owner: 'inst-1',
  }
  it('maps snake_case to SyncStatus with ISO-8601 UTC timestamps', () => {
    expect(fromRow(row)).toEqual({
      syncId: row.sync_id,
      status: 'in_progress',
      progress: 45,
      stage: 'Fetching feeds',
      type: 'full',
      startTime: '2026-03-10T12:00:00.000Z',
      lastUpdate: '2026-03-10T12:00:05.500Z',
      stats: row.stats,
      owner: 'inst-1',
    })
  })
  it('carries finish time and error; missing stats become zeros', () => {
    const mapped = fromRow({
      ...row,
      status: 'failed',
      finished_at: '2026-03-10T12:01:00Z',
      error: 'boom',
      stats: null,
    })
    expect(mapped).toMatchObject({ status: 'failed', finishedAt: '2026-03-10T12:01:00.000Z', error: 'boom' })
    expect(mapped?.stats).toEqual({
      feeds: { processed: 0, total: 0, failed: 0 },
      articles: { processed: 0, total: 0, new: 0 },
    })
  })
  it('rejects rows it does not understand', () => {
    expect(fromRow({ ...row, status: 'exploded' })).toBeNull()
    expect(fromRow({ ...row, sync_id: '../../etc/passwd' })).toBeNull()
    expect(fromRow({ ...row, progress: 140 })).toBeNull()
    expect(fromRow({ ...row, start_time: 'yesterday' })).toBeNull()
  })
  it('round-trips through toRow', () => {
    const status = fromRow(row)!
    expect(fromRow(toRow(status))).toEqual(status)
  })
})

describe("the renderer's direct read: a sync's numbers, with no feed named", () => {
  const row: PublicSyncStatusRow = {
    sync_id: 'sync_abcdef_aaaaaaaaaaaaaaaaaaaaaa',
    status: 'in_progress',
    progress: 40,
    type: 'incremental',
    start_time: '2026-03-10T12:00:00+00:00',
    last_update: '2026-03-10T12:00:05+00:00',
    finished_at: null,
    phase: 'fetching',
    feeds_processed: 12,
    feeds_total: 40,
    feeds_failed: 2,
    feeds_skipped: 1,
    articles_processed: 150,
    articles_total: 300,
    articles_new: 90,
  }

  it('selects only the columns anon may read: no stage text, stats, error or owner', () => {
    const columns = SYNC_STATUS_PUBLIC_COLUMNS.split(',')
    for (const named of ['stage', 'stats', 'error', 'error_summary', 'owner'])
      expect(columns).not.toContain(named)
    expect(columns).toEqual(
      expect.arrayContaining([
        'phase',
        'feeds_processed',
        'feeds_total',
        'articles_processed',
        'articles_total',
      ]),
    )
  })

  it('says the stage in words and counts: "Fetching feeds · 12 of 40", "Saving articles · 150 of 300"', () => {
    expect(fromPublicRow(row)).toEqual({
      syncId: row.sync_id,
      status: 'in_progress',
      progress: 40,
      stage: 'Fetching feeds · 12 of 40',
      type: 'incremental',
      startTime: '2026-03-10T12:00:00.000Z',
      lastUpdate: '2026-03-10T12:00:05.000Z',
      stats: {
        feeds: { processed: 12, total: 40, failed: 2, skipped: 1 },
        articles: { processed: 150, total: 300, new: 90 },
      },
      owner: '',
    })
    expect(fromPublicRow({ ...row, phase: 'saving' })?.stage).toBe('Saving articles · 150 of 300')
    expect(fromPublicRow({ ...row, phase: 'loading' })?.stage).toBe('Loading subscriptions')
    expect(fromPublicRow({ ...row, phase: 'finishing' })?.stage).toBe('Finishing')
    expect(fromPublicRow({ ...row, phase: null })?.stage).toBe('')
    expect(fromPublicRow({ ...row, phase: 'exfiltrating' })?.stage).toBe('')
  })

  it('ends without a reason (main alone reads it) and with zeros where a counter is missing', () => {
    const failed = fromPublicRow({
      ...row,
      status: 'failed',
      finished_at: '2026-03-10T12:01:00Z',
      feeds_skipped: null,
      articles_new: null,
    })
    expect(failed).toMatchObject({ status: 'failed', finishedAt: '2026-03-10T12:01:00.000Z' })
    expect(failed).not.toHaveProperty('error')
    expect(failed?.stats).toEqual({
      feeds: { processed: 12, total: 40, failed: 2 },
      articles: { processed: 150, total: 300, new: 0 },
    })
  })

  it('rejects rows it does not understand', () => {
    expect(fromPublicRow({ ...row, status: 'exploded' })).toBeNull()
    expect(fromPublicRow({ ...row, feeds_total: -1 })).toBeNull()
  })
})

describe('the health the window shows', () => {
  const recent = (feedsFailed: number, status: RecentSync['status'] = 'completed'): RecentSync => ({
    syncId: 's',
    runBy: 'this-app',
    status,
    type: 'full',
    duration: 4,
    startedAt: '2026-03-10T12:00:00Z',
    completedAt: '2026-03-10T12:00:04Z',
    articlesNew: 3,
    feedsFailed,
  })

  it('is degraded, with a reason, when the last sync had failed feeds although main still says healthy', () => {
    expect(shownHealth({ status: 'healthy', recentSyncs: [recent(3)], failingFeeds: [] })).toEqual({
      status: 'degraded',
      reason: '3 feeds failed in the last sync',
      headline: 'Degraded: 3 feeds failed in the last sync',
    })
  })
  it('counts every failing feed first ("Degraded: 1 feed failing"), and keeps main\'s worse verdict', () => {
    const failingFeeds = [{ feedId: 1, name: 'a', error: 'HTTP 500', errorCount: 2 }]
    expect(shownHealth({ status: 'degraded', recentSyncs: [recent(1)], failingFeeds })).toEqual({
      status: 'degraded',
      reason: '1 feed failing',
      headline: 'Degraded: 1 feed failing',
    })
    expect(shownHealth({ status: 'unhealthy', recentSyncs: [recent(1)], failingFeeds }).status).toBe(
      'unhealthy',
    )
  })
  it('is healthy when main says so and the last sync fetched every feed; a running sync does not count', () => {
    expect(
      shownHealth({
        status: 'healthy',
        recentSyncs: [recent(0, 'in_progress'), recent(0)],
        failingFeeds: [],
      }),
    ).toEqual({ status: 'healthy', reason: null, headline: 'Healthy' })
  })
})

describe('status line', () => {
  it('says "just now" for a sync that ended after the clock the line was drawn with', () => {
    const now = Date.parse('2026-03-10T12:00:00Z')
    const health = {
      health: {
        recentSyncs: [
          {
            syncId: 's',
            status: 'completed',
            type: 'full',
            duration: 2,
            startedAt: '2026-03-10T11:59:58Z',
            completedAt: '2026-03-10T12:00:20Z',
            articlesNew: 1,
            feedsFailed: 0,
          },
        ],
        scheduler: null,
      },
    } as unknown as HealthController
    expect(statusText(health, now)).toMatch(/^Last sync just now/)
  })
})
