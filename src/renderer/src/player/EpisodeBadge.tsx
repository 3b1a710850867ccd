/** An episode's state in the Podcasts list: new, what is left, or played. */
import type { ReactElement } from 'react'
import type { EpisodeState } from '../../../shared/models'
import { episodeLabel } from './episode-time'
import '../styles/podcast-player.css'

export function EpisodeBadge({ episode }: { episode: EpisodeState | null }): ReactElement {
  const { kind, text } = episodeLabel(episode)
  return (
    <span className={`episode-badge ${kind}`} data-testid="episode-badge" data-state={kind}>
      {text}
    </span>
  )
}
