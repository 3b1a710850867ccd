import type { SyncStats } from './sync-status'

/**
 * A sync's stages, by the short code the anon key reads (`sync_status.phase`) and the label that
 * starts the stage text ("Fetching feeds: Foo, Bar", "Signing in to FreshRSS", "Sending 15 read
 * marks"). sql/020 derives the code from the label's start: a label changed here must change there too.
 */
export const SYNC_PHASES = {
  starting: 'Starting',
  loading: 'Loading subscriptions',
  fetching: 'Fetching feeds',
  // An account's sync (sources/greader): its own stages, in this order.
  'signing-in': 'Signing in',
  subscriptions: 'Fetching subscriptions',
  articles: 'Fetching articles',
  sending: 'Sending',
  state: 'Fetching read and starred state',
  saving: 'Saving articles',
  finishing: 'Finishing',
  completed: 'Completed',
} as const

export type SyncPhase = keyof typeof SYNC_PHASES

const isPhase = (value: string): value is SyncPhase => Object.hasOwn(SYNC_PHASES, value)

/**
 * The stage in words from numbers alone, for the direct read that may not see feed names:
 * "Fetching feeds · 12 of 40", "Saving articles · 150 of 300", "Finishing"; '' when unknown.
 */
export function stageFromPhase(phase: string | null, stats: SyncStats): string {
  if (phase === null || !isPhase(phase)) return ''
  const label = SYNC_PHASES[phase]
  const counts =
    phase === 'fetching' ? stats.feeds : phase === 'saving' || phase === 'articles' ? stats.articles : null
  return counts && counts.total > 0 ? `${label} · ${counts.processed} of ${counts.total}` : label
}
