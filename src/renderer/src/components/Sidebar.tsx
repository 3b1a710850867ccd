import { useState, type ReactElement } from 'react'
import type { Account } from '../../../shared/accounts'
import type { Feed } from '../../../shared/models'
import { feedGroups } from '../lib/accounts'
import { feedLabel } from '../../../shared/feed-label'
import { sameView, type View } from '../lib/view'
import { FeedIcon } from './FeedIcon'
import { StarredCount } from './StarredCount'
import {
  AlertIcon,
  CheckAllIcon,
  ChevronDownIcon,
  ChevronRightIcon,
  FolderIcon,
  HeadphonesIcon,
  InboxIcon,
  MoreIcon,
  RssIcon,
  RulesIcon,
  StarIcon,
  TodayIcon,
} from './Icons'

interface Props {
  feeds: Feed[] | null
  /** With at least one, feeds are grouped under "On this computer" and each account's name. */
  accounts?: Account[]
  view: View
  onSelect(view: View): void
  /** Mark every article in a folder read. */
  onMarkFolderRead(folder: string): void
  onEditFeed(feed: Feed): void
  /** Opens the feed's rules (RulesDialog). */
  onFeedRules?(feed: Feed): void
  /** Unread articles of the last 24 hours (the Today entry). */
  todayUnread?: number
  footer?: ReactElement | null
  /** Shown in place of the feed list when it could not be loaded. */
  loadError?: ReactElement | null
}

function Count({ n }: { n: number }): ReactElement | null {
  return n > 0 ? <span className="count">{n > 999 ? '999+' : n}</span> : null
}

const unreadIn = (feeds: readonly Feed[]): number => feeds.reduce((sum, feed) => sum + feed.unreadCount, 0)

/** Feeds by folder ('' = no folder, first), folders and feeds in name order. */
function byFolder(feeds: readonly Feed[]): [string, Feed[]][] {
  const folders = new Map<string, Feed[]>()
  for (const feed of feeds) {
    const key = feed.folder?.trim() ?? ''
    folders.set(key, [...(folders.get(key) ?? []), feed])
  }
  const byName = (a: Feed, b: Feed): number =>
    feedLabel(a).localeCompare(feedLabel(b), undefined, { numeric: true, sensitivity: 'base' })
  return [...folders.entries()]
    .sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b)))
    .map(([folder, list]) => [folder, list.slice().sort(byName)])
}

