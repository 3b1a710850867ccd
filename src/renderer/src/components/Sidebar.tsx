import type { ReactElement } from 'react'
import type { Feed } from '../../../shared/models'
import { feedLabel } from '../../../shared/feed-label'
import { sameView, type View } from '../lib/view'
import { AlertIcon, InboxIcon, RssIcon, StarIcon } from './Icons'

interface Props {
  feeds: Feed[] | null
  view: View
  onSelect(view: View): void
  footer?: ReactElement | null
  /** Shown in place of the feed list when it could not be loaded. */
  loadError?: ReactElement | null
}

function Count({ n }: { n: number }): ReactElement | null {
  return n > 0 ? <span className="count">{n > 999 ? '999+' : n}</span> : null
}

export function Sidebar({ feeds, view, onSelect, footer, loadError }: Props): ReactElement {
  const totalUnread = (feeds ?? []).reduce((sum, feed) => sum + feed.unreadCount, 0)
  const folders = new Map<string, Feed[]>()
  for (const feed of feeds ?? []) {
    const key = feed.folder?.trim() ?? ''
    folders.set(key, [...(folders.get(key) ?? []), feed])
  }
  const groups = [...folders.entries()].sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b)))

  const item = (target: View, label: string, icon: ReactElement, count: number, extra?: ReactElement | null, title?: string): ReactElement => {
    const active = sameView(view, target)
    return (
      <li key={target.kind === 'feed' ? `feed-${target.feedId}` : target.kind}>
        <button
          type="button"
          className={`nav-item${active ? ' active' : ''}${count > 0 ? ' has-unread' : ''}`}
          aria-current={active ? 'page' : undefined}
          onClick={() => onSelect(target)}
          title={title ?? label}
        >
          {icon}
          <span className="nav-label">{label}</span>
          {extra}
          <Count n={count} />
        </button>
      </li>
    )
  }

  return (
    <nav className="sidebar" aria-label="Feeds">
      <ul className="nav-list">
        {item({ kind: 'all' }, 'All articles', <InboxIcon />, totalUnread)}
        {item({ kind: 'starred' }, 'Starred', <StarIcon />, 0)}
      </ul>
      <div className="sidebar-heading">Feeds</div>
      <div className="feed-scroll">
        {feeds === null ? (
          (loadError ?? <p className="muted pad">Loading feeds…</p>)
        ) : feeds.length === 0 ? (
          <p className="muted pad">No feeds yet.</p>
        ) : (
          <ul className="nav-list" data-testid="feed-list">
            {groups.map(([folder, list]) => (
              <li key={`folder-${folder}`} className="folder">
                {folder && <div className="folder-name">{folder}</div>}
                <ul className={`nav-list${folder ? ' folder-feeds' : ''}`}>
                  {list
                    .slice()
                    .sort((a, b) => feedLabel(a).localeCompare(feedLabel(b), undefined, { numeric: true, sensitivity: 'base' }))
                    .map((feed) =>
                      item(
                        { kind: 'feed', feedId: feed.id },
                        feedLabel(feed),
                        <RssIcon />,
                        feed.unreadCount,
                        feed.lastError ? (
                          <span className="feed-error" role="img" title={`Last fetch failed: ${feed.lastError}`} aria-label="Feed has errors">
                            <AlertIcon size={12} />
                          </span>
                        ) : null,
                        feed.lastError ? `${feedLabel(feed)} — last fetch failed: ${feed.lastError}` : feed.url,
                      ),
                    )}
                </ul>
              </li>
            ))}
          </ul>
        )}
      </div>
      {footer}
    </nav>
  )
}
