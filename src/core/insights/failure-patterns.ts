import type { SupabaseClient } from '@supabase/supabase-js'
import { z } from 'zod'
import { feedLabel } from '../../shared/feed-label'
import { FETCH_ERROR_KINDS, type FailurePatterns } from '../../shared/insights'
import { dbQuery } from '../storage/data-access'
import { feedRef, INSIGHTS_TIMEOUT_MS, num } from './reply'

const kind = z.enum(FETCH_ERROR_KINDS)
const reply = z.object({
  failingFeeds: z.array(z.object({ ...feedRef, errorKind: kind, failingSince: z.string(), streak: num })),
  byKind: z.array(z.object({ kind, failures: num, feeds: num })),
  flapping: z.array(z.object({ ...feedRef, transitions: num })),
  byHour: z.array(num).length(24),
  hoursByFeed: z.array(z.object({ ...feedRef, kind, hours: z.array(num).length(24) })),
})

/**
 * Feeds failing now, failures by kind and by hour (in all and per feed), flapping feeds
 * (insights_failures, sql/033 redefined by sql/037).
 */
export async function readFailurePatterns(admin: SupabaseClient, days: number): Promise<FailurePatterns> {
  const r = await dbQuery(
    admin.rpc('insights_failures', { p_days: days }),
    'read the failure patterns',
    reply,
    { timeoutMs: INSIGHTS_TIMEOUT_MS },
  )
  return {
    failingFeeds: r.failingFeeds.map(({ title, url, ...rest }) => ({
      ...rest,
      name: feedLabel({ title, url }),
    })),
    byKind: r.byKind,
    flapping: r.flapping.map(({ title, url, ...rest }) => ({ ...rest, name: feedLabel({ title, url }) })),
    byHour: r.byHour,
    hoursByFeed: r.hoursByFeed.map(({ title, url, ...rest }) => ({
      ...rest,
      name: feedLabel({ title, url }),
    })),
  }
}
