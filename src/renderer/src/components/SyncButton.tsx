/** The sync button: click = incremental, Shift+click or the menu = full. */
import { useEffect, useRef, useState, type ReactElement } from 'react'
import type { SyncType } from '../../../shared/sync-status'
import { ChevronDownIcon, SyncIcon } from './Icons'

interface Props {
  running: boolean
  onStart(type: SyncType): void
}

export function SyncButton({ running, onStart }: Props): ReactElement {
  const [menuOpen, setMenuOpen] = useState(false)
  const wrapper = useRef<HTMLDivElement>(null)

  useEffect(() => {
    if (!menuOpen) return
    const onPointer = (event: PointerEvent): void => {
      if (!wrapper.current?.contains(event.target as Node)) setMenuOpen(false)
    }
    const onKey = (event: KeyboardEvent): void => {
      if (event.key === 'Escape') setMenuOpen(false)
    }
    document.addEventListener('pointerdown', onPointer)
    document.addEventListener('keydown', onKey)
    return () => {
      document.removeEventListener('pointerdown', onPointer)
      document.removeEventListener('keydown', onKey)
    }
  }, [menuOpen])

  const choose = (type: SyncType): void => {
    setMenuOpen(false)
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
        <span>{running ? 'Syncing…' : 'Sync'}</span>
      </button>
      <button
        type="button"
        className="btn btn-primary sync-menu-toggle"
        aria-label="Sync options"
        aria-haspopup="menu"
        aria-expanded={menuOpen}
        disabled={running}
        onClick={() => setMenuOpen((open) => !open)}
      >
        <ChevronDownIcon size={14} />
      </button>
      {menuOpen && (
        <div className="menu" role="menu">
          <button type="button" role="menuitem" className="menu-item" onClick={() => choose('incremental')}>
            <strong>Incremental sync</strong>
            <span>Fetch feeds that are due</span>
          </button>
          <button type="button" role="menuitem" className="menu-item" onClick={() => choose('full')} data-testid="sync-full">
            <strong>Full sync</strong>
            <span>Re-fetch every feed now</span>
          </button>
        </div>
      )}
    </div>
  )
}
