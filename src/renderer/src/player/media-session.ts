/** The system's media keys and "now playing" panel (Media Session API), where the platform has it. */

export interface SessionEpisode {
  title: string
  feedName: string
  /** The feed's icon (a data: URL), if it has one. */
  artwork: string | null
}

export interface SessionActions {
  play(): void
  pause(): void
  skip(seconds: number): void
  seek(seconds: number): void
}

export function setSessionEpisode(episode: SessionEpisode | null, actions: SessionActions): void {
  const session = typeof navigator !== 'undefined' ? navigator.mediaSession : undefined
  if (!session) return
  if (!episode) {
    session.metadata = null
    for (const action of ['play', 'pause', 'seekbackward', 'seekforward', 'seekto'] as const)
      handle(session, action, null)
    return
  }
  session.metadata = new MediaMetadata({
    title: episode.title,
    artist: episode.feedName,
    album: episode.feedName,
    artwork: episode.artwork ? [{ src: episode.artwork }] : [],
  })
  handle(session, 'play', () => actions.play())
  handle(session, 'pause', () => actions.pause())
  handle(session, 'seekbackward', (d) => actions.skip(-(d.seekOffset ?? 15)))
  handle(session, 'seekforward', (d) => actions.skip(d.seekOffset ?? 30))
  handle(session, 'seekto', (d) => {
    if (d.seekTime !== undefined) actions.seek(d.seekTime)
  })
}

export function setSessionState(
  playing: boolean,
  position: number,
  duration: number | null,
  rate: number,
): void {
  const session = typeof navigator !== 'undefined' ? navigator.mediaSession : undefined
  if (!session) return
  session.playbackState = playing ? 'playing' : 'paused'
  if (duration && Number.isFinite(duration) && position <= duration) {
    try {
      session.setPositionState({ duration, position, playbackRate: rate })
    } catch {
      // A platform that rejects the numbers (a stream's length): the panel shows no position.
    }
  }
}

function handle(
  session: MediaSession,
  action: MediaSessionAction,
  handler: MediaSessionActionHandler | null,
): void {
  try {
    session.setActionHandler(action, handler)
  } catch {
    // An action this platform does not support.
  }
}
