/**
 * The one podcast player of the window, mounted above the reader so it keeps playing while the
 * user reads other articles. The article's episode block and the mini-player both drive it.
 * Positions go to the database (playback:save): every SAVE_EVERY_S of play, on pause, on switching
 * episodes and at the end, so the episode resumes where it was after a restart.
 */
import { useQueryClient, type QueryClient } from '@tanstack/react-query'
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactElement,
  type ReactNode,
} from 'react'
import type { EpisodeState, PlaybackPosition } from '../../../shared/models'
import { call, getApi } from '../lib/api'
import type { ArticleFilter } from '../lib/query-keys'
import { useFeeds } from '../hooks/useFeeds'
import { useFeedIcons } from '../hooks/useFeedIcons'
import { feedLabel } from '../../../shared/feed-label'
import { rememberSpeed, savedSpeed, SAVE_EVERY_S } from './episode-time'
import { setSessionEpisode, setSessionState } from './media-session'

export interface Episode {
  articleId: number
  feedId: number
  title: string
  /** The enclosure's address (already checked by media-url). */
  src: string
  /** The feed's itunes:duration, shown until the file's own length is known. */
  durationHint: number | null
}

export interface Player {
  episode: Episode | null
  playing: boolean
  position: number
  /** The file's length once its metadata loaded, else the feed's. */
  duration: number | null
  rate: number
  /** Plays this episode (from its saved position), or the loaded one. */
  play(episode?: Episode): void
  pause(): void
  seek(seconds: number): void
  skip(seconds: number): void
  setRate(rate: number): void
}

const PlayerContext = createContext<Player | null>(null)

export function usePlayer(): Player {
  const player = useContext(PlayerContext)
  if (!player) throw new Error('usePlayer outside PlayerProvider')
  return player
}

/** The saved position of an episode, cached per article. */
export const playbackKey = (articleId: number) => ['playback', articleId] as const

export function fetchPlayback(articleId: number): Promise<PlaybackPosition | null> {
  return call(() => getApi().playbackGet({ articleId }))
}

function onSaved(client: QueryClient, articleId: number, state: EpisodeState): void {
  const saved: PlaybackPosition = { articleId, ...state, updatedAt: new Date().toISOString() }
  client.setQueryData(playbackKey(articleId), saved)
  // The Podcasts list shows each episode's state.
  void client.invalidateQueries({
    queryKey: ['articles'],
    predicate: (q) => (q.queryKey[1] as ArticleFilter | undefined)?.withAudio === true,
  })
}

