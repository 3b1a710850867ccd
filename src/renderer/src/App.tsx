/** The reader's frame: title bar, sync panel, sidebar, the current view, and the dialogs. */
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState, type ReactElement } from 'react'
import type { AddedFeed, Feed, ImportResult } from '../../shared/models'
import type { MenuCommand } from '../../shared/menu-commands'
import { feedLabel } from '../../shared/feed-label'
import { plural } from '../../shared/format'
import { AddedNotice, type AddedFeeds } from './components/AddedNotice'
import { AddFeedDialog } from './components/AddFeedDialog'
import { downloadOpml } from './components/AddFeedForm'
import { useAppCommands } from './hooks/useAppCommands'
import { ErrorBanner, type BannerError } from './components/ErrorBanner'
import { PaneResizers } from './components/PaneResizers'
import { FeedEditDialog } from './components/FeedEditDialog'
import { FeedFailure } from './components/FeedFailure'
import { Dialog } from './components/Dialog'
import { RetryableError } from './components/RetryableError'
import { ShortcutsDialog } from './components/ShortcutsDialog'
import { Sidebar } from './components/Sidebar'
import { SyncIndicator } from './components/SyncIndicator'
import { TopBar } from './components/TopBar'
import { UndoToast } from './components/UndoToast'
import { useAccounts } from './hooks/useAccounts'
import { useFeeds } from './hooks/useFeeds'
import { useFollowRunningSync } from './hooks/useFollowRunningSync'
import { useHealth } from './hooks/useHealth'
import { useMarkAllRead } from './hooks/useMarkAllRead'
import { useOpenViewRequests } from './hooks/useOpenViewRequests'
import { togglePane, usePaneLayout, usePaneShortcuts } from './hooks/usePaneLayout'
import { usePushInvalidation } from './hooks/usePushInvalidation'
import { useShortcuts } from './hooks/useShortcuts'
import { useSync } from './hooks/useSync'
import { useUnsubscribe } from './hooks/useUnsubscribe'
import { call, errorMessage, getApi } from './lib/api'
import { invalidate, queryKeys, type StaleReason } from './lib/query-keys'
import {
  FIRST_SCREEN,
  markAllScope,
  sameView,
  viewExists,
  viewKey,
  viewTitle,
  type ArticleSort,
  type View,
} from './lib/view'
import { layoutClass, layoutStyle } from './lib/pane-layout'
import { isScoped, scopeName, scopeOf, searchTitle } from './lib/search-view'
import { cachePublicConfig } from './sync/direct-read'
import { ReaderView } from './views/ReaderView'
import { RulesDialog } from './components/RulesDialog'
import { useTodayUnread } from './hooks/useTodayUnread'
import { olderThan } from './lib/today'
import { OLDER_THAN } from './components/MarkOlderMenu'
import { SearchView } from './views/SearchView'
import { WelcomeView } from './views/WelcomeView'
import { MiniPlayer } from './player/MiniPlayer'

// Not needed for the first article list: fetched (through app://) when first opened.
const SettingsDialog = lazy(() =>
  import('./components/SettingsDialog').then((m) => ({ default: m.SettingsDialog })),
)
const ManageFeedsView = lazy(() =>
  import('./components/ManageFeedsView').then((m) => ({ default: m.ManageFeedsView })),
)
const InsightsView = lazy(() =>
  import('./components/InsightsView').then((m) => ({ default: m.InsightsView })),
)
const HealthPanel = lazy(() => import('./components/HealthPanel').then((m) => ({ default: m.HealthPanel })))

/** The drawer's frame while its code loads, so the layout does not move when it arrives. */
const DRAWER_FALLBACK = (
  <aside className="drawer" aria-label="Sync health" aria-busy="true">
    <header className="drawer-header">
      <h2>Sync health</h2>
    </header>
  </aside>
)

