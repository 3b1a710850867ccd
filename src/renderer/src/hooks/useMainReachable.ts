import { useSyncExternalStore } from 'react'
import { mainConnection } from '../lib/connection'

/** False while main's latest answer was a timeout or "unavailable". */
export function useMainReachable(): boolean {
  return useSyncExternalStore(mainConnection.subscribe, mainConnection.reachable)
}
