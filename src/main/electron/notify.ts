import { Notification, type BrowserWindow } from 'electron'
import type { AppCore } from '../../core/app/core'
import type { SyncOutcome } from '../../core/sync'
import { newArticlesNotice, type NoticeTarget } from '../tray/new-articles-notice'

/**
 * After each background sync: one desktop notification of its new articles, decided by
 * newArticlesNotice (tested in Node); a click shows the window at those articles.
 */
export function notifyNewArticles(
  running: AppCore,
  window: () => BrowserWindow | null,
  open: (target: NoticeTarget) => void,
  warn: (message: string, error: unknown) => void,
): () => void {
  const notify = async (outcome: SyncOutcome): Promise<void> => {
    const [feeds, settings] = await Promise.all([
      running.services.feeds.list(),
      running.services.settings.get(),
    ])
    const notice = newArticlesNotice({
      trigger: 'background',
      windowFocused: window()?.isFocused() ?? false,
      enabled: settings.notifyNewArticles && Notification.isSupported(),
      newByFeed: outcome.newByFeed,
      feeds,
    })
    if (!notice) return
    const shown = new Notification({ title: notice.title, body: notice.body })
    shown.on('click', () => open(notice.open))
    shown.show()
  }
  return running.onBackgroundSyncDone(
    (outcome) => void notify(outcome).catch((e) => warn('notify failed', e)),
  )
}
