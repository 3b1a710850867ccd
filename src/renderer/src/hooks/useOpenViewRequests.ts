/** Main's requests to show a view (a notification's articles, the tray's failing feeds, a refresh after the tray's Mark all read). */
import { useEffect, useLayoutEffect, useRef } from 'react'
import type { OpenTarget } from '../../../shared/ipc-contract'

type OnOpenView = (listener: (target: OpenTarget) => void) => () => void

export function useOpenViewRequests(onOpen: (target: OpenTarget) => void): void {
  const latest = useRef(onOpen)
  useLayoutEffect(() => {
    latest.current = onOpen
  })
  useEffect(() => {
    // Absent outside Electron's preload (the Chromium harness may not forward it): nothing to follow.
    const subscribe = (globalThis as { api?: { onOpenView?: OnOpenView } }).api?.onOpenView
    return subscribe?.((target) => latest.current(target))
  }, [])
}
