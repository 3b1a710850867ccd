/** The bar at the bottom of the window while an episode is loaded: it plays on whatever the user reads. */
import type { ReactElement } from 'react'
import { useFeeds } from '../hooks/useFeeds'
import { feedLabel } from '../../../shared/feed-label'
import { EpisodeControls } from './EpisodeControls'
import { usePlayer } from './PlayerProvider'

export function MiniPlayer(): ReactElement | null {
  const { episode } = usePlayer()
  const feeds = useFeeds()
  if (!episode) return null
  const feed = feeds.data?.find((f) => f.id === episode.feedId)
  return (
    <section className="mini-player" aria-label="Now playing" data-testid="mini-player">
      <div className="mini-player-title">
        <span className="mini-player-episode" dir="auto" title={episode.title}>
          {episode.title}
        </span>
        {feed && (
          <span className="mini-player-feed muted" dir="auto">
            {feedLabel(feed)}
          </span>
        )}
      </div>
      <EpisodeControls episode={episode} label="Now playing controls" />
    </section>
  )
}
