/**
 * The window's "…" menu: the app menu's commands (Add feed, Import/Export OPML, Manage feeds,
 * Settings, Sync) for a window without a menu bar. A menu button as the ARIA practices describe it:
 * arrow keys, Home/End, Escape back to the button, a click outside closes it.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactElement } from 'react'
import { MENU_COMMAND_LABELS, MENU_COMMANDS, type MenuCommand } from '../../../shared/menu-commands'
import '../styles/feed-management.css'

const mac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform)
const SHORTCUT_HINTS: Partial<Record<MenuCommand, string>> = {
  'add-feed': mac ? '⌘N' : 'Ctrl+N',
  settings: mac ? '⌘,' : 'Ctrl+,',
  sync: 'R',
}

export function AppMenuButton({ onCommand }: { onCommand(command: MenuCommand): void }): ReactElement {
  const [open, setOpen] = useState(false)
  const button = useRef<HTMLButtonElement>(null)
  const menu = useRef<HTMLDivElement>(null)
  const menuId = useId()

  const items = (): HTMLButtonElement[] =>
    Array.from(menu.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? [])

  useEffect(() => {
    if (!open) return
    items()[0]?.focus()
    const onPointer = (event: PointerEvent): void => {
      const target = event.target as Node
      if (!menu.current?.contains(target) && !button.current?.contains(target)) setOpen(false)
    }
    document.addEventListener('pointerdown', onPointer)
    return () => document.removeEventListener('pointerdown', onPointer)
  }, [open])

  const close = (): void => {
    setOpen(false)
    button.current?.focus()
  }
  const onMenuKey = (event: KeyboardEvent): void => {
    const all = items()
    const at = all.indexOf(document.activeElement as HTMLButtonElement)
    const focus = (index: number): void => all[(index + all.length) % all.length]?.focus()
    if (event.key === 'ArrowDown') focus(at + 1)
    else if (event.key === 'ArrowUp') focus(at - 1)
    else if (event.key === 'Home') focus(0)
    else if (event.key === 'End') focus(all.length - 1)
    else if (event.key === 'Escape') close()
    else if (event.key === 'Tab') setOpen(false)
    else return
    // Handled here: not a reader shortcut, and Escape must not close a drawer behind the menu.
    event.preventDefault()
    event.stopPropagation()
  }

  return (
    <div className="app-menu">
      <button
        ref={button}
        type="button"
        className="icon-btn app-menu-button"
        aria-label="More"
        title="More"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpen((was) => !was)}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
            event.preventDefault()
            setOpen(true)
          }
        }}
        data-testid="app-menu-button"
      >
        <span aria-hidden="true">…</span>
      </button>
      {open && (
        <div
          ref={menu}
          id={menuId}
          role="menu"
          aria-label="More"
          className="app-menu-list"
          onKeyDown={onMenuKey}
          data-testid="app-menu"
        >
          {MENU_COMMANDS.map((command) => (
            <button
              key={command}
              type="button"
              role="menuitem"
              tabIndex={-1}
              className="app-menu-item"
              onClick={() => {
                close()
                onCommand(command)
              }}
            >
              <span>{MENU_COMMAND_LABELS[command]}</span>
              {SHORTCUT_HINTS[command] && <kbd>{SHORTCUT_HINTS[command]}</kbd>}
            </button>
          ))}
        </div>
      )}
    </div>
  )
}
