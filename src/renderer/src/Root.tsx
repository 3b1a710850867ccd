import { useQueryClient } from '@tanstack/react-query'
import { useEffect, type ReactElement } from 'react'
import { App } from './App'
import { useAppStatus } from './hooks/useAppStatus'
import { prefetchFirstArticles } from './hooks/useArticles'
import { PlayerProvider } from './player/PlayerProvider'

/** Waits for main's core (database) before mounting the reader. */
export function Root(): ReactElement {
  const status = useAppStatus()
  const client = useQueryClient()
  useEffect(() => prefetchFirstArticles(client), [client])
  // Once ready, useAppStatus stops polling, so the reader is never unmounted again.
  if (status.phase === 'ready')
    return (
      <PlayerProvider>
        <App />
      </PlayerProvider>
    )
  return (
    <div className="startup" data-testid="startup">
      <div className="startup-card">
        <span className="brand-mark large" aria-hidden="true">
          T
        </span>
        <h1>Tidings</h1>
        {status.phase === 'error' ? (
          <>
            <p className="inline-error" role="alert" data-testid="startup-error">
              {status.message}
            </p>
            <button type="button" className="btn" onClick={status.retry}>
              Try again
            </button>
          </>
        ) : (
          <p className="muted" role="status">
            <span className="spinner" aria-hidden="true" /> {status.message}
          </p>
        )}
      </div>
    </div>
  )
}
