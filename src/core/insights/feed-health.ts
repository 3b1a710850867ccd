import type { SupabaseClient } from '@supabase/supabase-js'
import { z } from 'zod'
import { feedLabel } from '../../shared/feed-label'
import { FEED_HEALTH_WEEKS, type FeedHealth } from '../../shared/insights'
import { dbQuery } from '../storage/data-access'
import { feedRef, INSIGHTS_TIMEOUT_MS, num } from './reply'

const reply = z.array(
  z.object({
    ...feedRef,
    articlesPerWeek: z.array(num).length(FEED_HEALTH_WEEKS),
    lastNewArticleAt: z.string().nullable(),
    medianFetchMs: num.nullable(),
    bytesPerFetch: num.nullable(),
    notModifiedShare: num.nullable(),
    bytesPerNewArticle: num.nullable(),
    dead: z.boolean(),
    heavy: z.boolean(),
  }),
)

/** Per subscription: articles per week, last new article, fetch cost, dead and heavy (sql/033 insights_feed_health). */
export async function readFeedHealth(admin: SupabaseClient, days: number): Promise<FeedHealth> {
  const rows = await dbQuery(
    admin.rpc('insights_feed_health', { p_days: days }),
    'read the feed health',
    reply,
    { timeoutMs: INSIGHTS_TIMEOUT_MS },
  )
  return { feeds: rows.map(({ title, url, ...rest }) => ({ ...rest, name: feedLabel({ title, url }) })) }
}
