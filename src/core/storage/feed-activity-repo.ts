import type { SupabaseClient } from '@supabase/supabase-js'
import { z } from 'zod'
import type { FeedActivity } from '../../shared/models'
import { dbQuery } from './data-access'
import { listOf } from './rows'

const activityRow = z.object({
  feed_id: z.number(),
  articles_per_week: z.coerce.number(),
  last_article_at: z.string().nullable(),
})

/** How active every feed is (sql/030), for the Manage feeds table. */
export async function feedActivity(admin: SupabaseClient, weeks = 12): Promise<FeedActivity[]> {
  const rows = await dbQuery(
    admin.rpc('feed_activity', { p_weeks: weeks }),
    "read the feeds' activity",
    listOf(activityRow),
  )
  return rows.map((r) => ({
    feedId: r.feed_id,
    articlesPerWeek: r.articles_per_week,
    lastArticleAt: r.last_article_at === null ? null : new Date(r.last_article_at).toISOString(),
  }))
}
