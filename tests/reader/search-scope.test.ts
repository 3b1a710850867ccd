import { beforeAll, describe, expect, it } from 'vitest'
import { IpcChannel } from '../../src/shared/ipc-contract'
import type { SearchPage } from '../../src/shared/models'
import { useReaderEnv } from './support'

const env = useReaderEnv()
const ids: Record<string, number> = {}

beforeAll(async () => {
  const { db } = env()
  const feed = async (url: string, folder: string | null): Promise<number> => {
    const { rows } = await db.query<{ id: string }>(
      'insert into feeds (url, folder) values ($1, $2) returning id',
      [url, folder],
    )
    return Number(rows[0]!.id)
  }
  const alpha = await feed('http://127.0.0.1:9/alpha.xml', 'News')
  const beta = await feed('http://127.0.0.1:9/beta.xml', 'News')
  const gamma = await feed('http://127.0.0.1:9/gamma.xml', 'Dev')
  // Title matches rank above body matches; equal ranks go newest first.
  const articles: [string, number, string | null, string, string][] = [
    ['a-title', alpha, 'Kiwi harvest', '<p>Fruit news.</p>', '2024-01-01T00:00:00Z'],
    ['a-body-new', alpha, 'Orchard', '<p>A kiwi or two.</p>', '2024-01-05T00:00:00Z'],
    ['a-body-old', alpha, 'Orchard again', '<p>Another kiwi.</p>', '2024-01-02T00:00:00Z'],
    ['b-title', beta, 'Kiwi prices', '<p>Markets.</p>', '2024-01-03T00:00:00Z'],
    ['g-title', gamma, 'Kiwi compiler', '<p>Code.</p>', '2024-01-04T00:00:00Z'],
    // Markup written as text by the feed (escaped): it must come back as text, never as a tag.
    [
      'a-markup',
      alpha,
      null,
      '<p>Kiwi smoothie &lt;img src=x onerror=alert(1)&gt;</p>',
      '2023-12-01T00:00:00Z',
    ],
  ]
  for (const [key, feedId, title, content, date] of articles) {
    const { rows } = await db.query<{ id: string }>(
      'insert into articles (feed_id, item_key, title, content, published_at) values ($1, $2, $3, $4, $5) returning id',
      [feedId, key, title, content, date],
    )
    ids[key] = Number(rows[0]!.id)
  }
  ids.alpha = alpha
  ids.beta = beta
  ids.gamma = gamma
})

async function answer(channel: IpcChannel, request: unknown) {
  const handlers = env().app.handlers as Record<string, (r: unknown) => Promise<unknown>>
  return (await handlers[channel]!(request)) as
    { ok: true; data: unknown } | { ok: false; error: { message: string } }
}
const search = async (request: unknown): Promise<SearchPage> => {
  const result = await answer(IpcChannel.ArticlesSearch, request)
  if (!result.ok) throw new Error(result.error.message)
  return result.data as SearchPage
}
const keysOf = (page: SearchPage): string[] =>
  page.hits.map((h) => Object.keys(ids).find((k) => ids[k] === h.id)!)

describe('search scope and paging', () => {
  it('ranks across every feed without a scope', async () => {
    expect(keysOf(await search({ query: 'kiwi' }))).toEqual([
      'g-title',
      'b-title',
      'a-title',
      'a-body-new',
      'a-body-old',
      'a-markup',
    ])
  })

  it('keeps to one feed, in the same order, paging with the offset', async () => {
    expect(keysOf(await search({ query: 'kiwi', feedId: ids.alpha }))).toEqual([
      'a-title',
      'a-body-new',
      'a-body-old',
      'a-markup',
    ])
    const first = await search({ query: 'kiwi', feedId: ids.alpha, limit: 3 })
    expect(keysOf(first)).toEqual(['a-title', 'a-body-new', 'a-body-old'])
    expect(first.nextOffset).toBe(3)
    const second = await search({ query: 'kiwi', feedId: ids.alpha, limit: 3, offset: 3 })
    expect(keysOf(second)).toEqual(['a-markup'])
    expect(second.nextOffset).toBeNull()
  })

  it('keeps to one folder', async () => {
    expect(keysOf(await search({ query: 'kiwi', folder: 'News' }))).toEqual([
      'b-title',
      'a-title',
      'a-body-new',
      'a-body-old',
      'a-markup',
    ])
    expect(keysOf(await search({ query: 'kiwi', folder: 'Dev' }))).toEqual(['g-title'])
    expect((await search({ query: 'kiwi', folder: 'Nowhere' })).hits).toEqual([])
  })

  it('refuses a scope of both a feed and a folder', async () => {
    const result = await answer(IpcChannel.ArticlesSearch, {
      query: 'kiwi',
      feedId: ids.alpha,
      folder: 'News',
    })
    expect(result.ok).toBe(false)
  })

  it('returns escaped markup as plain text in the highlight, never as a tag', async () => {
    const [hit] = (await search({ query: 'smoothie' })).hits
    expect(hit!.title).toBeNull()
    expect(hit!.titleHighlight).toEqual([])
    const text = hit!.bodyHighlight.map((s) => s.text).join('')
    // ts_headline cuts fragments at words: the tag's start is enough to show it stays text.
    expect(text).toContain('<img src=x onerror=alert')
    expect(hit!.bodyHighlight.filter((s) => s.match).map((s) => s.text)).toEqual(['smoothie'])
  })
})

describe('starred count', () => {
  it('counts the starred articles, and follows a star and an unstar', async () => {
    const count = async (): Promise<number> => {
      const result = await answer(IpcChannel.ArticlesStarredCount, undefined)
      if (!result.ok) throw new Error(result.error.message)
      return result.data as number
    }
    expect(await count()).toBe(0)
    const mark = (id: number, isStarred: boolean) =>
      answer(IpcChannel.ArticlesMark, { articleId: id, isStarred })
    await mark(ids['a-title']!, true)
    await mark(ids['g-title']!, true)
    expect(await count()).toBe(2)
    await mark(ids['g-title']!, false)
    expect(await count()).toBe(1)
  })
})
