/** Runs the given single-key shortcut actions while `active` (off in dialogs, or when the user turned them off). */
import { useEffect, useLayoutEffect, useRef } from 'react'
import { singleKeyShortcuts } from '../lib/preferences'
import { usePreference } from './usePreference'
import { shortcutFor, type ShortcutAction } from '../lib/shortcuts'

export type ShortcutHandlers = Partial<Record<ShortcutAction, (event: KeyboardEvent) => void>>

export function useShortcutsEnabled(): boolean {
  return usePreference(singleKeyShortcuts)
}

export function useShortcuts(handlers: ShortcutHandlers, active: boolean): void {
  const enabled = useShortcutsEnabled()
  const current = useRef(handlers)
  useLayoutEffect(() => {
    current.current = handlers
  })
  useEffect(() => {
    if (!enabled || !active) return
    const onKey = (event: KeyboardEvent): void => {
      if (event.defaultPrevented) return
      const action = shortcutFor(event)
      const run = action ? current.current[action] : undefined
      if (!run) return
      event.preventDefault()
      run(event)
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [enabled, active])
}
