/** Unsubscribing from a feed, after the user confirms: from Settings and from a failing feed's notice. */
import { useCallback } from 'react'
import { feedLabel } from '../../../shared/feed-label'
import type { Feed } from '../../../shared/models'
import { call, getApi } from '../lib/api'
import { usePending } from './usePending'

export function useUnsubscribe(
  onRemoved: () => void,
  onError: (message: string, retry?: () => void) => void,
): { pending: number | null; unsubscribe(feed: Feed): Promise<void> } {
  const removing = usePending<number>()
  const { run } = removing
  const unsubscribe = useCallback(
    async (feed: Feed): Promise<void> => {
      if (!window.confirm(`Unsubscribe from “${feedLabel(feed)}”? Its articles will be deleted.`)) return
      // A retry after a failure was confirmed already.
      const attempt = (): Promise<void> =>
        run(
          feed.id,
          async () => {
            await call(() => getApi().feedsRemove({ feedId: feed.id }))
            onRemoved()
          },
          (message) => onError(`Could not remove the feed: ${message}`, () => void attempt()),
        )
      await attempt()
    },
    [run, onRemoved, onError],
  )
  return { pending: removing.pending, unsubscribe }
}
