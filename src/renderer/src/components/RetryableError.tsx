import type { ReactElement } from 'react'
import { AlertIcon } from './Icons'

/** A failed request: what went wrong and a "Try again" button. */
export function RetryableError({
  message,
  onRetry,
  testId,
}: {
  message: string
  onRetry(): void
  testId?: string
}): ReactElement {
  return (
    <div className="inline-error retryable" role="alert" data-testid={testId}>
      <AlertIcon size={14} />
      <span>{message}</span>
      <button type="button" className="btn btn-small" onClick={onRetry}>
        Try again
      </button>
    </div>
  )
}
