/** "Mark older than a day / a week as read", beside the list's Mark all read button. */
import { useEffect, useRef, useState, type ReactElement } from 'react'
import { ChevronDownIcon } from './Icons'
import '../styles/rules.css'

export const OLDER_THAN = [
  { hours: 24, label: 'Older than a day' },
  { hours: 24 * 7, label: 'Older than a week' },
] as const

interface Props {
  title: string
  onMark(hours: number): void
}

export function MarkOlderMenu({ title, onMark }: Props): ReactElement {
  const [open, setOpen] = useState(false)
  const root = useRef<HTMLDivElement>(null)
  const button = useRef<HTMLButtonElement>(null)

  useEffect(() => {
    if (!open) return
    root.current?.querySelector<HTMLButtonElement>('[role="menuitem"]')?.focus()
    const away = (event: MouseEvent): void => {
      if (!root.current?.contains(event.target as Node)) setOpen(false)
    }
    document.addEventListener('mousedown', away)
    return () => document.removeEventListener('mousedown', away)
  }, [open])

  const close = (): void => {
    setOpen(false)
    button.current?.focus()
  }

  return (
    <div
      className="mark-older"
      ref={root}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && open) {
          event.preventDefault()
          event.stopPropagation()
          close()
        }
      }}
    >
      <button
        ref={button}
        type="button"
        className="icon-btn mark-older-toggle"
        aria-label={`More ways to mark ${title} read`}
        title="Mark older articles read"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen((v) => !v)}
        data-testid="mark-older-toggle"
      >
        <ChevronDownIcon size={12} />
      </button>
      {open && (
        <div className="mark-older-menu" role="menu" aria-label="Mark read">
          {OLDER_THAN.map((option) => (
            <button
              key={option.hours}
              type="button"
              role="menuitem"
              className="mark-older-item"
              onClick={() => {
                close()
                onMark(option.hours)
              }}
            >
              {option.label}
            </button>
          ))}
        </div>
      )}
    </div>
  )
}