export function Sidebar({
  feeds,
  accounts = [],
  view,
  onSelect,
  onMarkFolderRead,
  onEditFeed,
  onFeedRules,
  todayUnread = 0,
  footer,
  loadError,
}: Props): ReactElement {
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set())
  /** Collapses or opens a folder (by name) or an account's group (by its key). */
  const toggle = (key: string): void =>
    setCollapsed((current) => {
      const next = new Set(current)
      if (!next.delete(key)) next.add(key)
      return next
    })

  const item = (
    target: View,
    label: string,
    icon: ReactElement,
    count: number,
    extra?: ReactElement | null,
    title?: string,
  ): ReactElement => {
    const active = sameView(view, target)
    return (
      <button
        type="button"
        className={`nav-item${active ? ' active' : ''}${count > 0 ? ' has-unread' : ''}`}
        aria-current={active ? 'page' : undefined}
        onClick={() => onSelect(target)}
        title={title ?? label}
      >
        {icon}
        <span className="nav-label" dir="auto">
          {label}
        </span>
        {extra}
        <Count n={count} />
      </button>
    )
  }

  const feedItem = (feed: Feed): ReactElement => (
    <li key={`feed-${feed.id}`} className="feed-row">
      {item(
        { kind: 'feed', feedId: feed.id },
        feedLabel(feed),
        <FeedIcon feedId={feed.id} fallback={<RssIcon />} />,
        feed.unreadCount,
        feed.lastError ? (
          <span
            className="feed-error"
            role="img"
            title={`Last fetch failed: ${feed.lastError}`}
            aria-label="Feed has errors"
          >
            <AlertIcon size={12} />
          </span>
        ) : null,
        feed.lastError ? `${feedLabel(feed)} — last fetch failed: ${feed.lastError}` : feed.url,
      )}
      <button
        type="button"
        className="icon-btn row-action"
        aria-label={`Edit ${feedLabel(feed)}`}
        title="Rename, move or edit URL"
        onClick={() => onEditFeed(feed)}
      >
        <MoreIcon size={14} />
      </button>
      {onFeedRules && (
        <button
          type="button"
          className="icon-btn row-action"
          aria-label={`Rules for ${feedLabel(feed)}`}
          title="Rules: mark read, star or hide articles"
          onClick={() => onFeedRules(feed)}
        >
          <RulesIcon size={14} />
        </button>
      )}
    </li>
  )

  /** Feeds by folder, as the sidebar always showed them; `scope` keeps each group's folders apart. */
  const folderItems = (list: readonly Feed[], scope: string): ReactElement[] =>
    byFolder(list).flatMap(([folder, inFolder]) => {
      if (!folder) return inFolder.map(feedItem)
      const open = !collapsed.has(`${scope}${folder}`)
      const unread = unreadIn(inFolder)
      return [
        <li key={`folder-${folder}`} className="folder" data-testid="folder">
          <div className="folder-row">
            {/* The chevron shows or hides the feeds; the name opens the folder as a view. */}
            <button
              type="button"
              className="icon-btn folder-toggle"
              aria-expanded={open}
              aria-label={`Feeds in ${folder}`}
              title={open ? 'Collapse' : 'Expand'}
              onClick={() => toggle(`${scope}${folder}`)}
            >
              {open ? <ChevronDownIcon size={12} /> : <ChevronRightIcon size={12} />}
            </button>
            {item({ kind: 'folder', folder }, folder, <FolderIcon />, unread)}
            <button
              type="button"
              className="icon-btn row-action"
              aria-label={`Mark all in ${folder} read`}
              title="Mark folder read"
              disabled={unread === 0}
              onClick={() => onMarkFolderRead(folder)}
            >
              <CheckAllIcon size={14} />
            </button>
          </div>
          {open && <ul className="nav-list folder-feeds">{inFolder.map(feedItem)}</ul>}
        </li>,
      ]
    })

  const groups = feeds ? feedGroups(feeds, accounts) : null

  return (
    <nav className="sidebar" aria-label="Feeds">
      <ul className="nav-list">
        <li>{item({ kind: 'all' }, 'All articles', <InboxIcon />, unreadIn(feeds ?? []))}</li>
        <li>
          {item(
            { kind: 'today' },
            'Today',
            <TodayIcon />,
            todayUnread,
            null,
            'Articles of the last 24 hours',
          )}
        </li>
        <li>{item({ kind: 'starred' }, 'Starred', <StarIcon />, 0, <StarredCount />)}</li>
        <li>{item({ kind: 'podcasts' }, 'Podcasts', <HeadphonesIcon />, 0)}</li>
      </ul>
      <div className="sidebar-heading">Feeds</div>
      <div className="feed-scroll">
        {feeds === null ? (
          (loadError ?? <p className="muted pad">Loading feeds…</p>)
        ) : groups ? (
          <ul className="nav-list" data-testid="feed-list">
            {groups.map((group) => {
              const open = !collapsed.has(group.key)
              return (
                <li key={group.key} className="feed-group" data-testid="feed-group">
                  <h3 className="feed-group-heading">
                    <button
                      type="button"
                      className="feed-group-toggle"
                      aria-expanded={open}
                      onClick={() => toggle(group.key)}
                      title={open ? 'Collapse' : 'Expand'}
                    >
                      {open ? <ChevronDownIcon size={12} /> : <ChevronRightIcon size={12} />}
                      <span className="nav-label" dir="auto">
                        {group.name}
                      </span>
                      <Count n={unreadIn(group.feeds)} />
                    </button>
                  </h3>
                  {open &&
                    (group.feeds.length === 0 ? (
                      <p className="muted small pad">No feeds yet.</p>
                    ) : (
                      <ul className="nav-list" aria-label={group.name}>
                        {folderItems(group.feeds, `${group.key}/`)}
                      </ul>
                    ))}
                </li>
              )
            })}
          </ul>
        ) : feeds.length === 0 ? (
          <p className="muted pad">No feeds yet.</p>
        ) : (
          <ul className="nav-list" data-testid="feed-list">
            {folderItems(feeds, '')}
          </ul>
        )}
      </div>
      {footer}
    </nav>
  )
}
