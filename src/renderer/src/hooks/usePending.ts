/** What an async action is doing (null: nothing), for disabling its buttons and labelling them "…ing". */
import { useCallback, useState } from 'react'
import { errorMessage } from '../lib/api'

export function usePending<K>(): {
  pending: K | null
  run(key: K, action: () => Promise<void>, onError: (message: string) => void): Promise<void>
} {
  const [pending, setPending] = useState<K | null>(null)
  // A failure becomes a message for the form or banner, never an unhandled rejection.
  const run = useCallback(
    async (key: K, action: () => Promise<void>, onError: (message: string) => void): Promise<void> => {
      setPending(key)
      try {
        await action()
      } catch (e) {
        onError(errorMessage(e))
      } finally {
        setPending(null)
      }
    },
    [],
  )
  return { pending, run }
}
