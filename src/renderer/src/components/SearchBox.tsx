/** The top bar's search: ranked results with the matches marked; arrows move, Enter opens, Esc clears. */
import { useQuery } from '@tanstack/react-query'
import { Fragment, useEffect, useState, type KeyboardEvent, type ReactElement, type RefObject } from 'react'
import type { HighlightSegment, SearchHit } from '../../../shared/models'
import { call, errorMessage, getApi } from '../lib/api'
import { queryKeys } from '../lib/query-keys'
import { SearchIcon } from './Icons'

const DEBOUNCE_MS = 200
const RESULTS = 20

interface Props {
  inputRef: RefObject<HTMLInputElement | null>
  onOpen(hit: SearchHit): void
}

/** Highlighted text as React text nodes and <mark>s: never HTML. */
function Highlighted({ segments }: { segments: HighlightSegment[] }): ReactElement {
  return (
    <>
      {segments.map((s, i) =>
        s.match ? <mark key={i}>{s.text}</mark> : <Fragment key={i}>{s.text}</Fragment>,
      )}
    </>
  )
}

export function SearchBox({ inputRef, onOpen }: Props): ReactElement {
  const [text, setText] = useState('')
  const [query, setQuery] = useState('')
  const [active, setActive] = useState(0)
  useEffect(() => {
    const timer = setTimeout(() => setQuery(text.trim()), DEBOUNCE_MS)
    return () => clearTimeout(timer)
  }, [text])
  const results = useQuery({
    queryKey: queryKeys.search(query),
    queryFn: () => call(() => getApi().articlesSearch({ query, limit: RESULTS })),
    enabled: query !== '',
  })
  const hits = query ? (results.data?.hits ?? []) : []
  const open = text.trim() !== '' && query !== ''

  const clear = (): void => {
    setText('')
    setQuery('')
    setActive(0)
  }
  const choose = (hit: SearchHit | undefined): void => {
    if (!hit) return
    onOpen(hit)
    clear()
    inputRef.current?.blur()
  }
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.key === 'Escape') {
      event.preventDefault()
      if (text) clear()
      else inputRef.current?.blur()
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault()
      if (hits.length)
        setActive((i) => (event.key === 'ArrowDown' ? Math.min(hits.length - 1, i + 1) : Math.max(0, i - 1)))
    } else if (event.key === 'Enter') {
      event.preventDefault()
      choose(hits[active] ?? hits[0])
    }
  }

  return (
    <div className="search" role="search">
      <SearchIcon size={14} className="search-icon" />
      <input
        ref={inputRef}
        type="search"
        className="search-input"
        placeholder="Search (/)"
        aria-label="Search articles"
        role="combobox"
        aria-expanded={open}
        aria-controls="search-results"
        aria-autocomplete="list"
        aria-activedescendant={open && hits[active] ? `search-hit-${hits[active].id}` : undefined}
        value={text}
        onChange={(e) => {
          setText(e.target.value)
          setActive(0)
        }}
        onKeyDown={onKeyDown}
        data-testid="search-input"
      />
      {open && (
        <div className="search-popup" data-testid="search-results">
          {results.error ? (
            <p className="field-error pad">Search failed: {errorMessage(results.error)}</p>
          ) : results.isFetching && hits.length === 0 ? (
            <p className="muted pad">Searching…</p>
          ) : hits.length === 0 ? (
            <p className="muted pad">No articles match “{query}”.</p>
          ) : null}
          <ul id="search-results" role="listbox" aria-label="Search results" className="search-results">
            {hits.map((hit, i) => (
              <li
                key={hit.id}
                id={`search-hit-${hit.id}`}
                role="option"
                aria-selected={i === active}
                className={`search-hit${i === active ? ' active' : ''}`}
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => choose(hit)}
                data-testid="search-hit"
              >
                <div className="search-hit-title" dir="auto">
                  <Highlighted segments={hit.titleHighlight} />
                </div>
                <div className="search-hit-body" dir="auto">
                  <Highlighted segments={hit.bodyHighlight} />
                </div>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  )
}
