/**
 * Drag handles between the sidebar, the list and the article (the window splitter pattern): drag
 * or arrow keys resize, Enter hides or shows the pane, Home/End go to its narrowest and widest.
 */
import {
  useLayoutEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type PointerEvent,
  type ReactElement,
  type RefObject,
} from 'react'
import { togglePane } from '../hooks/usePaneLayout'
import { clampWidth, paneLayout, PANE_LIMITS, type Pane, type PaneLayout } from '../lib/pane-layout'
import '../styles/layout.css'

const SELECTOR: Record<Pane, string> = { sidebar: ':scope > .sidebar', list: ':scope > .article-list-pane' }
const LABEL: Record<Pane, string> = { sidebar: 'Resize sidebar', list: 'Resize article list' }
const STEP = 16

interface Measured {
  /** The pane's right edge in the frame, and its width (0 while hidden). */
  edge: number
  width: number
}

function measure(main: HTMLElement, pane: Pane, layout: PaneLayout): Measured {
  const hidden = pane === 'sidebar' ? layout.sidebarHidden : layout.listHidden
  const el = main.querySelector<HTMLElement>(SELECTOR[pane])
  if (!el || hidden || el.offsetWidth === 0) {
    // A hidden pane's handle sits where the pane would start.
    const before =
      pane === 'list' && !layout.sidebarHidden ? main.querySelector<HTMLElement>(SELECTOR.sidebar) : null
    return { edge: before ? before.offsetLeft + before.offsetWidth : 0, width: 0 }
  }
  return { edge: el.offsetLeft + el.offsetWidth, width: el.offsetWidth }
}

function Resizer({
  pane,
  main,
  layout,
}: {
  pane: Pane
  main: RefObject<HTMLElement | null>
  layout: PaneLayout
}): ReactElement {
  const [at, setAt] = useState<Measured>({ edge: 0, width: 0 })
  const layoutRef = useRef(layout)
  // After every render (the panes beside it may have been replaced), and whenever a pane resizes.
  useLayoutEffect(() => {
    layoutRef.current = layout
    const frame = main.current
    if (!frame) return
    const update = (): void => {
      const next = measure(frame, pane, layoutRef.current)
      setAt((last) => (last.edge === next.edge && last.width === next.width ? last : next))
    }
    update()
    const observer = new ResizeObserver(update)
    observer.observe(frame)
    for (const child of Array.from(frame.children)) observer.observe(child)
    return () => observer.disconnect()
  })

  const hidden = pane === 'sidebar' ? layout.sidebarHidden : layout.listHidden
  const setWidth = (width: number): void =>
    paneLayout.set(
      pane === 'sidebar'
        ? { sidebarWidth: clampWidth(pane, width), sidebarHidden: false }
        : { listWidth: clampWidth(pane, width), listHidden: false },
    )

  const drag = useRef<{ x: number; width: number } | null>(null)
  const onPointerDown = (event: PointerEvent<HTMLDivElement>): void => {
    if (event.button !== 0) return
    event.preventDefault()
    event.currentTarget.setPointerCapture(event.pointerId)
    drag.current = { x: event.clientX, width: at.width }
  }
  const onPointerMove = (event: PointerEvent<HTMLDivElement>): void => {
    if (drag.current) setWidth(drag.current.width + event.clientX - drag.current.x)
  }
  const onPointerUp = (event: PointerEvent<HTMLDivElement>): void => {
    drag.current = null
    event.currentTarget.releasePointerCapture(event.pointerId)
  }
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const step = event.shiftKey ? STEP * 4 : STEP
    const { min, max } = PANE_LIMITS[pane]
    const width =
      event.key === 'ArrowLeft'
        ? at.width - step
        : event.key === 'ArrowRight'
          ? Math.max(at.width, min - step) + step
          : event.key === 'Home'
            ? min
            : event.key === 'End'
              ? max
              : null
    if (event.key === 'Enter') togglePane(pane)
    else if (width !== null) setWidth(width)
    else return
    event.preventDefault()
  }

  return (
    <div
      role="separator"
      aria-orientation="vertical"
      aria-label={LABEL[pane]}
      aria-valuenow={at.width}
      aria-valuemin={0}
      aria-valuemax={PANE_LIMITS[pane].max}
      aria-valuetext={hidden ? 'hidden' : `${at.width} pixels`}
      tabIndex={0}
      title={`Drag to resize; Enter to ${hidden ? 'show' : 'hide'}`}
      className={`pane-resizer${hidden ? ' collapsed' : ''}`}
      style={{ left: `${at.edge}px` }}
      data-testid={`resize-${pane}`}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onDoubleClick={() => togglePane(pane)}
      onKeyDown={onKeyDown}
    />
  )
}

export function PaneResizers({
  main,
  layout,
}: {
  main: RefObject<HTMLElement | null>
  layout: PaneLayout
}): ReactElement {
  return (
    <>
      <Resizer pane="sidebar" main={main} layout={layout} />
      <Resizer pane="list" main={main} layout={layout} />
    </>
  )
}
