/** The reader's frame: title bar, sync panel, sidebar, the current view, and the dialogs. */
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState, type ReactElement } from 'react'
import type { Feed } from '../../shared/models'
import { ErrorBanner, type BannerError } from './components/ErrorBanner'
import { PaneResizers } from './components/PaneResizers'
import { FeedEditDialog } from './components/FeedEditDialog'
import { FeedFailure } from './components/FeedFailure'
import { Dialog } from './components/Dialog'
import { RetryableError } from './components/RetryableError'
import { ShortcutsDialog } from './components/ShortcutsDialog'
import { Sidebar } from './components/Sidebar'
import { SyncPanel } from './components/SyncPanel'
import { TopBar } from './components/TopBar'
import { UndoToast } from './components/UndoToast'
import { useAccounts } from './hooks/useAccounts'
import { useFeeds } from './hooks/useFeeds'
import { useFollowRunningSync } from './hooks/useFollowRunningSync'
import { useHealth } from './hooks/useHealth'
import { useMarkAllRead } from './hooks/useMarkAllRead'
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
import { SearchView } from './views/SearchView'
import { WelcomeView } from './views/WelcomeView'

// Not needed for the first article list: fetched (through app://) when first opened.
const SettingsDialog = lazy(() =>
  import('./components/SettingsDialog').then((m) => ({ default: m.SettingsDialog })),
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
  const searchRef = useRef<HTMLInputElement>(null)
  const [banner, setBanner] = useState<BannerError | null>(null)
  const [dialog, setDialog] = useState<'settings' | 'help' | null>(null)
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

  useShortcuts(
    {
      sync: (event) => sync.start(event.shiftKey ? 'full' : 'incremental'),
      help: () => setDialog('help'),
      search: () => searchRef.current?.focus(),
      toggleSidebar: () => togglePane('sidebar'),
      toggleList: () => togglePane('list'),
    },
    dialog === null && editing === null,
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
      <SyncPanel sync={sync} onSelectFeed={selectFeed} onAddFeeds={() => setDialog('settings')} />

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
          footer={
            <div className="sidebar-footer">
              <button type="button" className="btn btn-ghost btn-small" onClick={() => setDialog('settings')}>
                + Add or import feeds
              </button>
            </div>
          }
        />
        {feeds.data?.length === 0 ? (
          <WelcomeView onFeedsChanged={feedsChanged} onError={showError} />
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
            shortcutsActive={dialog === null && editing === null}
            onError={showError}
            empty={
              view.kind === 'starred' ? (
                <>
                  <p className="empty-title">No starred articles</p>
                  <p className="muted">
                    Press <kbd>s</kbd> on an article to keep it here.
                  </p>
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
              onError={showError}
            />
          </Suspense>
        )}
      </div>

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
            feeds={feeds.data ?? []}
            onClose={() => setDialog(null)}
            onFeedsChanged={feedsChanged}
            onAccountAdded={accountAdded}
            onAccountRemoved={accountRemoved}
            onSaved={() => stale('settingsSaved')}
            onError={showError}
          />
        </Suspense>
      )}
      {dialog === 'help' && <ShortcutsDialog onClose={() => setDialog(null)} />}
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
