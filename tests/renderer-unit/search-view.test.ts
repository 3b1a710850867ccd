import { describe, expect, it } from 'vitest'
import type { Feed } from '../../src/shared/models'
import { shownTitle } from '../../src/renderer/src/lib/article-title'
import { isScoped, scopeName, scopeOf, searchTitle } from '../../src/renderer/src/lib/search-view'
import { markAllScope, sameView, viewKey, type View } from '../../src/renderer/src/lib/view'

const feeds = new Map([[7, { id: 7, title: 'Daring Fireball', url: 'https://df.example/feed' } as Feed]])

describe('titles', () => {
  it('keeps a title; a post without one goes by its first ten words', () => {
    expect(shownTitle('  Hello ', 'x')).toEqual({ text: 'Hello', fromBody: false })
    expect(shownTitle(null, 'one two three')).toEqual({ text: 'one two three', fromBody: true })
    expect(shownTitle('', 'a b c d e f g h i j k l')).toEqual({
      text: 'a b c d e f g h i j…',
      fromBody: true,
    })
    expect(shownTitle(null, '  ')).toEqual({ text: 'Untitled', fromBody: false })
  })
})

describe('search view', () => {
  it('scopes to the feed or folder it started from, and names it', () => {
    expect(scopeOf({ kind: 'feed', feedId: 7 })).toEqual({ feedId: 7 })
    expect(scopeOf({ kind: 'folder', folder: 'News' })).toEqual({ folder: 'News' })
    expect(isScoped(scopeOf({ kind: 'starred' }))).toBe(false)
    expect(scopeName({ feedId: 7 }, feeds)).toBe('Daring Fireball')
    expect(searchTitle('kiwi', {}, feeds)).toBe('“kiwi” in all articles')
    expect(searchTitle('kiwi', { folder: 'News' }, feeds)).toBe('“kiwi” in News')
  })

  it('is a view of its own per query and scope, with nothing to mark all read', () => {
    const a: View = { kind: 'search', query: 'kiwi', scope: {} }
    const b: View = { kind: 'search', query: 'kiwi', scope: { feedId: 7 } }
    expect(sameView(a, b)).toBe(false)
    expect(viewKey(a)).not.toBe(viewKey({ kind: 'search', query: 'kiwis', scope: {} }))
    expect(markAllScope(a)).toBeNull()
  })
})
