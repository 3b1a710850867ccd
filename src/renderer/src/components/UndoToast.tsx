/** The short-lived "… marked read · Undo" notice; announced politely, reachable by keyboard. */
import type { ReactElement } from 'react'
import type { UndoOffer } from '../hooks/useMarkAllRead'
import { CloseIcon } from './Icons'

interface Props {
  offer: UndoOffer | null
  onUndo(): void
  onDismiss(): void
}

export function UndoToast({ offer, onUndo, onDismiss }: Props): ReactElement {
  // The live region stays mounted so screen readers announce the message when it appears.
  return (
    <div className="toast-region" role="status" aria-live="polite">
      {offer && (
        <div className="toast" data-testid="undo-toast">
          <span>{offer.message}</span>
          <button type="button" className="btn btn-small" onClick={onUndo} data-testid="undo-button">
            Undo
          </button>
          <button type="button" className="icon-btn" aria-label="Dismiss" onClick={onDismiss}>
            <CloseIcon size={14} />
          </button>
        </div>
      )}
    </div>
  )
}
