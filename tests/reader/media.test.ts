import { readFileSync } from 'node:fs'
import { beforeEach, describe, expect, it } from 'vitest'
import { createSupabaseClient } from '../../src/core/storage/supabase-client'
import { saveArticleBatch } from '../../src/core/storage/article-writer'
import { parseFeed } from '../../src/core/sources/local/parse-feed'
import { IpcChannel } from '../../src/shared/ipc-contract'
import { useReaderEnv } from './support'

const env = useReaderEnv()
const ask = <C extends IpcChannel>(channel: C, request?: unknown) => env().app.handlers[channel](request)
const FIXTURES = new URL('../fixtures/feeds/', import.meta.url)

/** Parses a real capture and stores it the way a sync does; returns the new feed's id. */
async function store(file: string): Promise<number> {
  const { db, stack } = env()
  const { rows } = await db.query<{ id: string }>('insert into feeds (url) values ($1) returning id', [
    `https://feeds.example.org/${file}`,
  ])
  const feedId = Number(rows[0]!.id)
  const parsed = parseFeed(readFileSync(new URL(file, FIXTURES)), {
    feedUrl: 'https://feeds.example.org/feed',
    fetchedAt: new Date('2024-05-01T12:00:00Z'),
  })
  await saveArticleBatch(
    createSupabaseClient({ url: stack.url, key: stack.serviceRoleKey }),
    parsed.items.map((item) => ({ feedId, item })),
    new Date(),
  )
  return feedId
}

async function articleOf(feedId: number, title: RegExp) {
  const { rows } = await env().db.query<{ id: string; title: string }>(
    'select id, title from articles where feed_id = $1',
    [feedId],
  )
  const row = rows.find((r) => title.test(r.title))!
  return ask(IpcChannel.ArticlesGet, { articleId: Number(row.id) })
}

beforeEach(() => env().db.query('truncate feeds restart identity cascade'))

describe('media is stored and served over IPC', () => {
  it('a podcast episode carries its enclosure', async () => {
    const feedId = await store('podcast/feed-rs__rss_2.0_nightvale.xml')
    expect(await articleOf(feedId, /./)).toMatchObject({
      ok: true,
      data: {
        media: {
          enclosures: [
            { url: expect.stringMatching(/nv221_intro\.mp3$/), type: 'audio/mpeg', length: 38749539 },
          ],
          thumbnail: null,
          description: null,
        },
      },
    })
  })

  it('a YouTube entry carries its thumbnail and description; an article without media has null', async () => {
    const feedId = await store('malformed/feedjira__youtube_atom.xml')
    expect(await articleOf(feedId, /Google app: Questions/)).toMatchObject({
      ok: true,
      data: {
        content: null,
        media: {
          enclosures: [],
          thumbnail: 'https://i2.ytimg.com/vi/5shykyfmb28/hqdefault.jpg',
          description: expect.stringMatching(/^A question is/),
        },
      },
    })
    const plain = await store('atom/rss-parser__heise.atom')
    expect(await articleOf(plain, /./)).toMatchObject({ ok: true, data: { media: null } })
  })
})
