import type { ReactElement } from 'react'
import { useFeedIcons } from '../hooks/useFeedIcons'

/**
 * What main sends is a data: URL of a raster type it recognised from the bytes (sql/014); checked
 * again here so nothing else (a remote address, an SVG) can ever end up in an <img> of the chrome.
 */
const ICON_URL = /^data:image\/(png|x-icon|gif|jpeg|webp);base64,[A-Za-z0-9+/]+={0,2}$/

interface Props {
  feedId: number
  size?: number
  /** Shown while there is no icon for the feed's site (none found, or not looked up yet). */
  fallback?: ReactElement | null
}

/** A feed's site icon: decorative (the feed's name is always next to it), so alt="". */
export function FeedIcon({ feedId, size = 16, fallback = null }: Props): ReactElement | null {
  const src = useFeedIcons().data?.[feedId]
  if (!src || !ICON_URL.test(src)) return fallback
  return <img className="feed-icon" src={src} alt="" width={size} height={size} data-testid="feed-icon" />
}
