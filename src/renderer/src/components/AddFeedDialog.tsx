/** Add feed (Ctrl/Cmd+N, the sidebar's "+"): an address, or an OPML file of many. */
import type { ReactElement } from 'react'
import type { AddedFeed, ImportResult } from '../../../shared/models'
import { AddFeedForm, OpmlButtons } from './AddFeedForm'
import { Dialog } from './Dialog'

interface Props {
  /** Opened by "Import OPML…": the import button has the focus. */
  importFirst?: boolean
  onClose(): void
  onAdded(feed: AddedFeed): void
  onImported(result: ImportResult): void
  onError(message: string, retry?: () => void): void
}

export function AddFeedDialog({ importFirst, onClose, onAdded, onImported, onError }: Props): ReactElement {
  return (
    <Dialog title="Add feed" onClose={onClose} testId="add-feed-dialog">
      <AddFeedForm autoFocus={!importFirst} onAdded={onAdded} />
      <div className="add-feed-import">
        <p className="muted small">Or import the feeds of another reader (an OPML file):</p>
        <OpmlButtons importOnly autoFocus={importFirst} onImported={onImported} onError={onError} />
      </div>
    </Dialog>
  )
}
