/**
 * "Added Daring Fireball — fetching…", then "12 new articles" (or the feed's error): stays in view
 * from the add until the first articles arrive or the fetch fails, whatever the rest of the window
 * does meanwhile (the welcome card goes as soon as there is a feed), until the user closes it.
 */
import type { ReactElement } from 'react'
import { plural } from '../../../shared/format'
import type { FirstFetch } from '../../../shared/models'
import { useSyncEnd } from '../hooks/useSyncEnd'
import { CloseIcon } from './Icons'
import '../styles/feed-management.css'

export interface AddedFeeds {
  /** "Added Daring Fireball", "Imported 36 feeds". */
  headline: string
  /** The feeds added (none listed: every feed of the sync, as for an import). */
  feedIds: number[]
  fetch: FirstFetch | undefined
  /** Tells one add from the next, so a second add restarts the notice. */
  nonce: number
}

export function AddedNotice({ added, onDismiss }: { added: AddedFeeds; onDismiss(): void }): ReactElement {
  const syncId = added.fetch && 'syncId' in added.fetch ? added.fetch.syncId : null
  const ended = useSyncEnd(syncId)
  let detail: string
  let tone: 'busy' | 'ok' | 'error' = 'busy'
  if (!added.fetch) {
    detail = 'nothing new to fetch.'
    tone = 'ok'
  } else if ('error' in added.fetch) {
    detail = `fetching could not start: ${added.fetch.error}`
    tone = 'error'
  } else if (!ended) {
    detail = 'fetching…'
  } else {
    const ours = new Set(added.feedIds)
    const failed = (ended.stats.failedFeeds ?? []).filter((f) => ours.size === 0 || ours.has(f.feedId))
    const [first] = failed
    const articles = plural(ended.stats.articles.new, 'new article')
    if (ended.status !== 'completed' && !first) {
      detail = `fetching stopped: ${ended.error ?? ended.status}`
      tone = 'error'
    } else if (!first) {
      detail = articles
      tone = 'ok'
    } else if (added.feedIds.length === 1) {
      detail = `fetching it failed: ${first.error}`
      tone = 'error'
    } else {
      detail = `${articles}; ${plural(failed.length, 'feed')} failed (${first.name}: ${first.error})`
      tone = 'error'
    }
  }
  return (
    <div className={`added-notice added-${tone}`} role="status" data-testid="added-notice">
      {tone === 'busy' && <span className="spinner" aria-hidden="true" />}
      <p>
        <strong>{added.headline}</strong> — {detail}
      </p>
      <button type="button" className="icon-btn" aria-label="Close" onClick={onDismiss}>
        <CloseIcon />
      </button>
    </div>
  )
}