export function PlayerProvider({ children }: { children: ReactNode }): ReactElement {
  const client = useQueryClient()
  const audioRef = useRef<HTMLAudioElement>(null)
  const [episode, setEpisode] = useState<Episode | null>(null)
  const [playing, setPlaying] = useState(false)
  const [position, setPosition] = useState(0)
  const [mediaDuration, setMediaDuration] = useState<number | null>(null)
  const [rate, setRateState] = useState(savedSpeed)
  const episodeRef = useRef<Episode | null>(null)
  /**
   * The episode whose file the element holds now. Not episodeRef: while the next episode's saved
   * position is fetched, the element still holds (and its late 'pause' event reports) the last one.
   */
  const loadedRef = useRef<Episode | null>(null)
  const lastSaved = useRef(0)

  const save = useCallback(
    (finished = false): void => {
      const audio = audioRef.current
      const current = loadedRef.current
      if (!audio || !current) return
      const known =
        Number.isFinite(audio.duration) && audio.duration > 0 ? audio.duration : current.durationHint
      const state: EpisodeState = {
        positionS: finished && known ? known : audio.currentTime,
        durationS: known ?? null,
        finished,
      }
      lastSaved.current = audio.currentTime
      void getApi()
        .playbackSave({ articleId: current.articleId, ...state })
        .then((result) => {
          if (result.ok && result.data.saved) onSaved(client, current.articleId, state)
        })
    },
    [client],
  )

  const play = useCallback(
    (next?: Episode): void => {
      const audio = audioRef.current
      if (!audio) return
      const current = episodeRef.current
      if (!next || (current && current.articleId === next.articleId && current.src === next.src)) {
        void audio.play().catch(() => undefined)
        return
      }
      if (loadedRef.current && audio.currentTime > 0) save()
      loadedRef.current = null
      audio.pause()
      episodeRef.current = next
      setEpisode(next)
      setPosition(0)
      setMediaDuration(null)
      void client
        .fetchQuery({ queryKey: playbackKey(next.articleId), queryFn: () => fetchPlayback(next.articleId) })
        .catch(() => null)
        .then((saved) => {
          if (episodeRef.current !== next) return
          const resumeAt = saved && !saved.finished ? saved.positionS : 0
          audio.src = next.src
          loadedRef.current = next
          audio.defaultPlaybackRate = rate
          audio.playbackRate = rate
          // Before its metadata the element keeps the time as where to start.
          audio.currentTime = resumeAt
          setPosition(resumeAt)
          lastSaved.current = resumeAt
          return audio.play()
        })
        .catch(() => undefined)
    },
    [client, rate, save],
  )

  const pause = useCallback(() => audioRef.current?.pause(), [])
  const seek = useCallback((seconds: number) => {
    const audio = audioRef.current
    if (!audio || !episodeRef.current) return
    const end = Number.isFinite(audio.duration) ? audio.duration : Infinity
    audio.currentTime = Math.min(Math.max(0, seconds), end)
    setPosition(audio.currentTime)
  }, [])
  const skip = useCallback((seconds: number) => seek((audioRef.current?.currentTime ?? 0) + seconds), [seek])
  const setRate = useCallback((next: number) => {
    setRateState(next)
    rememberSpeed(next)
    const audio = audioRef.current
    if (audio) {
      audio.defaultPlaybackRate = next
      audio.playbackRate = next
    }
  }, [])

  // The element's own events are the truth about playing, time and length.
  useEffect(() => {
    const audio = audioRef.current
    if (!audio) return
    const onPlay = (): void => setPlaying(true)
    const onPause = (): void => {
      setPlaying(false)
      if (!audio.ended) save()
    }
    const onTime = (): void => {
      setPosition(audio.currentTime)
      if (!audio.paused && Math.abs(audio.currentTime - lastSaved.current) >= SAVE_EVERY_S) save()
    }
    const onMetadata = (): void =>
      setMediaDuration(Number.isFinite(audio.duration) && audio.duration > 0 ? audio.duration : null)
    const onEnded = (): void => {
      setPlaying(false)
      save(true)
    }
    // Closing the window mid-episode: the last few seconds go with it if main still answers.
    const onHide = (): void => {
      if (!audio.paused) save()
    }
    audio.addEventListener('play', onPlay)
    audio.addEventListener('pause', onPause)
    audio.addEventListener('timeupdate', onTime)
    audio.addEventListener('seeked', onTime)
    audio.addEventListener('loadedmetadata', onMetadata)
    audio.addEventListener('durationchange', onMetadata)
    audio.addEventListener('ended', onEnded)
    window.addEventListener('pagehide', onHide)
    return () => {
      audio.removeEventListener('play', onPlay)
      audio.removeEventListener('pause', onPause)
      audio.removeEventListener('timeupdate', onTime)
      audio.removeEventListener('seeked', onTime)
      audio.removeEventListener('loadedmetadata', onMetadata)
      audio.removeEventListener('durationchange', onMetadata)
      audio.removeEventListener('ended', onEnded)
      window.removeEventListener('pagehide', onHide)
    }
  }, [save])

  const duration = mediaDuration ?? episode?.durationHint ?? null

  // System media keys and the "now playing" panel.
  const feeds = useFeeds()
  const icons = useFeedIcons()
  const feed = episode ? feeds.data?.find((f) => f.id === episode.feedId) : undefined
  const feedName = feed ? feedLabel(feed) : ''
  const artwork = episode ? (icons.data?.[episode.feedId] ?? null) : null
  useEffect(() => {
    setSessionEpisode(episode ? { title: episode.title, feedName, artwork } : null, {
      play: () => play(),
      pause,
      skip,
      seek,
    })
  }, [episode, feedName, artwork, play, pause, skip, seek])
  useEffect(() => {
    if (episode) setSessionState(playing, position, duration, rate)
  }, [episode, playing, position, duration, rate])

  const player = useMemo<Player>(
    () => ({ episode, playing, position, duration, rate, play, pause, seek, skip, setRate }),
    [episode, playing, position, duration, rate, play, pause, seek, skip, setRate],
  )
  return (
    <PlayerContext.Provider value={player}>
      {children}
      {/* The one element that plays; the controls are the players' own. */}
      <audio ref={audioRef} preload="metadata" data-testid="player-audio" hidden />
    </PlayerContext.Provider>
  )
}
