import { describe, expect, it } from 'vitest'
import { trayState } from '../../src/main/tray/tray-state'
import type { SchedulerState } from '../../src/shared/models'
import type { HealthSummary, RecentSync } from '../../src/shared/sync-status'

const NOW = new Date('2026-03-10T12:00:00Z')
const ago = (minutes: number): string => new Date(NOW.getTime() - minutes * 60_000).toISOString()
const ahead = (minutes: number): string => new Date(NOW.getTime() + minutes * 60_000).toISOString()

function sync(partial: Partial<RecentSync> & { minutesAgo: number }): RecentSync {
  const { minutesAgo, ...rest } = partial
  return {
    syncId: `sync_abcdef_${String(minutesAgo).padStart(22, 'a')}`,
    runBy: 'this-app',
    status: 'completed',
    type: 'incremental',
    duration: 4.2,
    startedAt: ago(minutesAgo),
    completedAt: ago(minutesAgo),
    articlesNew: 0,
    feedsFailed: 0,
    ...rest,
  }
}

function health(partial: Partial<HealthSummary> = {}): HealthSummary {
  return {
    status: 'healthy',
    activeSyncs: 0,
    recentSyncs: [],
    storage: { file: 'ok', database: 'ok' },
    checkedAt: NOW.toISOString(),
    ...partial,
  }
}

const scheduler: SchedulerState = { enabled: true, paused: false, intervalMinutes: 30, nextRunAt: ahead(27) }

describe('trayState', () => {
  it('idle: last sync, new articles and next run', () => {
    const state = trayState(
      health({ recentSyncs: [sync({ minutesAgo: 3, articlesNew: 12 })], lastSuccessAt: ago(3) }),
      scheduler,
      NOW,
    )
    expect(state.icon).toBe('idle')
    expect(state.tooltip).toContain('Last sync 3 min ago · 12 new · next sync: in 27 min')
    expect(state.recentItems).toEqual(['Synced 3 min ago · 12 new articles · 4.2 s'])
  })

  it('uses the newest sync whatever order the summary lists them in', () => {
    const state = trayState(
      health({
        recentSyncs: [sync({ minutesAgo: 90, articlesNew: 1 }), sync({ minutesAgo: 5, articlesNew: 7 })],
      }),
      scheduler,
      NOW,
    )
    expect(state.tooltip).toContain('Last sync 5 min ago · 7 new')
    expect(state.recentItems[0]).toMatch(/^Synced 5 min ago/)
  })

  it('syncing: the syncing icon while a sync runs', () => {
    const h = health({
      activeSyncs: 1,
      recentSyncs: [sync({ minutesAgo: 0, status: 'in_progress' }), sync({ minutesAgo: 30 })],
    })
    expect(trayState(h, scheduler, NOW)).toMatchObject({ icon: 'syncing', tooltip: 'Tidings · Syncing…' })
  })

  it('error: the last finished sync failed, with its reason', () => {
    const state = trayState(
      health({
        recentSyncs: [
          sync({ minutesAgo: 2, status: 'failed', error: 'database unreachable' }),
          sync({ minutesAgo: 40 }),
        ],
      }),
      scheduler,
      NOW,
    )
    expect(state.icon).toBe('error')
    expect(state.tooltip).toContain('Last sync failed: database unreachable')
    expect(state.recentItems[0]).toBe('Failed 2 min ago: database unreachable')
  })

  it('error: interrupted syncs say so', () => {
    const state = trayState(
      health({ recentSyncs: [sync({ minutesAgo: 1, status: 'interrupted', error: 'app quit' })] }),
      scheduler,
      NOW,
    )
    expect(state.icon).toBe('error')
    expect(state.tooltip).toContain('Last sync interrupted: app quit')
  })

  it('a failure followed by a success is idle again', () => {
    const state = trayState(
      health({
        recentSyncs: [
          sync({ minutesAgo: 1, articlesNew: 2 }),
          sync({ minutesAgo: 20, status: 'failed', error: 'x' }),
        ],
      }),
      scheduler,
      NOW,
    )
    expect(state.icon).toBe('idle')
  })

  it('long reasons are shortened to one line', () => {
    const reason = `boom\n${'x'.repeat(300)}`
    const state = trayState(
      health({ recentSyncs: [sync({ minutesAgo: 1, status: 'failed', error: reason })] }),
      scheduler,
      NOW,
    )
    expect(state.tooltip).not.toContain('\n')
    expect(state.tooltip.length).toBeLessThan(160)
    expect(state.tooltip).toContain('…')
  })

  it('degraded: health says so, a feed failed, or storage is impaired', () => {
    expect(
      trayState(health({ status: 'degraded', recentSyncs: [sync({ minutesAgo: 1 })] }), scheduler, NOW).icon,
    ).toBe('degraded')
    const withFailedFeed = trayState(
      health({ recentSyncs: [sync({ minutesAgo: 1, feedsFailed: 2, articlesNew: 3 })] }),
      scheduler,
      NOW,
    )
    expect(withFailedFeed.icon).toBe('degraded')
    expect(withFailedFeed.tooltip).toContain('3 new · 2 feeds failed')
    const dbDown = trayState(health({ storage: { file: 'ok', database: 'unreachable' } }), scheduler, NOW)
    expect(dbDown.icon).toBe('degraded')
    expect(dbDown.tooltip).toContain('database unreachable')
  })

  it('a feed still failing after a sync that skipped it (backing off) keeps the icon degraded and is counted', () => {
    const failingFeeds = [1, 2, 3, 4, 5].map((feedId) => ({
      feedId,
      name: `feed ${feedId}`,
      error: 'HTTP 500',
      errorCount: 1,
    }))
    // What main reports: the latest sync fetched the others fine and failed none.
    const state = trayState(
      health({ status: 'degraded', recentSyncs: [sync({ minutesAgo: 0, articlesNew: 0 })], failingFeeds }),
      scheduler,
      NOW,
    )
    expect(state.icon).toBe('degraded')
    expect(state.tooltip).toBe(
      'Tidings · Last sync just now · 0 new · 5 feeds failing · next sync: in 27 min',
    )
  })

  it('unhealthy with no failed sync is still an error icon', () => {
    expect(trayState(health({ status: 'unhealthy' }), scheduler, NOW).icon).toBe('error')
  })

  it('no syncs yet; scheduler paused / off / due', () => {
    expect(trayState(health(), scheduler, NOW).tooltip).toBe('Tidings · No sync yet · next sync: in 27 min')
    expect(trayState(health(), { ...scheduler, paused: true }, NOW).tooltip).toContain('next sync: paused')
    expect(trayState(health(), { ...scheduler, intervalMinutes: 0, enabled: false }, NOW).tooltip).toContain(
      'next sync: off (interval is 0)',
    )
    expect(trayState(health(), { ...scheduler, nextRunAt: ago(1) }, NOW).tooltip).toContain(
      'next sync: due now',
    )
    expect(trayState(health(), { ...scheduler, nextRunAt: null }, NOW).tooltip).toContain(
      'next sync: not scheduled',
    )
  })

  it('lists at most five recent items, newest first', () => {
    const syncs = Array.from({ length: 8 }, (_, i) => sync({ minutesAgo: (i + 1) * 10, articlesNew: i }))
    const state = trayState(health({ recentSyncs: syncs }), scheduler, NOW)
    expect(state.recentItems).toHaveLength(5)
    expect(state.recentItems[0]).toMatch(/^Synced 10 min ago · 0 new articles/)
    expect(state.recentItems[1]).toMatch(/^Synced 20 min ago · 1 new article ·/)
  })
})
