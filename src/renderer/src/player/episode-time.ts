/** How the player writes times and an episode's state; plain functions, shared by the players and the Podcasts list. */
import type { EpisodeState } from '../../../shared/models'

/** "4:05", "1:02:03"; "--:--" while the length is unknown. */
export function clock(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '--:--'
  const total = Math.floor(seconds)
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = String(total % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`
}

/** The Podcasts list's word for an episode: never played, partly (what is left), or to the end. */
export function episodeLabel(episode: EpisodeState | null): {
  kind: 'new' | 'partial' | 'played'
  text: string
} {
  if (!episode || (episode.positionS < 1 && !episode.finished)) return { kind: 'new', text: 'New' }
  if (episode.finished) return { kind: 'played', text: 'Played' }
  if (!episode.durationS) return { kind: 'partial', text: `Stopped at ${clock(episode.positionS)}` }
  const left = Math.max(0, episode.durationS - episode.positionS)
  return {
    kind: 'partial',
    text: left < 60 ? `${Math.ceil(left)} s left` : `${Math.ceil(left / 60)} min left`,
  }
}

/** The speeds offered; 1× is the default. */
export const SPEEDS = [0.8, 1, 1.25, 1.5, 1.75, 2] as const
export const SKIP_BACK_S = 15
export const SKIP_FORWARD_S = 30
/** Written while playing at most this often (and on pause, switch and end). */
export const SAVE_EVERY_S = 10

const SPEED_KEY = 'tidings.playbackSpeed'

/** The remembered speed (localStorage: a window preference); 1 when none or not one offered. */
export function savedSpeed(): number {
  try {
    const value = Number(localStorage.getItem(SPEED_KEY))
    return (SPEEDS as readonly number[]).includes(value) ? value : 1
  } catch {
    return 1
  }
}

export function rememberSpeed(speed: number): void {
  try {
    localStorage.setItem(SPEED_KEY, String(speed))
  } catch {
    // Storage disabled: the speed lasts until the window closes.
  }
}
