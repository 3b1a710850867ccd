import { hostname } from 'node:os'
import type { SupabaseClient } from '@supabase/supabase-js'
import type { Insights } from '../../shared/insights'
import { readFailurePatterns } from './failure-patterns'
import { readFeedHealth } from './feed-health'
import { readResourceUse } from './resource-use'
import { readSyncTrends } from './sync-trends'

export interface InsightsQuery {
  days: number
  /** The reader's host name: syncs other hosts recorded show as 'another-device'. Default: this machine's. */
  device?: string
  now?: () => Date
}

/** Every figure of Insights and `tidings stats`, read side by side (four requests, one per figure group). */
export async function readInsights(admin: SupabaseClient, query: InsightsQuery): Promise<Insights> {
  const { days } = query
  const device = query.device ?? hostname()
  const [trends, failures, feedHealth, resources] = await Promise.all([
    readSyncTrends(admin, days, device),
    readFailurePatterns(admin, days),
    readFeedHealth(admin, days),
    readResourceUse(admin, days, device),
  ])
  const { syncs, medianMs, ...rest } = trends
  return {
    days,
    generatedAt: (query.now?.() ?? new Date()).toISOString(),
    summary: {
      days,
      syncs,
      medianMs,
      failingFeeds: failures.failingFeeds.length,
      deadFeeds: feedHealth.feeds.filter((feed) => feed.dead).length,
    },
    trends: rest,
    failures,
    feedHealth,
    resources,
  }
}
