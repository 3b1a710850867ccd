/**
 * Manage feeds: every feed in one table (folder, last article, articles per week, error, account),
 * sortable by any column, with bulk actions on the checked rows: move to a folder, unsubscribe
 * (confirmed, naming the count) and retry the failing ones now.
 */
import { useQuery } from '@tanstack/react-query'
import { useId, useMemo, useState, type ReactElement, type ReactNode } from 'react'
import { plural } from '../../../shared/format'
import type { Account } from '../../../shared/accounts'
import type { Feed } from '../../../shared/models'
import { call, errorMessage, getApi } from '../lib/api'
import { useNow } from '../hooks/useNow'
import {
  FEED_COLUMNS,
  sortFeeds,
  TITLE_COLUMN,
  type FeedColumn,
  type FeedSort,
  type ManagedFeed,
} from '../lib/manage-feeds-columns'
import type { FeedHealthRow } from '../../../shared/insights'
import { Dialog } from './Dialog'
import '../styles/feed-management.css'

interface Props {
  feeds: Feed[]
  accounts: Account[]
  folders: string[]
  onClose(): void
  /** Feeds moved or removed. */
  onChanged(): void
  /** "Retry now" of these feeds (the sync the Sync button shows). */
  onRetry(feedIds: number[]): void
  /** Inside another view (Insights) rather than a dialog of its own. */
  embedded?: boolean
  columns?: readonly FeedColumn[]
  /** Insights' figures per feed id, for its columns and filters. */
  health?: ReadonlyMap<number, FeedHealthRow>
  /** Toggles that show only the matching rows ("Dead (7)"), each with its "Select all dead". */
  quickFilters?: readonly QuickFilter[]
}

export interface QuickFilter {
  id: string
  label: string
  /** "dead": "Select all dead". */
  noun: string
  match(row: ManagedFeed): boolean
}

/** The table as a part of a bigger view: a labelled section where Manage feeds has its dialog. */
function Section({ title, testId, children }: { title: string; testId?: string; children: ReactNode }) {
  return (
    <section aria-label={title} data-testid={testId} className="manage-embedded">
      {children}
    </section>
  )
}

type Busy = 'move' | 'unsubscribe' | null

