import { describe, expect, it } from 'vitest'
import { indicatorView } from '../../src/renderer/src/lib/sync-indicator-view'
import { emptyStats, type SyncStats, type SyncStatus } from '../../src/shared/sync-status'
import type { PollState } from '../../src/renderer/src/sync/poll-sync'

function status(
  state: SyncStatus['status'],
  change: (stats: SyncStats) => void = () => undefined,
): SyncStatus {
  const stats = emptyStats()
  change(stats)
  return {
    syncId: 'sync_abc',
    status: state,
    progress: state === 'completed' ? 100 : 40,
    stage: 'Fetching feeds',
    type: 'incremental',
    startTime: '2026-12-05T05:00:00Z',
    lastUpdate: '2026-12-05T05:00:05Z',
    stats,
    owner: '',
  }
}
const poll = (s: SyncStatus | null, phase: PollState['phase'] = 'polling'): PollState => ({
  syncId: 'sync_abc',
  phase,
  status: s,
  source: 'push',
  notice: null,
  misses: 0,
  lastAnswerAt: null,
  polls: 1,
})
const idle = { poll: null, starting: false, startError: null, noFeeds: false }

describe('indicatorView: the toolbar line of a sync', () => {
  it.each([
    ['nothing followed', idle, { tone: 'idle', text: '', percent: null, failing: 0 }],
    [
      'asked, main not answered yet',
      { ...idle, starting: true },
      { tone: 'running', text: 'Starting sync…' },
    ],
    [
      'following, no status yet',
      { ...idle, poll: poll(null) },
      { tone: 'running', text: 'Syncing…', indeterminate: true },
    ],
    [
      'fetching: feeds done of all',
      {
        ...idle,
        poll: poll(
          status('in_progress', (s) => {
            s.feeds.processed = 18
            s.feeds.total = 37
          }),
        ),
      },
      { tone: 'running', text: 'Syncing 18 of 37', percent: 40, indeterminate: false },
    ],
    [
      'done with new articles',
      {
        ...idle,
        poll: poll(
          status('completed', (s) => (s.articles.new = 12)),
          'done',
        ),
      },
      { tone: 'ok', text: '12 new articles', percent: 100, failing: 0, finished: true },
    ],
    [
      'done, one new',
      {
        ...idle,
        poll: poll(
          status('completed', (s) => (s.articles.new = 1)),
          'done',
        ),
      },
      { text: '1 new article' },
    ],
    [
      'done, nothing new (however many were parsed)',
      {
        ...idle,
        poll: poll(
          status('completed', (s) => {
            s.articles.total = 774
            s.articles.processed = 774
          }),
          'done',
        ),
      },
      { tone: 'ok', text: 'No new articles' },
    ],
    [
      'done, feeds failed now and still failing from before',
      {
        ...idle,
        poll: poll(
          status('completed', (s) => {
            s.articles.new = 3
            s.feeds.failed = 1
            s.feeds.stillFailing = 1
          }),
          'done',
        ),
      },
      { tone: 'warn', text: '3 new articles', failing: 2 },
    ],
    [
      'failed',
      { ...idle, poll: poll({ ...status('failed'), error: 'database unreachable' }, 'done') },
      { tone: 'error', text: 'Sync failed', finished: true },
    ],
    [
      'interrupted',
      { ...idle, poll: poll(status('interrupted'), 'done') },
      { tone: 'error', text: 'Sync interrupted' },
    ],
    ['lost track', { ...idle, poll: poll(null, 'lost') }, { tone: 'error', text: 'Lost track of the sync' }],
    [
      'could not start',
      { ...idle, startError: 'Could not start the sync: timeout' },
      { tone: 'error', text: 'Sync could not start' },
    ],
    ['no feeds', { ...idle, noFeeds: true }, { tone: 'warn', text: 'No feeds to sync' }],
  ])('%s', (_name, sync, expected) => {
    expect(indicatorView(sync)).toMatchObject(expected)
  })
})
