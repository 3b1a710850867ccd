import type { ReactElement } from 'react'
import { AlertIcon, CloseIcon } from './Icons'

export function ErrorBanner({ message, onDismiss }: { message: string | null; onDismiss(): void }): ReactElement | null {
  if (!message) return null
  return (
    <div className="error-banner" role="alert" data-testid="error-banner">
      <AlertIcon size={16} />
      <span className="error-banner-text">{message}</span>
      <button type="button" className="icon-btn" aria-label="Dismiss error" onClick={onDismiss}>
        <CloseIcon size={14} />
      </button>
    </div>
  )
}
