import { beforeAll, describe, expect, it } from 'vitest'
import { IpcChannel } from '../../src/shared/ipc-contract'
import type { ArticlePage } from '../../src/shared/models'
import { FOLDERED_FEEDS, seedFeeds, useReaderEnv } from './support'

const env = useReaderEnv()
let feeds: number[]

beforeAll(async () => {
  feeds = await seedFeeds(
    env().db,
    // A folder whose name only differs in case is another folder.
    [...FOLDERED_FEEDS, { url: 'http://127.0.0.1:9/e.xml', folder: 'news' }],
    30,
  )
  await env().db.query(
    `update article_state set is_read = true where article_id in (select id from articles where feed_id = $1 and item_key in ('k1', 'k2'))`,
    [feeds[1]],
  )
})

const list = async (request: unknown): Promise<ArticlePage> => {
  const answer = await env().app.handlers[IpcChannel.ArticlesList](request)
  if (!answer.ok) throw new Error(answer.error.message)
  return answer.data as ArticlePage
}

/** Every page of a listing, following the cursor. */
async function listAll(request: Record<string, unknown>): Promise<ArticlePage['articles']> {
  const all: ArticlePage['articles'] = []
  let cursor: string | undefined
  do {
    const page = await list({ ...request, limit: 25, ...(cursor ? { cursor } : {}) })
    all.push(...page.articles)
    cursor = page.nextCursor ?? undefined
  } while (cursor)
  return all
}

describe('paging (articles:list cursor)', () => {
  it('neither skips nor repeats articles stamped in one batch (microsecond times, equal across feeds)', async () => {
    // seedFeeds stamps article n of every feed with the same now() - n minutes: ties at microsecond precision.
    const articles = await listAll({})
    expect(articles).toHaveLength(150)
    expect(new Set(articles.map((a) => a.id)).size).toBe(150)
  })

  it('refuses a cursor that is not one it made', async () => {
    const forged = Buffer.from(JSON.stringify(['2026-01-01T00:00:00Z",id.gt.0,"', 1])).toString('base64url')
    for (const cursor of [forged, 'not-base64-json', Buffer.from('[1,2]').toString('base64url')]) {
      expect(await env().app.handlers[IpcChannel.ArticlesList]({ cursor })).toMatchObject({
        ok: false,
        error: { code: 'invalid_input' },
      })
    }
  })
})

describe('a folder opened as a view (articles:list { folder })', () => {
  it('lists the articles of the folder’s feeds only, newest first, across pages', async () => {
    const articles = await listAll({ folder: 'News' })
    expect(articles).toHaveLength(60)
    expect(new Set(articles.map((a) => a.feedId))).toEqual(new Set([feeds[0], feeds[1]]))
    const times = articles.map((a) => Date.parse(a.publishedAt))
    expect(times).toEqual([...times].sort((a, b) => b - a))
    expect(new Set(articles.map((a) => a.id)).size).toBe(60)
  })

  it('combines with unread-only and oldest-first', async () => {
    const unread = await listAll({ folder: 'News', unreadOnly: true, sort: 'oldest' })
    expect(unread).toHaveLength(58)
    expect(unread.every((a) => !a.isRead)).toBe(true)
    const times = unread.map((a) => Date.parse(a.publishedAt))
    expect(times).toEqual([...times].sort((a, b) => a - b))
  })

  it('is exact about the name: another case is another folder, an unknown folder is empty', async () => {
    expect(new Set((await listAll({ folder: 'news' })).map((a) => a.feedId))).toEqual(new Set([feeds[4]]))
    expect(await list({ folder: 'Nowhere' })).toEqual({ articles: [], nextCursor: null })
  })

  it('refuses a feed and a folder together, and an empty folder name', async () => {
    for (const request of [
      { feedId: feeds[0], folder: 'News' },
      { folder: '   ' },
      { folder: 'x'.repeat(201) },
    ]) {
      expect(await env().app.handlers[IpcChannel.ArticlesList](request)).toMatchObject({
        ok: false,
        error: { code: 'invalid_input' },
      })
    }
  })
})