export function App(): ReactElement {
  const client = useQueryClient()
  const [chosenView, setView] = useState<View>(FIRST_SCREEN.view)
  const [unreadOnly, setUnreadOnly] = useState(FIRST_SCREEN.unreadOnly)
  const [sort, setSort] = useState<ArticleSort>(FIRST_SCREEN.sort)
  /** The view a search started from: Escape goes back to it, and its feed or folder is the search's scope. */
  const [searchFrom, setSearchFrom] = useState<View>(FIRST_SCREEN.view)
  const [searchScoped, setSearchScoped] = useState(false)
  /** Enter in the search field, for this query: its first result opens. */
  const [submitted, setSubmitted] = useState<{ query: string; n: number } | null>(null)
  const [editing, setEditing] = useState<Feed | null>(null)
  /** The Rules dialog, for one feed or (null) every feed. */
  const [rulesFor, setRulesFor] = useState<{ feedId: number | null } | null>(null)
  const todayUnread = useTodayUnread()
  const searchRef = useRef<HTMLInputElement>(null)
  const [banner, setBanner] = useState<BannerError | null>(null)
  const [dialog, setDialog] = useState<'settings' | 'help' | 'add' | 'import' | 'manage' | 'insights' | null>(
    null,
  )
  /** What was just added and the sync fetching it: shown until its articles arrive (AddedNotice). */
  const [added, setAdded] = useState<AddedFeeds | null>(null)
  const [healthOpen, setHealthOpen] = useState(false)
  const feeds = useFeeds()
  const accounts = useAccounts()
  // A removed feed, or a folder its last feed moved out of, leaves nothing to show: All articles.
  const view = useMemo<View>(
    () => (feeds.data && !viewExists(chosenView, feeds.data) ? { kind: 'all' } : chosenView),
    [feeds.data, chosenView],
  )
  const health = useHealth()

  // The direct sync_status fallback needs the database address even after main has gone away.
  const publicConfig = useQuery({
    queryKey: queryKeys.publicConfig,
    queryFn: () => call(() => getApi().configPublic()),
  })
  useEffect(() => {
    if (publicConfig.data) cachePublicConfig(publicConfig.data)
  }, [publicConfig.data])

  const showError = useCallback((message: string, retry?: () => void) => setBanner({ message, retry }), [])
  const stale = useCallback((reason: StaleReason) => void invalidate(client, reason), [client])

  const onSyncFinished = useCallback(() => stale('syncFinished'), [stale])
  const sync = useSync(onSyncFinished)
  usePushInvalidation(sync.pushed)
  useFollowRunningSync(health.health, sync)

  const markAllRead = useMarkAllRead(showError)
  const feedsChanged = useCallback((): void => stale('feedsChanged'), [stale])
  const unsubscribe = useUnsubscribe(feedsChanged, showError)
  const { start: startSync } = sync
  // A new account's feeds and articles come with a sync, started at once as the Sync button would.
  const accountAdded = useCallback((): void => {
    stale('accountsChanged')
    startSync('incremental')
  }, [stale, startSync])
  const accountRemoved = useCallback((): void => stale('accountsChanged'), [stale])

  // An add or import fetches at once: the sync panel follows that sync like any other.
  const { attach } = sync
  const feedsAdded = useCallback(
    (headline: string, feedIds: number[], fetch: AddedFeeds['fetch']): void => {
      feedsChanged()
      setAdded((last) => ({ headline, feedIds, fetch, nonce: (last?.nonce ?? 0) + 1 }))
      if (fetch && 'syncId' in fetch) attach(fetch.syncId, 'incremental', 'this-app')
    },
    [feedsChanged, attach],
  )
  const feedAdded = useCallback(
    (feed: AddedFeed): void => {
      if (feed.alreadySubscribed) return feedsChanged()
      feedsAdded(`Added ${feedLabel(feed)}`, [feed.id], feed.fetch)
    },
    [feedsAdded, feedsChanged],
  )
  const feedsImported = useCallback(
    (result: ImportResult): void => {
      if (result.added === 0) return feedsChanged()
      // The import's own answer has no ids; the notice names the sync's failed feeds by its stats.
      feedsAdded(`Imported ${plural(result.added, 'feed')}`, [], result.fetch)
    },
    [feedsAdded, feedsChanged],
  )
  const exportOpml = useCallback(
    function exportNow(): void {
      void downloadOpml().catch((error: unknown) =>
        showError(`Export failed: ${errorMessage(error)}`, exportNow),
      )
    },
    [showError],
  )
  const runCommand = useCallback(
    (command: MenuCommand): void => {
      if (command === 'add-feed') setDialog('add')
      else if (command === 'import-opml') setDialog('import')
      else if (command === 'manage-feeds') setDialog('manage')
      else if (command === 'insights') setDialog('insights')
      else if (command === 'settings') setDialog('settings')
      else if (command === 'sync') startSync('incremental')
      else exportOpml()
    },
    [startSync, exportOpml],
  )
  useAppCommands(runCommand)

  useShortcuts(
    {
      sync: (event) => sync.start(event.shiftKey ? 'full' : 'incremental'),
      help: () => setDialog('help'),
      search: () => searchRef.current?.focus(),
      toggleSidebar: () => togglePane('sidebar'),
      toggleList: () => togglePane('list'),
    },
    dialog === null && editing === null && rulesFor === null,
  )
  const layout = usePaneLayout()
  const mainRef = useRef<HTMLDivElement>(null)
  usePaneShortcuts(dialog === null && editing === null)
  useEffect(() => {
    if (!healthOpen) return
    const onKey = (event: KeyboardEvent): void => {
      if (event.key === 'Escape' && !event.defaultPrevented && dialog === null) setHealthOpen(false)
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [healthOpen, dialog])

  const feedsById = useMemo(() => new Map((feeds.data ?? []).map((f) => [f.id, f])), [feeds.data])
  const changeView = useCallback((next: View) => {
    setView((current) => (sameView(current, next) ? current : next))
  }, [])
  const searchOrigin = view.kind === 'search' ? searchFrom : view
  const originScope = scopeOf(searchOrigin)
  const search = (query: string): void => {
    if (view.kind !== 'search') setSearchFrom(view)
    changeView({ kind: 'search', query, scope: searchScoped ? originScope : {} })
  }
  const exitSearch = (): void => {
    if (view.kind === 'search') changeView(searchFrom)
  }
  const scopeSearch = (scoped: boolean): void => {
    setSearchScoped(scoped)
    if (view.kind === 'search') changeView({ ...view, scope: scoped ? originScope : {} })
  }
  const folders = useMemo(
    () =>
      [...new Set((feeds.data ?? []).map((f) => f.folder?.trim()).filter((f): f is string => !!f))].sort(),
    [feeds.data],
  )
  const selectFeed = useCallback((feedId: number) => changeView({ kind: 'feed', feedId }), [changeView])
  // A notification's articles, the tray's failing feeds, or a refresh after the tray's Mark all read.
  useOpenViewRequests((target) => {
    if (target.kind === 'refresh') return stale('manyMarked')
    if (target.kind === 'failing-feeds') return setHealthOpen(true)
    stale('syncFinished')
    if (target.kind === 'feed') return selectFeed(target.feedId)
    setUnreadOnly(true)
    changeView({ kind: 'all' })
  })
  const listTitle = viewTitle(view, feedsById)
  const viewedFeed = view.kind === 'feed' ? feedsById.get(view.feedId) : undefined
  const scope = markAllScope(view)

  return (
    <div className={`app${healthOpen ? ' with-drawer' : ''}`}>
      <TopBar
        health={health}
        syncRunning={sync.running}
        onSync={sync.start}
        healthOpen={healthOpen}
        onToggleHealth={() => setHealthOpen((open) => !open)}
        onHelp={() => setDialog('help')}
        onSettings={() => setDialog('settings')}
        searchRef={searchRef}
        onCommand={runCommand}
        syncIndicator={
          <SyncIndicator
            sync={sync}
            onSelectFeed={selectFeed}
            onAddFeeds={() => setDialog('add')}
            onShowFailing={() => setHealthOpen(true)}
          />
        }
        search={{
          active: view.kind === 'search',
          scopeName: isScoped(originScope) ? scopeName(originScope, feedsById) : null,
          scoped: searchScoped,
          onScoped: scopeSearch,
          onSearch: search,
          onSubmit: (query) => setSubmitted((last) => ({ query, n: (last?.n ?? 0) + 1 })),
          onExit: exitSearch,
        }}
      />
      <ErrorBanner error={banner} onDismiss={() => setBanner(null)} />
      {added && <AddedNotice key={added.nonce} added={added} onDismiss={() => setAdded(null)} />}

      <div className={`main ${layoutClass(layout)}`} style={layoutStyle(layout)} ref={mainRef}>
        <PaneResizers main={mainRef} layout={layout} />
        <Sidebar
          feeds={feeds.data ?? null}
          accounts={accounts.data}
          loadError={
            feeds.error && (
              <RetryableError
                message={`Could not load feeds: ${errorMessage(feeds.error)}`}
                onRetry={() => void feeds.refetch()}
                testId="feeds-error"
              />
            )
          }
          view={view}
          onSelect={changeView}
          onMarkFolderRead={(folder) => markAllRead.markAll({ folder }, folder)}
          onEditFeed={setEditing}
          onFeedRules={(feed) => setRulesFor({ feedId: feed.id })}
          todayUnread={todayUnread}
          footer={
            <div className="sidebar-footer">
              <button
                type="button"
                className="btn btn-ghost btn-small"
                aria-label="Add feed"
                title="Add feed (Ctrl+N)"
                onClick={() => setDialog('add')}
                data-testid="sidebar-add-feed"
              >
                +
              </button>
              <button
                type="button"
                className="btn btn-ghost btn-small"
                onClick={() => setDialog('manage')}
                data-testid="sidebar-manage-feeds"
              >
                Manage feeds
              </button>
              <button
                type="button"
                className="btn btn-ghost btn-small"
                onClick={() => setRulesFor({ feedId: null })}
                data-testid="open-rules"
              >
                Rules…
              </button>
            </div>
          }
        />
        {feeds.data?.length === 0 ? (
          <WelcomeView onAdded={feedAdded} onImported={feedsImported} onError={showError} />
        ) : view.kind === 'search' ? (
          <SearchView
            key={viewKey(view)}
            query={view.query}
            scope={view.scope}
            title={searchTitle(view.query, view.scope, feedsById)}
            feedsById={feedsById}
            onExit={exitSearch}
            exitLabel={`Back to ${viewTitle(searchFrom, feedsById)}`}
            submitted={submitted?.query === view.query ? submitted.n : null}
            shortcutsActive={dialog === null && editing === null}
            onError={showError}
          />
        ) : (
          <ReaderView
            key={viewKey(view)}
            view={view}
            sort={sort}
            onSort={setSort}
            onMarkAllRead={scope ? () => markAllRead.markAll(scope, listTitle) : undefined}
            onMarkOlderRead={
              scope
                ? (hours) =>
                    markAllRead.markAll(
                      { ...scope, olderThan: olderThan(hours) },
                      `${listTitle} (${OLDER_THAN.find((o) => o.hours === hours)?.label.toLowerCase() ?? 'older'})`,
                    )
                : undefined
            }
            title={listTitle}
            feedsById={feedsById}
            unreadOnly={unreadOnly}
            onUnreadOnly={setUnreadOnly}
            notice={
              viewedFeed?.lastError ? (
                <FeedFailure
                  feed={{ ...viewedFeed, lastError: viewedFeed.lastError }}
                  syncing={sync.running}
                  onRetry={(feed) => sync.start('incremental', [feed.id])}
                  onEdit={setEditing}
                  onUnsubscribe={(feed) => void unsubscribe.unsubscribe(feed)}
                />
              ) : null
            }
            shortcutsActive={dialog === null && editing === null && rulesFor === null}
            onError={showError}
            empty={
              view.kind === 'starred' ? (
                <>
                  <p className="empty-title">No starred articles</p>
                  <p className="muted">
                    Press <kbd>s</kbd> on an article to keep it here.
                  </p>
                </>
              ) : view.kind === 'today' ? (
                <>
                  <p className="empty-title">Nothing new today</p>
                  <p className="muted">No {unreadOnly ? 'unread ' : ''}articles from the last 24 hours.</p>
                </>
              ) : view.kind === 'podcasts' ? (
                <>
                  <p className="empty-title">No podcast episodes</p>
                  <p className="muted">Episodes of the podcasts you follow show here.</p>
                </>
              ) : viewedFeed?.lastError ? (
                <p className="muted">No articles from this feed yet.</p>
              ) : unreadOnly ? (
                <>
                  <p className="empty-title">All caught up</p>
                  <p className="muted">No unread articles here.</p>
                </>
              ) : (
                <>
                  <p className="empty-title">No articles yet</p>
                  <p className="muted">Sync to fetch the latest articles.</p>
                  <button
                    type="button"
                    className="btn"
                    onClick={() => sync.start('incremental')}
                    disabled={sync.running}
                  >
                    Sync now
                  </button>
                </>
              )
            }
          />
        )}
        {healthOpen && (
          <Suspense fallback={DRAWER_FALLBACK}>
            <HealthPanel
              health={health}
              feeds={feeds.data ?? []}
              onSelectFeed={selectFeed}
              onClose={() => setHealthOpen(false)}
              onOpenInsights={() => setDialog('insights')}
              onError={showError}
            />
          </Suspense>
        )}
      </div>
      <MiniPlayer />

      {dialog === 'settings' && (
        // The same modal, empty, while the settings code loads: it opens at once and is swapped in one commit.
        <Suspense
          fallback={
            <Dialog title="Settings" onClose={() => setDialog(null)} testId="settings-loading" wide>
              <p className="muted" role="status">
                <span className="spinner" aria-hidden="true" /> Loading settings…
              </p>
            </Dialog>
          }
        >
          <SettingsDialog
            onClose={() => setDialog(null)}
            onAccountAdded={accountAdded}
            onAccountRemoved={accountRemoved}
            onSaved={() => stale('settingsSaved')}
          />
        </Suspense>
      )}
      {dialog === 'help' && <ShortcutsDialog onClose={() => setDialog(null)} />}
      {rulesFor && (
        <RulesDialog feeds={feeds.data ?? []} feedId={rulesFor.feedId} onClose={() => setRulesFor(null)} />
      )}
      {(dialog === 'add' || dialog === 'import') && (
        <AddFeedDialog
          importFirst={dialog === 'import'}
          onClose={() => setDialog(null)}
          onAdded={feedAdded}
          onImported={feedsImported}
          onError={showError}
        />
      )}
      {dialog === 'manage' && (
        <Suspense fallback={null}>
          <ManageFeedsView
            feeds={feeds.data ?? []}
            accounts={accounts.data ?? []}
            folders={folders}
            onClose={() => setDialog(null)}
            onChanged={feedsChanged}
            onRetry={(feedIds) => sync.start('incremental', feedIds)}
          />
        </Suspense>
      )}
      {dialog === 'insights' && (
        <Suspense fallback={null}>
          <InsightsView
            feeds={feeds.data ?? []}
            accounts={accounts.data ?? []}
            folders={folders}
            onClose={() => setDialog(null)}
            onChanged={feedsChanged}
            onRetry={(feedIds) => sync.start('incremental', feedIds)}
          />
        </Suspense>
      )}
      {editing && (
        <FeedEditDialog
          feed={editing}
          folders={folders}
          onClose={() => setEditing(null)}
          onSaved={() => stale('feedEdited')}
        />
      )}
      <UndoToast offer={markAllRead.offer} onUndo={markAllRead.undo} onDismiss={markAllRead.dismiss} />
    </div>
  )
}
