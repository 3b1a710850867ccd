import { describe, expect, it } from 'vitest'
import { newArticlesNotice, type NoticeFeed } from '../../src/main/tray/new-articles-notice'

const FEEDS: NoticeFeed[] = [
  { id: 1, title: 'The Verge', url: 'http://127.0.0.1:9/verge.xml', notify: true },
  { id: 2, title: 'Ars Technica', url: 'http://127.0.0.1:9/ars.xml', notify: true },
  { id: 3, title: null, url: 'http://127.0.0.1:9/hn.xml', notify: true },
  { id: 4, title: 'Muted', url: 'http://127.0.0.1:9/muted.xml', notify: false },
]
const byFeed = (entries: [number, number][]): Map<number, number> => new Map(entries)
const base = {
  trigger: 'background' as const,
  windowFocused: false,
  enabled: true,
  feeds: FEEDS,
  newByFeed: byFeed([
    [1, 6],
    [2, 4],
    [3, 2],
  ]),
}

describe('newArticlesNotice: whether to notify', () => {
  it.each([
    ['a background sync, window not focused', {}, true],
    ['a sync the user started (button, tray, shortcut)', { trigger: 'user' as const }, false],
    ['the window is focused (the user sees the indicator)', { windowFocused: true }, false],
    ['notifications are off in settings', { enabled: false }, false],
    ['nothing new', { newByFeed: byFeed([]) }, false],
    ['new articles only in a feed opted out', { newByFeed: byFeed([[4, 9]]) }, false],
    ['a count of zero listed for a feed', { newByFeed: byFeed([[1, 0]]) }, false],
  ])('%s → %s', (_name, change, expected) => {
    expect(newArticlesNotice({ ...base, ...change }) !== null).toBe(expected)
  })
})

describe('newArticlesNotice: what it says and opens', () => {
  it('one summary: "12 new in 3 feeds", the feeds with the most first, and opens all unread', () => {
    const notice = newArticlesNotice({ ...base, newByFeed: byFeed([...base.newByFeed, [4, 50]]) })
    expect(notice).toEqual({
      title: '12 new in 3 feeds',
      body: 'The Verge 6 · Ars Technica 4 · 127.0.0.1:9/hn.xml 2',
      count: 12,
      feedIds: [1, 2, 3],
      open: { kind: 'all-unread' },
    })
  })

  it('singular forms, and one feed opens that feed', () => {
    expect(newArticlesNotice({ ...base, newByFeed: byFeed([[2, 1]]) })).toEqual({
      title: '1 new in Ars Technica',
      body: '1 new article',
      count: 1,
      feedIds: [2],
      open: { kind: 'feed', feedId: 2 },
    })
    expect(newArticlesNotice({ ...base, newByFeed: byFeed([[1, 3]]) })?.body).toBe('3 new articles')
  })

  it('names at most three feeds, then "and 2 more"', () => {
    const many: NoticeFeed[] = [1, 2, 3, 4, 5].map((id) => ({
      id,
      title: `Feed ${id}`,
      url: `http://127.0.0.1:9/${id}.xml`,
      notify: true,
    }))
    const notice = newArticlesNotice({
      ...base,
      feeds: many,
      newByFeed: byFeed(many.map((f) => [f.id, f.id])),
    })
    expect(notice?.title).toBe('15 new in 5 feeds')
    expect(notice?.body).toBe('Feed 5 5 · Feed 4 4 · Feed 3 3 · and 2 more')
  })

  it('a feed removed since the sync is left out', () => {
    expect(newArticlesNotice({ ...base, newByFeed: byFeed([[99, 5]]) })).toBeNull()
  })
})
