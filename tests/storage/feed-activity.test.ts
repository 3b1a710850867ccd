/**
 * sql/030 feed_activity() through feeds:activity of the real core, on hand-planted rows: articles
 * per week over the last 12 weeks and the newest article, exact.
 */
import { beforeEach, describe, expect, it } from 'vitest'
import { IpcChannel } from '../../src/shared/ipc-contract'
import { useReaderEnv } from '../reader/support'

const env = useReaderEnv()

beforeEach(() => env().db.query('truncate feeds restart identity cascade'))

async function feed(url: string): Promise<number> {
  const { rows } = await env().db.query<{ id: string }>(
    'insert into public.feeds (url) values ($1) returning id',
    [url],
  )
  return Number(rows[0]!.id)
}

/** `count` articles of `feedId` published `ago` before now (a Postgres interval). */
async function articles(feedId: number, count: number, ago: string, key: string): Promise<void> {
  await env().db.query(
    `insert into public.articles (feed_id, item_key, title, published_at)
     select $1, $2 || n, 'x', now() - $3::interval from generate_series(1, $4) n`,
    [feedId, key, ago, count],
  )
}

describe('feed activity', () => {
  it('counts the articles of the last 12 weeks per week and dates the newest; every feed has a row', async () => {
    const busy = await feed('http://127.0.0.1:9/busy.xml')
    const quiet = await feed('http://127.0.0.1:9/quiet.xml')
    const empty = await feed('http://127.0.0.1:9/empty.xml')
    const ahead = await feed('http://127.0.0.1:9/ahead.xml')
    // 30 within 12 weeks (30 / 12 = 2.5); 7 from 13 weeks ago do not count.
    await articles(busy, 20, '1 day', 'new')
    await articles(busy, 10, '80 days', 'mid')
    await articles(busy, 7, '13 weeks', 'old')
    // Only older ones: 0 per week, but its newest article is still dated.
    await articles(quiet, 3, '200 days', 'q')
    // A date in the future counts as now, once.
    await articles(ahead, 1, '-30 days', 'f')

    const answer = await env().app.handlers[IpcChannel.FeedsActivity](undefined)
    if (!answer.ok) throw new Error(answer.error.message)
    const byId = new Map(answer.data.map((row) => [row.feedId, row]))
    expect(answer.data).toHaveLength(4)
    expect(byId.get(busy)?.articlesPerWeek).toBe(2.5)
    expect(byId.get(quiet)?.articlesPerWeek).toBe(0)
    expect(byId.get(empty)).toEqual({ feedId: empty, articlesPerWeek: 0, lastArticleAt: null })
    expect(byId.get(ahead)?.articlesPerWeek).toBe(0.1)

    const { rows } = await env().db.query<{ busy: Date; quiet: Date }>(
      `select max(published_at) filter (where feed_id = $1) as busy, max(published_at) filter (where feed_id = $2) as quiet from public.articles`,
      [busy, quiet],
    )
    expect(byId.get(busy)?.lastArticleAt).toBe(rows[0]!.busy.toISOString())
    expect(byId.get(quiet)?.lastArticleAt).toBe(rows[0]!.quiet.toISOString())
    // The future one is dated no later than the answer.
    expect(Date.parse(byId.get(ahead)!.lastArticleAt!)).toBeLessThanOrEqual(Date.now())
  })
})
