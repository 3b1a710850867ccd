/** A window preference's current value, re-rendering when it changes. */
import { useSyncExternalStore } from 'react'
import type { BooleanPreference } from '../lib/preferences'

export function usePreference(preference: BooleanPreference): boolean {
  return useSyncExternalStore(preference.subscribe, preference.enabled)
}
