import { SYNC_PHASES } from '../../shared/sync-phase'
import type { SyncStats } from '../../shared/sync-status'

/**
 * The share of a source's part of the bar each stage owns. Fetching dominates wall time (network),
 * saving is the second cost; loading and finishing are one or two requests each. An account's
 * paging is its fetching; sending marks and reading state are a few requests each.
 */
export const STAGES = {
  loading: { label: SYNC_PHASES.loading, from: 0, to: 5 },
  fetching: { label: SYNC_PHASES.fetching, from: 5, to: 70 },
  'signing-in': { label: SYNC_PHASES['signing-in'], from: 0, to: 2 },
  subscriptions: { label: SYNC_PHASES.subscriptions, from: 2, to: 6 },
  articles: { label: SYNC_PHASES.articles, from: 6, to: 60 },
  sending: { label: SYNC_PHASES.sending, from: 60, to: 65 },
  state: { label: SYNC_PHASES.state, from: 65, to: 70 },
  saving: { label: SYNC_PHASES.saving, from: 70, to: 98 },
  finishing: { label: SYNC_PHASES.finishing, from: 98, to: 100 },
} as const

export type StageName = keyof typeof STAGES

export interface ProgressEvent {
  progress: number
  /** The stage's label, with what it works on now when known ("Fetching feeds: Foo, Bar"). */
  stage: string
  /** The stage itself: the tracker writes on a change of stage, not on every new feed name. */
  phase: StageName
  stats: SyncStats
  /** Articles were just saved (visible now): worth a write and a push of its own. */
  milestone?: boolean
}

export interface ProgressReporter {
  /**
   * Reports `done` of `total` within `stage`; an empty stage (total 0) counts as complete. `text`
   * replaces "<label>: <detail>" when the stage reads better as a sentence ("Sending 15 read marks").
   */
  report(
    stage: StageName,
    done: number,
    total: number,
    detail?: string,
    milestone?: boolean,
    text?: string,
  ): void
  /** The sources of a sync share the bar equally, in turn: the next reports fill part `index` of `count`. */
  enterPart(index: number, count: number): void
}

/** No estimate before this share is done: early rates say little. */
const ETA_FROM_PERCENT = 10

/**
 * Maps (stage, done/total) onto 0-100 and never lets the number go backwards, whatever order
 * callers report in. Progress is floored: 100 is only ever reached by completing the sync.
 */
export function createProgressReporter(
  stats: SyncStats,
  emit: (event: ProgressEvent) => void,
  elapsedMs: () => number,
): ProgressReporter {
  let last = 0
  let part = { index: 0, count: 1 }
  return {
    enterPart(index, count) {
      part = { index, count }
    },
    report(stage, done, total, detail, milestone, text) {
      const { label, from, to } = STAGES[stage]
      const fraction = total > 0 ? Math.min(Math.max(done / total, 0), 1) : 1
      const withinPart = from + (to - from) * fraction
      last = Math.max(last, Math.min(Math.floor((part.index * 100 + withinPart) / part.count), 99))
      if (last >= ETA_FROM_PERCENT) stats.etaSeconds = Math.round((elapsedMs() * (100 - last)) / last / 1000)
      emit({
        progress: last,
        stage: text ?? (detail ? `${label}: ${detail}` : label),
        phase: stage,
        stats: structuredClone(stats),
        ...(milestone ? { milestone } : {}),
      })
    },
  }
}
