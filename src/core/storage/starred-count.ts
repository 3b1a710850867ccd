import type { SupabaseClient } from '@supabase/supabase-js'
import { dbCount } from './data-access'

/** How many articles are starred: an index-only count over sql/031's partial index of the starred. */
export function countStarred(admin: SupabaseClient): Promise<number> {
  return dbCount(
    admin.from('article_state').select('article_id', { count: 'exact', head: true }).eq('is_starred', true),
    'count the starred articles',
  )
}
