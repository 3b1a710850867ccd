/**
 * The top bar's search field. Typing shows the ranked results as the article list (a search view);
 * the chip keeps them to the feed or folder the search started from; Escape goes back to it.
 */
import { useEffect, useRef, useState, type KeyboardEvent, type ReactElement, type RefObject } from 'react'
import { SearchIcon } from './Icons'
import '../styles/search.css'

const DEBOUNCE_MS = 200

export interface SearchBoxProps {
  inputRef: RefObject<HTMLInputElement | null>
  /** True while the search view shows: leaving it another way (the sidebar) clears the field. */
  active: boolean
  /** The feed or folder the search can keep to; null from All articles or Starred. */
  scopeName: string | null
  scoped: boolean
  onScoped(scoped: boolean): void
  /** Show the results for these words. */
  onSearch(query: string): void
  /** Enter: go to these words' results (the first one opens). */
  onSubmit(query: string): void
  /** Back to the view the search started from. */
  onExit(): void
}

export function SearchBox({
  inputRef,
  active,
  scopeName,
  scoped,
  onScoped,
  onSearch,
  onSubmit,
  onExit,
}: SearchBoxProps): ReactElement {
  const [text, setText] = useState('')
  const latest = useRef({ onSearch, onExit, active })
  useEffect(() => {
    latest.current = { onSearch, onExit, active }
  })

  // The words settle for a moment before they are searched; an emptied field leaves the search.
  const typed = useRef(false)
  useEffect(() => {
    if (!typed.current) return
    const timer = setTimeout(() => {
      const query = text.trim()
      if (query) latest.current.onSearch(query)
      else if (latest.current.active) latest.current.onExit()
    }, DEBOUNCE_MS)
    return () => clearTimeout(timer)
  }, [text])

  // Left by the sidebar or a shortcut: the field no longer says what is shown.
  const wasActive = useRef(active)
  useEffect(() => {
    if (wasActive.current && !active) {
      typed.current = false
      setText('')
    }
    wasActive.current = active
  }, [active])

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.key === 'Escape') {
      event.preventDefault()
      typed.current = false
      setText('')
      if (active) onExit()
      inputRef.current?.blur()
    } else if (event.key === 'Enter') {
      event.preventDefault()
      const query = text.trim()
      if (!query) return
      onSearch(query)
      onSubmit(query)
    }
  }

  return (
    <div className={`search${scopeName ? ' scoped' : ''}`} role="search">
      <SearchIcon size={14} className="search-icon" />
      <input
        ref={inputRef}
        type="search"
        className="search-input"
        placeholder={scoped && scopeName ? `Search in ${scopeName} (/)` : 'Search (/)'}
        aria-label={scoped && scopeName ? `Search in ${scopeName}` : 'Search articles'}
        value={text}
        onChange={(e) => {
          typed.current = true
          setText(e.target.value)
        }}
        onKeyDown={onKeyDown}
        data-testid="search-input"
      />
      {scopeName && (
        <button
          type="button"
          className="search-scope"
          aria-pressed={scoped}
          title={scoped ? `Searching ${scopeName} only: search everything` : `Search ${scopeName} only`}
          onClick={() => onScoped(!scoped)}
          data-testid="search-scope"
        >
          {`In ${scopeName}`}
        </button>
      )}
    </div>
  )
}
