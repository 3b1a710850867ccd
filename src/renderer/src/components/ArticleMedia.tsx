/** What an article carries besides its text: podcast/video players and the Media RSS thumbnail. */
import type { ReactElement } from 'react'
import type { ArticleMedia as Media, ArticleSummary, Enclosure } from '../../../shared/models'
import { formatBytes } from '../../../shared/format'
import { mediaUrl, type MediaSource } from '../lib/media-url'
import { EpisodeControls } from '../player/EpisodeControls'

/**
 * One player (or a link, for files a browser cannot play) per enclosure; http(s) sources only, and
 * none on a private host unless the feed is on one (`source`, see media-url).
 */
export function EnclosurePlayers({
  enclosures,
  source,
  article,
  title,
}: {
  enclosures: Enclosure[]
  source: MediaSource
  /** The episode's article: audio plays in the window's one player (it resumes, and plays on elsewhere). */
  article: Pick<ArticleSummary, 'id' | 'feedId'>
  title: string
}): ReactElement | null {
  const playable = enclosures.flatMap((e) => {
    const src = mediaUrl(e.url, source)
    return src ? [{ ...e, src }] : []
  })
  if (playable.length === 0) return null
  return (
    <div className="article-enclosures" data-testid="article-enclosures">
      {playable.map((e) => {
        const kind = mediaKind(e)
        if (kind === 'audio')
          return (
            <figure key={e.src} className="enclosure episode-block" data-testid="enclosure-audio">
              <EpisodeControls
                episode={{
                  articleId: article.id,
                  feedId: article.feedId,
                  title,
                  src: e.src,
                  durationHint: e.duration ?? null,
                }}
                label="Episode player"
              />
              <figcaption>
                <a href={e.src} target="_blank" rel="noopener noreferrer">
                  Download
                </a>
                {describeFile(e)}
              </figcaption>
            </figure>
          )
        return (
          <figure key={e.src} className="enclosure">
            {kind === 'video' && <video controls preload="none" src={e.src} data-testid="enclosure-video" />}
            <figcaption>
              <a href={e.src} target="_blank" rel="noopener noreferrer">
                {kind === 'other' ? 'Download attachment' : 'Download'}
              </a>
              {describeFile(e)}
            </figcaption>
          </figure>
        )
      })}
    </div>
  )
}

/** The thumbnail and description a Media RSS item (a YouTube video) has instead of content. */
export function MediaSummary({
  media,
  title,
  source,
}: {
  media: Media
  title: string
  source: MediaSource
}): ReactElement | null {
  const thumbnail = media.thumbnail ? mediaUrl(media.thumbnail, source) : null
  if (!thumbnail && !media.description) return null
  return (
    <div className="media-summary" data-testid="media-summary">
      {thumbnail && (
        <img
          className="media-thumbnail"
          src={thumbnail}
          alt={title}
          loading="lazy"
          referrerPolicy="no-referrer"
          data-testid="media-thumbnail"
        />
      )}
      {media.description && (
        <p className="media-description" dir="auto">
          {media.description}
        </p>
      )}
    </div>
  )
}

function mediaKind(e: Enclosure & { src: string }): 'audio' | 'video' | 'other' {
  const type = e.type ?? ''
  if (type.startsWith('audio/')) return 'audio'
  if (type.startsWith('video/')) return 'video'
  // Feeds often omit the type or say application/octet-stream: the extension tells.
  const path = new URL(e.src).pathname.toLowerCase()
  if (/\.(mp3|m4a|aac|ogg|oga|opus|wav|flac)$/.test(path)) return 'audio'
  if (/\.(mp4|m4v|webm|mov)$/.test(path)) return 'video'
  return 'other'
}

function describeFile(e: Enclosure): string {
  const parts = [e.type, e.length ? formatBytes(e.length) : null].filter(Boolean)
  return parts.length ? ` (${parts.join(', ')})` : ''
}
