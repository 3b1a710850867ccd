/**
 * The app's commands from wherever they come: the Electron app menu (its menu-command event) and
 * the window's own keys for them, Ctrl/Cmd+N (Add feed) and Ctrl/Cmd+, (Settings), which work in
 * a text field too, as in other apps. The "…" menu calls the same `run`.
 */
import { useEffect, useRef } from 'react'
import type { MenuCommand } from '../../../shared/menu-commands'
import { getApi } from '../lib/api'

export function useAppCommands(run: (command: MenuCommand) => void): void {
  const latest = useRef(run)
  useEffect(() => {
    latest.current = run
  })
  useEffect(() => {
    const stop = getApi().onMenuCommand(({ command }) => latest.current(command))
    const onKey = (event: KeyboardEvent): void => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return
      const command = event.key.toLowerCase() === 'n' ? 'add-feed' : event.key === ',' ? 'settings' : null
      if (!command) return
      event.preventDefault()
      latest.current(command)
    }
    window.addEventListener('keydown', onKey)
    return () => {
      stop()
      window.removeEventListener('keydown', onKey)
    }
  }, [])
}
