import type { SupabaseClient } from '@supabase/supabase-js'
import { z } from 'zod'
import type { EpisodeState, PlaybackPosition } from '../../shared/models'
import { dbQuery, DbError } from './data-access'
import { listOf } from './rows'

/** `article_playback` (sql/027): where the listener is in an episode. */
const playbackRow = z.object({
  article_id: z.number().int(),
  position_s: z.number(),
  duration_s: z.number().nullable(),
  finished: z.boolean(),
  updated_at: z.string(),
})
const PLAYBACK_COLUMNS = Object.keys(playbackRow.shape).join(',')

/** Postgres: the article the row names does not exist (any more). */
const FOREIGN_KEY_VIOLATION = '23503'

export interface PlaybackRepo {
  get(articleId: number): Promise<PlaybackPosition | null>
  /** Replaces the episode's position; false when the article no longer exists. */
  save(articleId: number, state: EpisodeState): Promise<boolean>
}

export function createPlaybackRepo(client: SupabaseClient): PlaybackRepo {
  return {
    async get(articleId) {
      const row = await dbQuery(
        client.from('article_playback').select(PLAYBACK_COLUMNS).eq('article_id', articleId),
        'read the episode position',
        playbackRow.nullable(),
        { one: 'maybe' },
      )
      return row
        ? {
            articleId: row.article_id,
            positionS: row.position_s,
            durationS: row.duration_s,
            finished: row.finished,
            updatedAt: new Date(row.updated_at).toISOString(),
          }
        : null
    },

    async save(articleId, state) {
      try {
        await dbQuery(
          client
            .from('article_playback')
            .upsert(
              {
                article_id: articleId,
                position_s: state.positionS,
                duration_s: state.durationS,
                finished: state.finished,
                updated_at: new Date().toISOString(),
              },
              { onConflict: 'article_id' },
            )
            .select('article_id'),
          'save the episode position',
          listOf(z.object({ article_id: z.number().int() })),
        )
        return true
      } catch (error) {
        // The article was purged or unsubscribed while it played: nothing left to resume.
        if (error instanceof DbError && error.code === FOREIGN_KEY_VIOLATION) return false
        throw error
      }
    },
  }
}
