/** Keyboard shortcuts as data, and the key → action mapping (pure, testable). */
export type ShortcutAction = 'next' | 'prev' | 'toggleRead' | 'toggleStar' | 'openOriginal' | 'sync' | 'help'

export const SHORTCUTS: readonly { keys: string; action: ShortcutAction; label: string }[] = [
  { keys: 'j', action: 'next', label: 'Next article' },
  { keys: 'k', action: 'prev', label: 'Previous article' },
  { keys: 'm', action: 'toggleRead', label: 'Toggle read / unread' },
  { keys: 's', action: 'toggleStar', label: 'Star / unstar' },
  { keys: 'o', action: 'openOriginal', label: 'Open original in browser' },
  { keys: 'r', action: 'sync', label: 'Sync now (Shift+R: full sync)' },
  { keys: '?', action: 'help', label: 'Show this help' },
]

export interface KeyLike {
  key: string
  ctrlKey: boolean
  metaKey: boolean
  altKey: boolean
  /** The element the key went to. */
  target: unknown
}

/** True for inputs, textareas, selects and contenteditable: typing there must not trigger shortcuts. */
export function isEditableTarget(target: unknown): boolean {
  if (!target || typeof target !== 'object') return false
  const el = target as { tagName?: unknown; isContentEditable?: unknown; type?: unknown }
  if (el.isContentEditable === true) return true
  const tag = typeof el.tagName === 'string' ? el.tagName.toUpperCase() : ''
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true
  if (tag === 'INPUT') {
    const type = typeof el.type === 'string' ? el.type.toLowerCase() : 'text'
    return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(type)
  }
  return false
}

export function shortcutFor(event: KeyLike): ShortcutAction | null {
  if (event.ctrlKey || event.metaKey || event.altKey) return null
  if (isEditableTarget(event.target)) return null
  switch (event.key) {
    case 'j':
      return 'next'
    case 'k':
      return 'prev'
    case 'm':
      return 'toggleRead'
    case 's':
      return 'toggleStar'
    case 'o':
      return 'openOriginal'
    case 'r':
    case 'R':
      return 'sync'
    case '?':
      return 'help'
    default:
      return null
  }
}
