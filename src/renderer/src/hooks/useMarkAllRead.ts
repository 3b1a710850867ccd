/** "Mark all read" for a feed, a folder or everything, with an undo offer that expires. */
import { useQueryClient } from '@tanstack/react-query'
import { useCallback, useEffect, useState } from 'react'
import type { MarkAllReadScope } from '../../../shared/models'
import { call, errorMessage, getApi } from '../lib/api'
import { invalidate } from '../lib/query-keys'

/** How long the undo offer stays. */
export const UNDO_WINDOW_MS = 6000

export interface UndoOffer {
  undoToken: string
  /** "12 articles in Tech marked read". */
  message: string
}

export interface MarkAllRead {
  markAll(scope: MarkAllReadScope, label: string): void
  offer: UndoOffer | null
  undo(): void
  dismiss(): void
}

const plural = (n: number): string => `${n} ${n === 1 ? 'article' : 'articles'}`

export function useMarkAllRead(onError: (message: string, retry: () => void) => void): MarkAllRead {
  const client = useQueryClient()
  const [offer, setOffer] = useState<UndoOffer | null>(null)

  useEffect(() => {
    if (!offer) return
    const timer = setTimeout(() => setOffer(null), UNDO_WINDOW_MS)
    return () => clearTimeout(timer)
  }, [offer])

  const markAll = useCallback(
    (scope: MarkAllReadScope, label: string) => {
      const run = (): void => {
        call(() => getApi().articlesMarkAllRead(scope))
          .then((result) => {
            setOffer(
              result.marked > 0
                ? { undoToken: result.undoToken, message: `${plural(result.marked)} in ${label} marked read` }
                : null,
            )
            return invalidate(client, 'manyMarked')
          })
          .catch((error: unknown) => onError(`Could not mark ${label} read: ${errorMessage(error)}`, run))
      }
      run()
    },
    [client, onError],
  )

  const undo = useCallback(() => {
    if (!offer) return
    setOffer(null)
    const run = (): void => {
      call(() => getApi().articlesUndoMarkRead({ undoToken: offer.undoToken }))
        .then(() => invalidate(client, 'manyMarked'))
        .catch((error: unknown) => onError(`Could not undo: ${errorMessage(error)}`, run))
    }
    run()
  }, [client, offer, onError])

  return { markAll, offer, undo, dismiss: useCallback(() => setOffer(null), []) }
}
