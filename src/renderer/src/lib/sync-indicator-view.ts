/** What the toolbar's sync indicator says: one short line, a thin bar, and the failing feeds as a link. */
import { plural } from '../../../shared/format'
import type { PollState } from '../sync/poll-sync'

export interface IndicatorInput {
  poll: PollState | null
  starting: boolean
  startError: string | null
  noFeeds: boolean
}

export interface IndicatorView {
  tone: 'idle' | 'running' | 'ok' | 'warn' | 'error'
  /** "Syncing 18 of 37", "12 new articles", "No new articles", "Sync failed"; '' when idle. */
  text: string
  /** The bar's percent; null: no bar. */
  percent: number | null
  /** Following a sync whose first status has not arrived: the bar moves without a value. */
  indeterminate: boolean
  /** Feeds failed in this sync or still failing from an earlier one (the "2 feeds failing" link). */
  failing: number
  /** The sync has ended (its summary shows, then fades). */
  finished: boolean
}

const IDLE: IndicatorView = {
  tone: 'idle',
  text: '',
  percent: null,
  indeterminate: false,
  failing: 0,
  finished: false,
}

export function indicatorView({ poll, starting, startError, noFeeds }: IndicatorInput): IndicatorView {
  if (noFeeds) return { ...IDLE, tone: 'warn', text: 'No feeds to sync', finished: true }
  if (startError) return { ...IDLE, tone: 'error', text: 'Sync could not start', finished: true }
  if (!poll)
    return starting
      ? { ...IDLE, tone: 'running', text: 'Starting sync…', indeterminate: true, percent: 0 }
      : IDLE
  const status = poll.status
  const percent = Math.round(status?.progress ?? 0)
  if (poll.phase === 'lost')
    return { ...IDLE, tone: 'error', text: 'Lost track of the sync', percent, finished: true }
  if (status?.status === 'failed' || status?.status === 'interrupted')
    return {
      ...IDLE,
      tone: 'error',
      text: status.status === 'failed' ? 'Sync failed' : 'Sync interrupted',
      percent,
      finished: true,
    }
  if (status?.status === 'completed') {
    const { feeds, articles } = status.stats
    const failing = feeds.failed + (feeds.stillFailing ?? 0)
    return {
      tone: failing > 0 || (status.stats.failedSources?.length ?? 0) > 0 ? 'warn' : 'ok',
      text: articles.new > 0 ? plural(articles.new, 'new article') : 'No new articles',
      percent: 100,
      indeterminate: false,
      failing,
      finished: true,
    }
  }
  const { processed, total } = status?.stats.feeds ?? { processed: 0, total: 0 }
  return {
    ...IDLE,
    tone: 'running',
    text: total > 0 ? `Syncing ${processed} of ${total}` : 'Syncing…',
    percent,
    indeterminate: !status,
  }
}
