/** Play/pause, −15 s / +30 s, position and speed of one episode: in the article and in the mini-player. */
import { useQuery } from '@tanstack/react-query'
import type { ReactElement } from 'react'
import { clock, SKIP_BACK_S, SKIP_FORWARD_S, SPEEDS } from './episode-time'
import { fetchPlayback, playbackKey, usePlayer, type Episode } from './PlayerProvider'
import '../styles/podcast-player.css'

export function EpisodeControls({ episode, label }: { episode: Episode; label: string }): ReactElement {
  const player = usePlayer()
  const current = player.episode?.articleId === episode.articleId && player.episode.src === episode.src
  // Not the playing one: where it was left (the database) and the feed's length.
  const saved = useQuery({
    queryKey: playbackKey(episode.articleId),
    queryFn: () => fetchPlayback(episode.articleId),
    enabled: !current,
  })
  const resumeAt = saved.data && !saved.data.finished ? saved.data.positionS : 0
  const position = current ? player.position : resumeAt
  const duration = current ? player.duration : (saved.data?.durationS ?? episode.durationHint)
  const playing = current && player.playing
  const max = duration && duration > 0 ? duration : Math.max(position, 1)

  return (
    <div className="episode-controls" role="group" aria-label={label} data-testid="episode-controls">
      <button
        type="button"
        className="btn btn-small episode-play"
        onClick={() => (playing ? player.pause() : player.play(episode))}
        aria-label={playing ? 'Pause' : resumeAt > 0 && !current ? `Resume at ${clock(resumeAt)}` : 'Play'}
        data-testid="episode-play"
      >
        {playing ? 'Pause' : resumeAt > 0 && !current ? 'Resume' : 'Play'}
      </button>
      <button
        type="button"
        className="btn btn-ghost btn-small"
        onClick={() => player.skip(-SKIP_BACK_S)}
        disabled={!current}
        aria-label={`Back ${SKIP_BACK_S} seconds`}
        data-testid="episode-back"
      >
        −{SKIP_BACK_S}
      </button>
      <button
        type="button"
        className="btn btn-ghost btn-small"
        onClick={() => player.skip(SKIP_FORWARD_S)}
        disabled={!current}
        aria-label={`Forward ${SKIP_FORWARD_S} seconds`}
        data-testid="episode-forward"
      >
        +{SKIP_FORWARD_S}
      </button>
      <input
        type="range"
        className="episode-slider"
        min={0}
        max={max}
        step={1}
        value={Math.min(position, max)}
        disabled={!current}
        onChange={(e) => player.seek(Number(e.target.value))}
        aria-label="Position"
        aria-valuetext={`${clock(position)} of ${clock(duration)}`}
        data-testid="episode-slider"
      />
      <span className="episode-time" data-testid="episode-time">
        {clock(position)} / {clock(duration)}
      </span>
      <select
        className="episode-speed"
        aria-label="Playback speed"
        value={player.rate}
        onChange={(e) => player.setRate(Number(e.target.value))}
        data-testid="episode-speed"
      >
        {SPEEDS.map((s) => (
          <option key={s} value={s}>
            {s}×
          </option>
        ))}
      </select>
    </div>
  )
}
