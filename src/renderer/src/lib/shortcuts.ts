/** Keyboard shortcuts as data, and the key → action mapping (pure, testable). */
export type ShortcutAction =
  | 'next'
  | 'prev'
  | 'nextUnread'
  | 'page'
  | 'toggleRead'
  | 'toggleStar'
  | 'openOriginal'
  | 'readerView'
  | 'markAllRead'
  | 'search'
  | 'sync'
  | 'help'
  | 'toggleSidebar'
  | 'toggleList'

export const SHORTCUTS: readonly { keys: string; action: ShortcutAction; label: string }[] = [
  { keys: 'j', action: 'next', label: 'Next article' },
  { keys: 'k', action: 'prev', label: 'Previous article' },
  { keys: 'n', action: 'nextUnread', label: 'Next unread article' },
  { keys: 'Space', action: 'page', label: 'Scroll the article; at its end, next unread' },
  { keys: 'm', action: 'toggleRead', label: 'Toggle read / unread' },
  { keys: 's', action: 'toggleStar', label: 'Star / unstar' },
  { keys: 'o', action: 'openOriginal', label: 'Open original in browser' },
  { keys: 'v', action: 'readerView', label: 'Reader view: the full article from its page' },
  { keys: 'Shift+A', action: 'markAllRead', label: 'Mark all in this list as read' },
  { keys: '/', action: 'search', label: 'Search' },
  { keys: 'r', action: 'sync', label: 'Sync now (Shift+R: full sync)' },
  { keys: '?', action: 'help', label: 'Show this help' },
  { keys: '[', action: 'toggleSidebar', label: 'Hide / show the sidebar (also Ctrl+Alt+1, ⌘⌥1)' },
  { keys: ']', action: 'toggleList', label: 'Hide / show the article list (also Ctrl+Alt+2, ⌘⌥2)' },
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

function isActivatable(target: unknown): boolean {
  const tag = target && typeof target === 'object' ? (target as { tagName?: unknown }).tagName : undefined
  return typeof tag === 'string' && ['BUTTON', 'A', 'INPUT', 'SUMMARY'].includes(tag.toUpperCase())
}

export function shortcutFor(event: KeyLike): ShortcutAction | null {
  if (event.ctrlKey || event.metaKey || event.altKey) return null
  if (isEditableTarget(event.target)) return null
  switch (event.key) {
    case 'j':
      return 'next'
    case 'k':
      return 'prev'
    case 'n':
      return 'nextUnread'
    case ' ':
      // Space on a button, link or checkbox activates it.
      return isActivatable(event.target) ? null : 'page'
    case 'm':
      return 'toggleRead'
    case 's':
      return 'toggleStar'
    case 'o':
      return 'openOriginal'
    case 'v':
      return 'readerView'
    case 'A':
      return 'markAllRead'
    case '/':
      return 'search'
    case 'r':
    case 'R':
      return 'sync'
    case '?':
      return 'help'
    case '[':
      return 'toggleSidebar'
    case ']':
      return 'toggleList'
    default:
      return null
  }
}
