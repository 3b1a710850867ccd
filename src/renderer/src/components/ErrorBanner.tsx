import type { ReactElement } from 'react'
import { AlertIcon, CloseIcon } from './Icons'

export interface BannerError {
  message: string
  retry?: () => void
}

export function ErrorBanner({
  error,
  onDismiss,
}: {
  error: BannerError | null
  onDismiss(): void
}): ReactElement | null {
  if (!error) return null
  return (
    <div className="error-banner" role="alert" data-testid="error-banner">
      <AlertIcon size={16} />
      <span className="error-banner-text">{error.message}</span>
      {error.retry && (
        <button
          type="button"
          className="btn btn-small"
          onClick={() => {
            onDismiss()
            error.retry?.()
          }}
        >
          Try again
        </button>
      )}
      <button type="button" className="icon-btn" aria-label="Dismiss error" onClick={onDismiss}>
        <CloseIcon size={14} />
      </button>
    </div>
  )
}
