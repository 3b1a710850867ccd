import { beforeEach, describe, expect, it } from 'vitest'
import { saveArticleBatch } from '../../src/core/storage/article-writer'
import { createSupabaseClient } from '../../src/core/storage/supabase-client'
import { parseFeed } from '../../src/core/sources/local/parse-feed'
import { IpcChannel } from '../../src/shared/ipc-contract'
import { useReaderEnv } from './support'

/** Episode positions (sql/027) and the Podcasts view's list, through the IPC handlers on a real stack. */
const env = useReaderEnv()
const ask = <C extends IpcChannel>(channel: C, request?: unknown) => env().app.handlers[channel](request)

const item = (n: number, enclosure: string, date: string): string =>
  `<item><title>Item ${n}</title><guid>item-${n}</guid><pubDate>${date}</pubDate>${enclosure}</item>`
const FEED = `<?xml version="1.0"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><title>Mixed</title>
${item(1, '<enclosure url="https://pod.example.org/1.mp3" type="audio/mpeg" length="10"/><itunes:duration>30:00</itunes:duration>', 'Mon, 01 Apr 2024 10:00:00 GMT')}
${item(2, '', 'Tue, 02 Apr 2024 10:00:00 GMT')}
${item(3, '<enclosure url="https://pod.example.org/3.mp4" type="video/mp4" length="10"/>', 'Wed, 03 Apr 2024 10:00:00 GMT')}
${item(4, '<enclosure url="https://pod.example.org/4.MP3?aid=rss" type="application/octet-stream"/>', 'Thu, 04 Apr 2024 10:00:00 GMT')}
${item(5, '<enclosure url="https://pod.example.org/5.m4a" type="audio/x-m4a"/>', 'Fri, 05 Apr 2024 10:00:00 GMT')}
</channel></rss>`

/** Stores the feed as a sync does; returns article ids by item number. */
async function store(): Promise<Map<number, number>> {
  const { db, stack } = env()
  const { rows } = await db.query<{ id: string }>(
    `insert into feeds (url) values ('https://pod.example.org/feed') returning id`,
  )
  const feedId = Number(rows[0]!.id)
  const parsed = parseFeed(new TextEncoder().encode(FEED), {
    feedUrl: 'https://pod.example.org/feed',
    fetchedAt: new Date('2024-05-01T12:00:00Z'),
  })
  await saveArticleBatch(
    createSupabaseClient({ url: stack.url, key: stack.serviceRoleKey }),
    parsed.items.map((i) => ({ feedId, item: i })),
    new Date(),
  )
  const ids = await db.query<{ id: string; title: string }>('select id, title from articles')
  return new Map(ids.rows.map((r) => [Number(r.title.replace('Item ', '')), Number(r.id)]))
}

beforeEach(() => env().db.query('truncate feeds restart identity cascade'))

describe('episode positions', () => {
  it('none until saved; a save is read back; a later save replaces it', async () => {
    const ids = await store()
    const articleId = ids.get(1)!
    expect(await ask(IpcChannel.PlaybackGet, { articleId })).toEqual({ ok: true, data: null })

    expect(
      await ask(IpcChannel.PlaybackSave, { articleId, positionS: 62.5, durationS: 1800, finished: false }),
    ).toEqual({ ok: true, data: { saved: true } })
    expect(await ask(IpcChannel.PlaybackGet, { articleId })).toMatchObject({
      ok: true,
      data: { articleId, positionS: 62.5, durationS: 1800, finished: false },
    })

    await ask(IpcChannel.PlaybackSave, { articleId, positionS: 1800, durationS: 1800, finished: true })
    const { rows } = await env().db.query('select position_s, duration_s, finished from article_playback')
    expect(rows).toEqual([{ position_s: 1800, duration_s: 1800, finished: true }])
  })

  it('an article that is gone is not saved, and its row goes with it', async () => {
    const ids = await store()
    const articleId = ids.get(1)!
    await ask(IpcChannel.PlaybackSave, { articleId, positionS: 10, finished: false })
    await env().db.query('delete from articles where id = $1', [articleId])
    expect((await env().db.query('select 1 from article_playback')).rowCount).toBe(0)
    expect(await ask(IpcChannel.PlaybackSave, { articleId, positionS: 20, finished: false })).toEqual({
      ok: true,
      data: { saved: false },
    })
  })

  it.each([
    [{ articleId: 1, positionS: -1, finished: false }],
    [{ articleId: 1, positionS: Number.NaN, finished: false }],
    [{ articleId: 1, positionS: 5, durationS: 0, finished: false }],
    [{ articleId: 1, positionS: 5 }],
    [{ articleId: 1, positionS: 5, finished: false, extra: 1 }],
  ])('rejects %j', async (request) => {
    expect(await ask(IpcChannel.PlaybackSave, request)).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    })
  })
})

describe('the Podcasts view', () => {
  it('lists audio episodes only, newest first, each with its playback state', async () => {
    const ids = await store()
    await ask(IpcChannel.PlaybackSave, {
      articleId: ids.get(1),
      positionS: 1080,
      durationS: 1800,
      finished: false,
    })
    await ask(IpcChannel.PlaybackSave, {
      articleId: ids.get(5),
      positionS: 600,
      durationS: 600,
      finished: true,
    })
    const page = await ask(IpcChannel.ArticlesList, { withAudio: true })
    expect(page.ok).toBe(true)
    if (!page.ok) return
    expect(page.data.articles.map((a) => [a.title, a.episode])).toEqual([
      ['Item 5', { positionS: 600, durationS: 600, finished: true }],
      ['Item 4', null],
      ['Item 1', { positionS: 1080, durationS: 1800, finished: false }],
    ])
  })

  it('the filter is inlined into the partial index: the view reads audio episodes only', async () => {
    await store()
    const client = await env().db.connect()
    try {
      // As PostgREST filters the computed column (has_audio=eq.true); seq scans off so a tiny table still shows the index can serve it.
      await client.query('begin; set local enable_seqscan = off')
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(
        `explain select a.id from public.articles a where public.has_audio(a) = 'true'
         order by a.published_at desc, a.id desc limit 51`,
      )
      expect(rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/articles_audio_published_idx/)
    } finally {
      await client.query('rollback')
      client.release()
    }
  })

  it('other lists carry no episode state', async () => {
    await store()
    const page = await ask(IpcChannel.ArticlesList, {})
    expect(page.ok && page.data.articles.every((a) => a.episode === undefined)).toBe(true)
  })
})
