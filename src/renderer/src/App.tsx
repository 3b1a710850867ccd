import { useCallback, useEffect, useMemo, useRef, useState, type ReactElement } from 'react'
import { nextRunLabel, relativeTime } from '../../shared/format'
import type { Article, ArticleSummary, Feed } from '../../shared/models'
import { AddFeedForm, OpmlButtons } from './components/AddFeedForm'
import { ArticleList } from './components/ArticleList'
import { ArticleView } from './components/ArticleView'
import { ErrorBanner } from './components/ErrorBanner'
import { HealthPanel } from './components/HealthPanel'
import { GearIcon, KeyboardIcon, PulseIcon } from './components/Icons'
import { SettingsDialog } from './components/SettingsDialog'
import { ShortcutsDialog } from './components/ShortcutsDialog'
import { Sidebar, feedTitle, sameView, type View } from './components/Sidebar'
import { SyncButton } from './components/SyncButton'
import { SyncPanel } from './components/SyncPanel'
import { useHealth } from './hooks/useHealth'
import { useNow } from './hooks/useNow'
import { useSync } from './hooks/useSync'
import { call, errorMessage, getApi } from './lib/api'
import { shortcutFor } from './lib/shortcuts'
import { safeExternalUrl } from './lib/sanitize'
import { cachePublicConfig } from './sync/direct-read'
import type { PollState } from './sync/poll-sync'

const PAGE_SIZE = 50

interface ListState {
  /** Which view + filter these articles belong to; a different key means "loading". */
  key: string
  articles: ArticleSummary[]
  nextCursor: string | null
  loadingMore: boolean
}

