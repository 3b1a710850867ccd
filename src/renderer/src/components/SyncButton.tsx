/** The sync button: click = incremental, Shift+click or the menu = full. */
import {
  useEffect,
  useRef,
  useState,
  type KeyboardEvent as ReactKeyboardEvent,
  type ReactElement,
} from 'react'
import type { SyncType } from '../../../shared/sync-status'
import { ChevronDownIcon, SyncIcon } from './Icons'

interface Props {
  running: boolean
  onStart(type: SyncType): void
}

export function SyncButton({ running, onStart }: Props): ReactElement {
  const [menuOpen, setMenuOpen] = useState(false)
  const wrapper = useRef<HTMLDivElement>(null)
  const toggle = useRef<HTMLButtonElement>(null)
  const menu = useRef<HTMLDivElement>(null)

  const close = (returnFocus: boolean): void => {
    setMenuOpen(false)
    if (returnFocus) toggle.current?.focus()
  }

  useEffect(() => {
    if (!menuOpen) return
    // Focus goes into the menu when it opens (and back to its button when Esc closes it).
    menu.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus()
    const onPointer = (event: PointerEvent): void => {
      if (!wrapper.current?.contains(event.target as Node)) setMenuOpen(false)
    }
    document.addEventListener('pointerdown', onPointer)
    return () => document.removeEventListener('pointerdown', onPointer)
  }, [menuOpen])

  /** Arrow keys, Home/End move between the items; Esc and Tab close the menu. */
  const onMenuKey = (event: ReactKeyboardEvent<HTMLDivElement>): void => {
    const items = [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])]
    const index = items.indexOf(document.activeElement as HTMLElement)
    const target = {
      ArrowDown: (index + 1) % items.length,
      ArrowUp: (index - 1 + items.length) % items.length,
      Home: 0,
      End: items.length - 1,
    }[event.key]
    if (target !== undefined) {
      event.preventDefault()
      items[target]?.focus()
    } else if (event.key === 'Escape') {
      event.preventDefault()
      close(true)
    } else if (event.key === 'Tab') close(false)
  }

  const choose = (type: SyncType): void => {
    close(true)
    onStart(type)
  }

  return (
    <div className="sync-button-group" ref={wrapper}>
      <button
        type="button"
        className="btn btn-primary sync-button"
        data-testid="sync-button"
        disabled={running}
        aria-busy={running}
        title="Sync now (r) — Shift+click for a full sync"
        onClick={(event) => onStart(event.shiftKey ? 'full' : 'incremental')}
      >
        <SyncIcon className={running ? 'spin' : undefined} />
        {/* One label, so the button keeps its width: the spinner and the indicator beside it say it runs. */}
        <span>Sync</span>
      </button>
      <button
        type="button"
        className="btn btn-primary sync-menu-toggle"
        ref={toggle}
        aria-label="Sync options"
        aria-haspopup="menu"
        aria-expanded={menuOpen}
        disabled={running}
        onClick={() => setMenuOpen((open) => !open)}
      >
        <ChevronDownIcon size={14} />
      </button>
      {menuOpen && (
        <div className="menu" role="menu" aria-label="Sync options" ref={menu} onKeyDown={onMenuKey}>
          <button
            type="button"
            role="menuitem"
            tabIndex={-1}
            className="menu-item"
            onClick={() => choose('incremental')}
          >
            <strong>Incremental sync</strong>
            <span>Fetch feeds that are due</span>
          </button>
          <button
            type="button"
            role="menuitem"
            tabIndex={-1}
            className="menu-item"
            onClick={() => choose('full')}
            data-testid="sync-full"
          >
            <strong>Full sync</strong>
            <span>Re-fetch every feed now</span>
          </button>
        </div>
      )}
    </div>
  )
}