export function ManageFeedsView({
  feeds,
  accounts,
  folders,
  onClose,
  onChanged,
  onRetry,
  embedded,
  columns = FEED_COLUMNS,
  health,
  quickFilters = [],
}: Props): ReactElement {
  // Under the feeds key: whatever refreshes the feed list refreshes this too.
  const activity = useQuery({
    queryKey: ['feeds', 'activity'],
    queryFn: () => call(() => getApi().feedsActivity()),
  })
  const [sort, setSort] = useState<FeedSort>({ column: 'title', direction: 'ascending' })
  const [checked, setChecked] = useState<ReadonlySet<number>>(new Set())
  const [folder, setFolder] = useState('')
  const [confirming, setConfirming] = useState(false)
  const [busy, setBusy] = useState<Busy>(null)
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null)
  const folderId = useId()
  const now = useNow(60_000)
  const [filterId, setFilterId] = useState<string | null>(null)
  const filter = quickFilters.find((f) => f.id === filterId)

  const all = useMemo(() => {
    const byFeed = new Map((activity.data ?? []).map((a) => [a.feedId, a]))
    const names = new Map(accounts.map((a) => [a.id, a.name]))
    const all: ManagedFeed[] = feeds.map((feed) => ({
      feed,
      ...(byFeed.get(feed.id) ? { activity: byFeed.get(feed.id) } : {}),
      account: feed.accountId === null ? 'This computer' : (names.get(feed.accountId) ?? 'Account'),
      ...(health?.get(feed.id) ? { health: health.get(feed.id) } : {}),
    }))
    return sortFeeds(all, sort, columns)
  }, [feeds, accounts, activity.data, sort, columns, health])
  const rows = filter ? all.filter((row) => filter.match(row)) : all

  // Feeds removed meanwhile drop out of the selection.
  const selected = rows.filter((r) => checked.has(r.feed.id)).map((r) => r.feed)
  const failing = selected.filter((f) => f.lastError)
  const allChecked = rows.length > 0 && selected.length === rows.length

  const toggle = (feedId: number): void =>
    setChecked((was) => {
      const next = new Set(was)
      if (!next.delete(feedId)) next.add(feedId)
      return next
    })
  const sortBy = (column: string): void =>
    setSort((was) => ({
      column,
      direction: was.column === column && was.direction === 'ascending' ? 'descending' : 'ascending',
    }))

  /** One request per feed, all of them even when one fails; says how many did. */
  const each = async (
    kind: Exclude<Busy, null>,
    work: (feed: Feed) => Promise<unknown>,
    done: (count: number) => string,
  ): Promise<void> => {
    setBusy(kind)
    setMessage(null)
    const results = await Promise.allSettled(selected.map((feed) => call(() => work(feed) as never)))
    const failed = results.flatMap((r) => (r.status === 'rejected' ? [errorMessage(r.reason)] : []))
    const ok = results.length - failed.length
    setBusy(null)
    setConfirming(false)
    setMessage(
      failed.length === 0
        ? { text: done(ok), error: false }
        : { text: `${done(ok)} ${plural(failed.length, 'feed')} failed: ${failed[0]}`, error: true },
    )
    if (kind === 'unsubscribe') setChecked(new Set())
    onChanged()
  }

  const move = (): Promise<void> => {
    const target = folder.trim()
    return each(
      'move',
      (feed) => getApi().feedsUpdate({ feedId: feed.id, folder: target === '' ? null : target }),
      (count) => `Moved ${plural(count, 'feed')} to ${target === '' ? 'no folder' : target}.`,
    )
  }
  const unsubscribe = (): Promise<void> =>
    each(
      'unsubscribe',
      (feed) => getApi().feedsRemove({ feedId: feed.id }),
      (count) => `Unsubscribed from ${plural(count, 'feed')}.`,
    )

  const Frame = embedded ? Section : Dialog
  return (
    <Frame title={embedded ? 'Feeds' : 'Manage feeds'} onClose={onClose} testId="manage-feeds" wide>
      {quickFilters.length > 0 && (
        <div className="manage-filters" role="group" aria-label="Show only">
          {quickFilters.map((f) => (
            <button
              key={f.id}
              type="button"
              className="btn btn-small"
              aria-pressed={filterId === f.id}
              onClick={() => setFilterId((was) => (was === f.id ? null : f.id))}
              data-testid={`filter-${f.id}`}
            >
              {f.label} ({all.filter((row) => f.match(row)).length})
            </button>
          ))}
          {filter && rows.length > 0 && (
            <button
              type="button"
              className="btn btn-small"
              onClick={() => setChecked(new Set(rows.map((r) => r.feed.id)))}
              data-testid="select-all-filtered"
            >
              Select all {filter.noun}
            </button>
          )}
        </div>
      )}
      <div className="manage-toolbar" role="group" aria-label="Selected feeds">
        <span className="muted" aria-live="polite" data-testid="manage-selected">
          {selected.length === 0
            ? 'Select feeds to act on them'
            : `${plural(selected.length, 'feed')} selected`}
        </span>
        <label htmlFor={folderId} className="sr-only">
          Move to folder
        </label>
        <input
          id={folderId}
          list={`${folderId}-folders`}
          placeholder="Folder (empty: none)"
          value={folder}
          onChange={(e) => setFolder(e.target.value)}
          className="manage-folder"
          data-testid="manage-folder"
        />
        <datalist id={`${folderId}-folders`}>
          {folders.map((f) => (
            <option key={f} value={f} />
          ))}
        </datalist>
        <button
          type="button"
          className="btn btn-small"
          disabled={selected.length === 0 || busy !== null}
          onClick={() => void move()}
          data-testid="manage-move"
        >
          {busy === 'move' ? 'Moving…' : 'Move'}
        </button>
        <button
          type="button"
          className="btn btn-small"
          disabled={failing.length === 0 || busy !== null}
          onClick={() => {
            onRetry(failing.map((f) => f.id))
            setMessage({ text: `Retrying ${plural(failing.length, 'failing feed')}…`, error: false })
          }}
          data-testid="manage-retry"
        >
          Retry failing
        </button>
        <button
          type="button"
          className="btn btn-small btn-danger"
          disabled={selected.length === 0 || busy !== null}
          onClick={() => setConfirming(true)}
          data-testid="manage-unsubscribe"
        >
          Unsubscribe…
        </button>
      </div>
      {confirming && selected.length > 0 && (
        <div className="manage-confirm" role="alertdialog" aria-label="Confirm unsubscribe">
          <p>
            Unsubscribe from {plural(selected.length, 'feed')}? Their articles are deleted too
            {selected.some((f) => f.accountId !== null)
              ? ', and account feeds are removed on the server'
              : ''}
            .
          </p>
          <button
            type="button"
            className="btn btn-small btn-danger"
            autoFocus
            disabled={busy !== null}
            onClick={() => void unsubscribe()}
            data-testid="manage-unsubscribe-confirm"
          >
            {busy === 'unsubscribe'
              ? 'Unsubscribing…'
              : `Unsubscribe from ${plural(selected.length, 'feed')}`}
          </button>
          <button type="button" className="btn btn-small" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      )}
      <p className={message?.error ? 'field-error' : 'field-ok'} role="status" data-testid="manage-message">
        {message?.text ?? (activity.error ? `Could not load activity: ${errorMessage(activity.error)}` : '')}
      </p>
      <div className="manage-table-wrap">
        <table className="manage-table" data-testid="manage-table">
          <thead>
            <tr>
              <th scope="col" className="manage-check">
                <input
                  type="checkbox"
                  aria-label="Select all feeds"
                  checked={allChecked}
                  onChange={() => setChecked(allChecked ? new Set() : new Set(rows.map((r) => r.feed.id)))}
                />
              </th>
              {columns.map((column) => (
                <th
                  key={column.id}
                  scope="col"
                  className={column.numeric ? 'numeric' : undefined}
                  aria-sort={sort.column === column.id ? sort.direction : 'none'}
                >
                  <button type="button" className="manage-sort" onClick={() => sortBy(column.id)}>
                    {column.label}
                    <span aria-hidden="true">
                      {sort.column === column.id ? (sort.direction === 'ascending' ? ' ▲' : ' ▼') : ''}
                    </span>
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr
                key={row.feed.id}
                data-testid="manage-row"
                className={checked.has(row.feed.id) ? 'selected' : undefined}
              >
                <td className="manage-check">
                  <input
                    type="checkbox"
                    aria-label={`Select ${TITLE_COLUMN.text(row, now)}`}
                    checked={checked.has(row.feed.id)}
                    onChange={() => toggle(row.feed.id)}
                  />
                </td>
                {columns.map((column) => (
                  <td
                    key={column.id}
                    className={`${column.numeric ? 'numeric' : ''} manage-${column.id}`}
                    data-column={column.id}
                  >
                    {column.text(row, now)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length === 0 && (
          <p className="muted">{filter ? `No ${filter.noun} feeds.` : 'No feeds yet.'}</p>
        )}
      </div>
    </Frame>
  )
}
