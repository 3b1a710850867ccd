import type { SupabaseClient } from '@supabase/supabase-js'
import { dbCommand, dbQuery } from './data-access'
import {
  FEED_SITE_COLUMNS,
  feedSiteRow,
  ICON_DATA_COLUMNS,
  iconDataRow,
  ICON_STATE_COLUMNS,
  iconStateRow,
  listOf,
} from './rows'
import { iconOrigin, type IconLookup } from '../reader/favicon'

/** What the cache knows about a site, short of the image itself. */
export interface IconState {
  hasIcon: boolean
  /** Why the last look found nothing (the previous icon, if any, is kept). */
  error: string | null
  fetchedAt: string
}

export interface FeedIconsRepo {
  /** Every cached site (without image data: this is read on every sync). */
  states(): Promise<Map<string, IconState>>
  /** Records a look: a found icon replaces the old one; a miss keeps it and says why. */
  save(origin: string, lookup: IconLookup, at: Date): Promise<void>
  /** Drops the sites no feed points to any more. */
  forget(origins: readonly string[]): Promise<void>
  /** Feed id → `data:` URL, for every feed whose site has an icon. */
  dataUrls(): Promise<Record<number, string>>
}

/** Errors are for someone reading the table; a page of them is noise. */
const MAX_ERROR_LENGTH = 1000
/** Origins per delete request: they travel in the query string. */
const FORGET_CHUNK = 50

/** The favicon cache (sql/014), through the service-role client (main process only). */
export function createFeedIconsRepo(admin: SupabaseClient): FeedIconsRepo {
  const icons = () => admin.from('feed_icons')
  return {
    async states() {
      const rows = await dbQuery(
        icons().select(ICON_STATE_COLUMNS),
        'read the icon cache',
        listOf(iconStateRow),
      )
      return new Map(
        rows.map((row) => [
          row.origin,
          { hasIcon: row.content_type !== null, error: row.error, fetchedAt: row.fetched_at },
        ]),
      )
    },

    async save(origin, lookup, at) {
      const fetched_at = at.toISOString()
      // An upsert sets only the columns it names: a miss leaves content_type and data as they were.
      const row: Record<string, string | null> =
        lookup.kind === 'found'
          ? {
              origin,
              content_type: lookup.type,
              data: Buffer.from(lookup.data).toString('base64'),
              error: null,
              fetched_at,
            }
          : { origin, error: lookup.error.slice(0, MAX_ERROR_LENGTH), fetched_at }
      await dbCommand(icons().upsert(row, { onConflict: 'origin', defaultToNull: false }), 'save a site icon')
    },

    async forget(origins) {
      for (let i = 0; i < origins.length; i += FORGET_CHUNK) {
        await dbCommand(
          icons()
            .delete()
            .in('origin', origins.slice(i, i + FORGET_CHUNK)),
          'forget unused site icons',
        )
      }
    },

    async dataUrls() {
      const [feeds, found] = await Promise.all([
        dbQuery(admin.from('feeds').select(FEED_SITE_COLUMNS), 'read subscriptions', listOf(feedSiteRow)),
        dbQuery(
          icons().select(ICON_DATA_COLUMNS).not('data', 'is', null),
          'read site icons',
          listOf(iconDataRow),
        ),
      ])
      const byOrigin = new Map(
        found.map((icon) => [icon.origin, `data:${icon.content_type};base64,${icon.data}`]),
      )
      const urls: Record<number, string> = {}
      for (const feed of feeds) {
        const url = byOrigin.get(iconOrigin(feed) ?? '')
        if (url) urls[feed.id] = url
      }
      return urls
    },
  }
}
