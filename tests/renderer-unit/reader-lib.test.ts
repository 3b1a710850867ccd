import { describe, expect, it } from 'vitest'
import type { ArticleSummary, Feed } from '../../src/shared/models'
import { feedLabel } from '../../src/shared/feed-label'
import { flattenPages } from '../../src/renderer/src/lib/article-pages'
import { listboxTarget } from '../../src/renderer/src/lib/listbox-keys'
import { articleFilter, markAllScope, sameView, viewExists } from '../../src/renderer/src/lib/view'

const summary = (id: number): ArticleSummary => ({
  id,
  feedId: 1,
  title: `a${id}`,
  url: null,
  author: null,
  summary: null,
  snippet: null,
  thumbnail: null,
  publishedAt: '2026-01-01T00:00:00Z',
  isRead: false,
  isStarred: false,
})

describe('listbox keys', () => {
  it('Up/Down move by one and stop at the ends; Home/End jump; other keys are not ours', () => {
    expect(listboxTarget('ArrowDown', -1, 3)).toBe(0)
    expect(listboxTarget('ArrowDown', 1, 3)).toBe(2)
    expect(listboxTarget('ArrowDown', 2, 3)).toBe(2)
    expect(listboxTarget('ArrowUp', -1, 3)).toBe(0)
    expect(listboxTarget('ArrowUp', 2, 3)).toBe(1)
    expect(listboxTarget('ArrowUp', 0, 3)).toBe(0)
    expect(listboxTarget('Home', 2, 3)).toBe(0)
    expect(listboxTarget('End', 0, 3)).toBe(2)
    expect(listboxTarget('j', 0, 3)).toBeNull()
    expect(listboxTarget('End', -1, 0)).toBeNull()
  })
})

describe('article pages', () => {
  it('joins pages and shows an article that moved between pages once', () => {
    const pages = [
      { articles: [summary(3), summary(2)], nextCursor: 'c' },
      { articles: [summary(2), summary(1)], nextCursor: null },
    ]
    expect(flattenPages({ pages, pageParams: [null, 'c'] })?.map((a) => a.id)).toEqual([3, 2, 1])
    expect(flattenPages(undefined)).toBeNull()
  })
})

describe('view filters and feed titles', () => {
  it('keys each view and filter apart', () => {
    expect(articleFilter({ kind: 'all' }, false, 'newest')).toEqual({ sort: 'newest' })
    expect(articleFilter({ kind: 'starred' }, true, 'oldest')).toEqual({
      sort: 'oldest',
      starredOnly: true,
      unreadOnly: true,
    })
    expect(articleFilter({ kind: 'feed', feedId: 7 }, false, 'newest')).toEqual({ sort: 'newest', feedId: 7 })
    expect(articleFilter({ kind: 'folder', folder: 'News' }, true, 'newest')).toEqual({
      sort: 'newest',
      folder: 'News',
      unreadOnly: true,
    })
    expect(markAllScope({ kind: 'folder', folder: 'News' })).toEqual({ folder: 'News' })
    expect(sameView({ kind: 'folder', folder: 'News' }, { kind: 'folder', folder: 'news' })).toBe(false)
    expect(sameView({ kind: 'folder', folder: '7' }, { kind: 'feed', feedId: 7 })).toBe(false)
  })

  it('a view of a removed feed, or of a folder with no feed left, no longer exists', () => {
    const feeds = [
      { id: 1, folder: 'News' },
      { id: 2, folder: null },
    ] as Feed[]
    expect(viewExists({ kind: 'feed', feedId: 2 }, feeds)).toBe(true)
    expect(viewExists({ kind: 'feed', feedId: 3 }, feeds)).toBe(false)
    expect(viewExists({ kind: 'folder', folder: 'News' }, feeds)).toBe(true)
    expect(viewExists({ kind: 'folder', folder: 'Dev' }, feeds)).toBe(false)
    expect(viewExists({ kind: 'starred' }, [])).toBe(true)
  })
})

describe('feed names in the window', () => {
  it('a feed that never fetched is told apart from others on its host by its path, never its credentials', () => {
    expect(feedLabel({ title: '  News ', url: 'https://a.example/x' })).toBe('News')
    expect(feedLabel({ title: null, url: 'http://127.0.0.1:8080/broken/a.xml' })).toBe(
      '127.0.0.1:8080/broken/a.xml',
    )
    expect(feedLabel({ title: null, url: 'https://user:secret@a.example/feed?token=t' })).toBe(
      'a.example/feed',
    )
  })
})
