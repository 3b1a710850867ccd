import type { ReactElement } from 'react'
import { AddFeedForm, OpmlButtons } from '../components/AddFeedForm'

/** First run: no feeds yet. */
export function WelcomeView({
  onFeedsChanged,
  onError,
}: {
  onFeedsChanged(): void
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
        <AddFeedForm autoFocus onAdded={onFeedsChanged} />
        <OpmlButtons onImported={onFeedsChanged} onError={onError} />
        <p className="muted small">
          After adding feeds, press <strong>Sync</strong> (or <kbd>r</kbd>) to fetch their articles.
        </p>
      </div>
    </section>
  )
}
