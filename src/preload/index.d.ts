import type { TidingsApi } from '../shared/ipc-contract'

declare global {
  interface Window {
    /** Exposed by the preload (src/preload/index.ts): one method per IPC channel, `on…(listener) → unsubscribe` per pushed event. */
    api: TidingsApi
  }
}

export {}
