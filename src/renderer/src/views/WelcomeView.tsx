import type { ReactElement } from 'react'
import type { AddedFeed, ImportResult } from '../../../shared/models'
import { AddFeedForm, OpmlButtons } from '../components/AddFeedForm'

/** First run: no feeds yet. What is added is fetched at once; the window's notice follows it. */
export function WelcomeView({
  onAdded,
  onImported,
  onError,
}: {
  onAdded(feed: AddedFeed): void
  onImported(result: ImportResult): void
  onError(message: string, retry?: () => void): void
}): ReactElement {
  return (
    <section className="welcome" data-testid="empty-state">
      <div className="welcome-card">
        <h1>Welcome to Tidings</h1>
        <p className="muted">
          You are not following any feeds yet. Add a feed by its address, or import an OPML file from another
          reader.
        </p>
        <AddFeedForm autoFocus onAdded={onAdded} />
        <OpmlButtons importOnly onImported={onImported} onError={onError} />
        <p className="muted small">
          New feeds are fetched at once. Add more later with <kbd>Ctrl</kbd>+<kbd>N</kbd> or the
          sidebar&apos;s +.
        </p>
      </div>
    </section>
  )
}
