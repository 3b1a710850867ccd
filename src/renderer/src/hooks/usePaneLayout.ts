/** The remembered pane layout, and Ctrl/Cmd+Alt+1 / 2 to hide or show the sidebar and the list. */
import { useEffect, useSyncExternalStore } from 'react'
import { paneLayout, type PaneLayout } from '../lib/pane-layout'

export function usePaneLayout(): PaneLayout {
  return useSyncExternalStore(paneLayout.subscribe, paneLayout.get)
}

export function togglePane(pane: 'sidebar' | 'list'): void {
  const layout = paneLayout.get()
  if (pane === 'sidebar') paneLayout.set({ sidebarHidden: !layout.sidebarHidden })
  else paneLayout.set({ listHidden: !layout.listHidden })
}

/**
 * Modifier shortcuts work even with single-key shortcuts turned off, and in text fields. By code,
 * not key: Alt changes the character on macOS.
 */
export function usePaneShortcuts(active: boolean): void {
  useEffect(() => {
    if (!active) return
    const onKey = (event: KeyboardEvent): void => {
      if (!event.altKey || !(event.ctrlKey || event.metaKey) || event.shiftKey) return
      const pane = event.code === 'Digit1' ? 'sidebar' : event.code === 'Digit2' ? 'list' : null
      if (!pane) return
      event.preventDefault()
      togglePane(pane)
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [active])
}