export function App(): ReactElement {
  const [feeds, setFeeds] = useState<Feed[] | null>(null)
  const [view, setView] = useState<View>({ kind: 'all' })
  const [unreadOnly, setUnreadOnly] = useState(false)
  const [list, setList] = useState<ListState>({ key: '', articles: [], nextCursor: null, loadingMore: false })
  const [selectedId, setSelectedId] = useState<number | null>(null)
  const [article, setArticle] = useState<Article | null>(null)
  const [articleLoading, setArticleLoading] = useState(false)
  const [articleError, setArticleError] = useState<string | null>(null)
  const [banner, setBanner] = useState<string | null>(null)
  const [settingsOpen, setSettingsOpen] = useState(false)
  const [helpOpen, setHelpOpen] = useState(false)
  const [healthOpen, setHealthOpen] = useState(false)
  const listRequest = useRef(0)
  const articleRequest = useRef(0)
  const health = useHealth()
  const now = useNow(30_000)

  const showError = useCallback((message: string) => setBanner(message), [])

  // ---- data loading -------------------------------------------------------------------------
  const loadFeeds = useCallback(
    () =>
      call(() => getApi().feedsList()).then(setFeeds, (e: unknown) => {
        setFeeds((current) => current ?? [])
        showError(`Could not load feeds: ${errorMessage(e)}`)
      }),
    [showError],
  )

  const listKey = `${view.kind}:${view.kind === 'feed' ? view.feedId : ''}:${unreadOnly ? 'unread' : 'all'}`
  /** Loads the first page for the current view (keeping the old list on screen while it loads). */
  const loadArticles = useCallback(() => {
    const request = ++listRequest.current
    const key = listKey
    return call(() =>
      getApi().articlesList({
        ...(view.kind === 'feed' ? { feedId: view.feedId } : {}),
        ...(view.kind === 'starred' ? { starredOnly: true } : {}),
        ...(unreadOnly ? { unreadOnly: true } : {}),
        limit: PAGE_SIZE,
      }),
    ).then(
      (page) => {
        if (request === listRequest.current) setList({ key, articles: page.articles, nextCursor: page.nextCursor, loadingMore: false })
      },
      (e: unknown) => {
        if (request !== listRequest.current) return
        setList((s) => (s.key === key ? { ...s, loadingMore: false } : { key, articles: [], nextCursor: null, loadingMore: false }))
        showError(`Could not load articles: ${errorMessage(e)}`)
      },
    )
  }, [listKey, view, unreadOnly, showError])

  const loadMore = useCallback(() => {
    const cursor = list.nextCursor
    if (!cursor || list.loadingMore) return
    const request = ++listRequest.current
    const key = listKey
    setList((s) => ({ ...s, loadingMore: true }))
    call(() =>
      getApi().articlesList({
        ...(view.kind === 'feed' ? { feedId: view.feedId } : {}),
        ...(view.kind === 'starred' ? { starredOnly: true } : {}),
        ...(unreadOnly ? { unreadOnly: true } : {}),
        cursor,
        limit: PAGE_SIZE,
      }),
    ).then(
      (page) => {
        if (request !== listRequest.current) return
        setList((s) =>
          s.key !== key
            ? s
            : {
                key,
                articles: [...s.articles, ...page.articles.filter((a) => !s.articles.some((b) => b.id === a.id))],
                nextCursor: page.nextCursor,
                loadingMore: false,
              },
        )
      },
      (e: unknown) => {
        if (request !== listRequest.current) return
        setList((s) => ({ ...s, loadingMore: false }))
        showError(`Could not load more articles: ${errorMessage(e)}`)
      },
    )
  }, [list.nextCursor, list.loadingMore, listKey, view, unreadOnly, showError])

  useEffect(() => {
    void loadFeeds()
    call(() => getApi().configPublic())
      .then(cachePublicConfig)
      .catch(() => {
        // Keep whatever was cached last time; the direct fallback uses it.
      })
  }, [loadFeeds])

  useEffect(() => {
    void loadArticles()
  }, [loadArticles])

  // ---- sync ----------------------------------------------------------------------------------
  const refreshHealth = health.refresh
  const onSyncFinished = useCallback(
    (state: PollState) => {
      if (state.status?.status === 'completed') void loadArticles()
      void loadFeeds()
      void refreshHealth()
    },
    [loadArticles, loadFeeds, refreshHealth],
  )
  const sync = useSync(onSyncFinished)
  const { attach, start: startSync, running: syncRunning } = sync
  const pollId = sync.poll?.syncId ?? null

  // Follow syncs started elsewhere (scheduler, tray) so the panel shows them too.
  const followed = useRef(new Set<string>())
  useEffect(() => {
    if (pollId) followed.current.add(pollId)
    const running = health.health?.recentSyncs.find((s) => s.status === 'in_progress' || s.status === 'pending')
    if (!running || syncRunning || followed.current.has(running.syncId)) return
    followed.current.add(running.syncId)
    try {
      attach(running.syncId, running.type)
    } catch {
      // no api: nothing to follow
    }
  }, [health.health, syncRunning, pollId, attach])

  // ---- selection and marking -----------------------------------------------------------------
  const articles = list.key === listKey ? list.articles : null
  const selectedSummary = useMemo(() => articles?.find((a) => a.id === selectedId) ?? null, [articles, selectedId])
  const feedsById = useMemo(() => new Map((feeds ?? []).map((f) => [f.id, f])), [feeds])

  const applyLocal = useCallback((id: number, patch: Partial<Pick<ArticleSummary, 'isRead' | 'isStarred'>>, feedId: number, wasRead: boolean) => {
    setList((s) => ({ ...s, articles: s.articles.map((a) => (a.id === id ? { ...a, ...patch } : a)) }))
    setArticle((a) => (a && a.id === id ? { ...a, ...patch } : a))
    if (patch.isRead !== undefined && patch.isRead !== wasRead) {
      const delta = patch.isRead ? -1 : 1
      setFeeds((fs) => fs?.map((f) => (f.id === feedId ? { ...f, unreadCount: Math.max(0, f.unreadCount + delta) } : f)) ?? null)
    }
  }, [])

  const mark = useCallback(
    async (target: ArticleSummary, patch: { isRead?: boolean; isStarred?: boolean }) => {
      const before = { isRead: target.isRead, isStarred: target.isStarred }
      applyLocal(target.id, patch, target.feedId, target.isRead)
      try {
        await call(() => getApi().articlesMark({ articleId: target.id, ...patch }))
      } catch (e) {
        applyLocal(target.id, before, target.feedId, patch.isRead ?? target.isRead)
        showError(`Could not update the article: ${errorMessage(e)}`)
      }
    },
    [applyLocal, showError],
  )

  const select = useCallback(
    async (id: number) => {
      const summary = articles?.find((a) => a.id === id)
      setSelectedId(id)
      setArticleError(null)
      setArticle(null)
      setArticleLoading(true)
      const request = ++articleRequest.current
      if (summary && !summary.isRead) void mark(summary, { isRead: true })
      try {
        const full = await call(() => getApi().articlesGet({ articleId: id }))
        if (request !== articleRequest.current) return
        if (!full) setArticleError('This article no longer exists.')
        else setArticle(summary && !summary.isRead ? { ...full, isRead: true } : full)
      } catch (e) {
        if (request === articleRequest.current) setArticleError(`Could not open the article: ${errorMessage(e)}`)
      } finally {
        if (request === articleRequest.current) setArticleLoading(false)
      }
    },
    [articles, mark],
  )

  const current = article ?? selectedSummary
  const toggleRead = useCallback(() => {
    if (current) void mark(current, { isRead: !current.isRead })
  }, [current, mark])
  const toggleStar = useCallback(() => {
    if (current) void mark(current, { isStarred: !current.isStarred })
  }, [current, mark])

  const move = useCallback(
    (step: 1 | -1) => {
      if (!articles || articles.length === 0) return
      const index = articles.findIndex((a) => a.id === selectedId)
      const nextIndex = index === -1 ? (step === 1 ? 0 : articles.length - 1) : index + step
      const next = articles[nextIndex]
      if (next) void select(next.id)
      else if (step === 1) loadMore()
    },
    [articles, selectedId, select, loadMore],
  )

  const changeView = useCallback((next: View) => {
    setView((currentView) => (sameView(currentView, next) ? currentView : next))
    setSelectedId(null)
    setArticle(null)
    setArticleError(null)
  }, [])

  // ---- keyboard --------------------------------------------------------------------------------
  const keyActions = useRef({ move, toggleRead, toggleStar, startSync, current, anyDialog: false })
  useEffect(() => {
    keyActions.current = { move, toggleRead, toggleStar, startSync, current, anyDialog: settingsOpen || helpOpen }
  })
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.defaultPrevented) return
      if (event.key === 'Escape' && healthOpen && !keyActions.current.anyDialog) {
        setHealthOpen(false)
        return
      }
      const action = shortcutFor(event)
      if (!action || keyActions.current.anyDialog) return
      const a = keyActions.current
      event.preventDefault()
      switch (action) {
        case 'next':
          a.move(1)
          break
        case 'prev':
          a.move(-1)
          break
        case 'toggleRead':
          a.toggleRead()
          break
        case 'toggleStar':
          a.toggleStar()
          break
        case 'openOriginal': {
          const link = safeExternalUrl(a.current?.url)
          if (link) window.open(link, '_blank', 'noopener')
          break
        }
        case 'sync':
          a.startSync(event.shiftKey ? 'full' : 'incremental')
          break
        case 'help':
          setHelpOpen(true)
          break
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [healthOpen])

  // ---- render ----------------------------------------------------------------------------------
  const listTitle =
    view.kind === 'all' ? 'All articles' : view.kind === 'starred' ? 'Starred' : (() => {
      const feed = feedsById.get(view.feedId)
      return feed ? feedTitle(feed) : 'Feed'
    })()

  const h = health.health
  const lastSync = h?.recentSyncs.find((s) => s.status !== 'in_progress' && s.status !== 'pending')
  const statusLine = h
    ? [
        lastSync
          ? `Last sync ${relativeTime(lastSync.completedAt ?? lastSync.startedAt, now)}${lastSync.status === 'completed' ? '' : ` (${lastSync.status})`}`
          : 'No sync yet',
        `Next: ${nextRunLabel(h.scheduler, now).toLowerCase()}`,
      ].join(' · ')
    : health.error
      ? 'Sync status unavailable'
      : ''

  const noFeeds = feeds !== null && feeds.length === 0

  return (
    <div className={`app${healthOpen ? ' with-drawer' : ''}`}>
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            T
          </span>
          <span className="brand-name">Tidings</span>
        </div>
        <SyncButton running={sync.running} onStart={startSync} />
        <span className="status-line" data-testid="status-line">
          {statusLine}
        </span>
        <div className="topbar-actions">
          <button
            type="button"
            className={`icon-btn health-btn health-${h?.status ?? 'unknown'}`}
            aria-label="Sync health"
            aria-pressed={healthOpen}
            title="Sync health"
            onClick={() => setHealthOpen((open) => !open)}
            data-testid="health-button"
          >
            <PulseIcon size={18} />
            <span className="health-dot" aria-hidden="true" />
          </button>
          <button type="button" className="icon-btn" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" onClick={() => setHelpOpen(true)}>
            <KeyboardIcon size={18} />
          </button>
          <button type="button" className="icon-btn" aria-label="Settings" title="Settings" onClick={() => setSettingsOpen(true)} data-testid="settings-button">
            <GearIcon size={18} />
          </button>
        </div>
      </header>

      <ErrorBanner message={banner} onDismiss={() => setBanner(null)} />
      <SyncPanel sync={sync} />

      <div className="main">
        <Sidebar
          feeds={feeds}
          view={view}
          onSelect={changeView}
          footer={
            <div className="sidebar-footer">
              <button type="button" className="btn btn-ghost btn-small" onClick={() => setSettingsOpen(true)}>
                + Add or import feeds
              </button>
            </div>
          }
        />
        {noFeeds ? (
          <section className="welcome" data-testid="empty-state">
            <div className="welcome-card">
              <h1>Welcome to Tidings</h1>
              <p className="muted">You are not following any feeds yet. Add a feed by its address, or import an OPML file from another reader.</p>
              <AddFeedForm
                autoFocus
                onAdded={() => {
                  void loadFeeds()
                }}
              />
              <OpmlButtons onImported={() => void loadFeeds()} onError={showError} />
              <p className="muted small">
                After adding feeds, press <strong>Sync</strong> (or <kbd>r</kbd>) to fetch their articles.
              </p>
            </div>
          </section>
        ) : (
          <>
            <ArticleList
              title={listTitle}
              articles={articles}
              feedsById={feedsById}
              selectedId={selectedId}
              hasMore={articles !== null && list.nextCursor !== null}
              loadingMore={list.loadingMore}
              unreadOnly={unreadOnly}
              onUnreadOnly={setUnreadOnly}
              onSelect={(id) => void select(id)}
              onLoadMore={loadMore}
              empty={
                view.kind === 'starred' ? (
                  <>
                    <p className="empty-title">No starred articles</p>
                    <p className="muted">
                      Press <kbd>s</kbd> on an article to keep it here.
                    </p>
                  </>
                ) : unreadOnly ? (
                  <>
                    <p className="empty-title">All caught up</p>
                    <p className="muted">No unread articles here.</p>
                  </>
                ) : (
                  <>
                    <p className="empty-title">No articles yet</p>
                    <p className="muted">Sync to fetch the latest articles.</p>
                    <button type="button" className="btn" onClick={() => startSync('incremental')} disabled={sync.running}>
                      Sync now
                    </button>
                  </>
                )
              }
            />
            <ArticleView
              summary={selectedSummary}
              article={article}
              loading={articleLoading}
              error={articleError}
              feed={current ? feedsById.get(current.feedId) : undefined}
              onToggleRead={toggleRead}
              onToggleStar={toggleStar}
            />
          </>
        )}
        {healthOpen && <HealthPanel health={health} onClose={() => setHealthOpen(false)} onError={showError} />}
      </div>

      {settingsOpen && (
        <SettingsDialog
          feeds={feeds ?? []}
          onClose={() => setSettingsOpen(false)}
          onFeedsChanged={() => {
            void loadFeeds()
            void loadArticles()
          }}
          onSaved={() => {
            call(() => getApi().configPublic())
              .then(cachePublicConfig)
              .catch(() => undefined)
            void health.refresh()
          }}
          onError={showError}
        />
      )}
      {helpOpen && <ShortcutsDialog onClose={() => setHelpOpen(false)} />}
    </div>
  )
}
