import { QueryClient } from '@tanstack/react-query'

/**
 * The renderer's one cache of main's data. IPC is local, so queries never wait for "online"
 * (a desktop app without internet must still work), and a failure is shown at once with
 * "Try again" rather than retried behind the user's back; cached data stays on screen meanwhile.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { networkMode: 'always', retry: false, staleTime: 15_000, refetchOnWindowFocus: false },
      mutations: { networkMode: 'always', retry: false },
    },
  })
}
