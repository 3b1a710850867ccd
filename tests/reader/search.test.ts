import { beforeAll, describe, expect, it } from 'vitest'
import { EXIT } from '../../src/cli/cli-kit'
import { searchCommand } from '../../src/cli/commands/search'
import { IpcChannel } from '../../src/shared/ipc-contract'
import type { SearchPage } from '../../src/shared/models'
import { runCli, useReaderEnv } from './support'

const env = useReaderEnv()

beforeAll(async () => {
  const { db } = env()
  const { rows } = await db.query<{ id: string }>(
    `insert into feeds (url, title) values ('http://127.0.0.1:9/s.xml', 'S') returning id`,
  )
  const feedId = rows[0]!.id
  const articles: [string, string | null, string, string][] = [
    ['Un café à Paris', 'Zoé Dupont', '<p>Where to drink coffee &amp; read.</p>', '2024-01-03T00:00:00Z'],
    [
      'Gardening notes',
      'Sam',
      '<script>ignored()</script><p>Tomatoes need <b>sunlight</b> and a little coffee grounds.</p><style>p { hidden: 1 }</style><p>Harvest</p>',
      '2024-01-02T00:00:00Z',
    ],
    ['Coffee roasting', null, '<p>How beans become coffee.</p>', '2024-01-01T00:00:00Z'],
    [
      'Unrelated',
      'Sam',
      '<p>Nothing to see <span class="marker">\uE000here\uE001</span>.</p>',
      '2024-01-04T00:00:00Z',
    ],
  ]
  for (const [i, [title, author, content, date]] of articles.entries()) {
    await db.query(
      'insert into articles (feed_id, item_key, title, author, content, published_at) values ($1, $2, $3, $4, $5, $6)',
      [feedId, `k${i}`, title, author, content, date],
    )
  }
})

const search = async (request: unknown): Promise<SearchPage> => {
  const answer = await env().app.handlers[IpcChannel.ArticlesSearch](request)
  if (!answer.ok) throw new Error(answer.error.message)
  return answer.data
}
const plain = (segments: { text: string }[]): string => segments.map((s) => s.text).join('')

describe('search (IPC, service role)', () => {
  it('finds an article by a word in its body, highlighted as plain-text segments', async () => {
    const { hits } = await search({ query: 'tomatoes' })
    expect(hits.map((h) => h.title)).toEqual(['Gardening notes'])
    expect(hits[0]!.bodyHighlight).toContainEqual({ text: 'Tomatoes', match: true })
    expect(plain(hits[0]!.bodyHighlight)).not.toMatch(/<|ignored|hidden/)
    expect(plain(hits[0]!.bodyHighlight)).toMatch(/Harvest/)
    expect((await search({ query: 'ignored' })).hits).toEqual([])
  })

  it('ranks title matches above body matches, and ignores accents both ways', async () => {
    expect((await search({ query: 'coffee' })).hits.map((h) => h.title)).toEqual([
      'Coffee roasting',
      'Un café à Paris',
      'Gardening notes',
    ])
    const cafe = await search({ query: 'cafe' })
    expect(cafe.hits.map((h) => h.title)).toEqual(['Un café à Paris'])
    expect(cafe.hits[0]!.titleHighlight).toEqual([
      { text: 'Un ', match: false },
      { text: 'café', match: true },
      { text: ' à Paris', match: false },
    ])
    expect((await search({ query: 'zoe' })).hits.map((h) => h.author)).toEqual(['Zoé Dupont'])
  })

  it('reads web search syntax: exclusions, phrases, or; pages with an offset', async () => {
    expect((await search({ query: 'coffee -tomatoes -paris' })).hits.map((h) => h.title)).toEqual([
      'Coffee roasting',
    ])
    expect((await search({ query: '"coffee grounds"' })).hits.map((h) => h.title)).toEqual([
      'Gardening notes',
    ])
    expect((await search({ query: 'tomatoes or roasting' })).hits).toHaveLength(2)
    const first = await search({ query: 'coffee', limit: 2 })
    expect(first.nextOffset).toBe(2)
    expect((await search({ query: 'coffee', limit: 2, offset: 2 })).hits.map((h) => h.title)).toEqual([
      'Gardening notes',
    ])
  })

  it('never lets the feed fake a highlight with the marker characters', async () => {
    const { hits } = await search({ query: 'nothing' })
    expect(hits[0]!.bodyHighlight.filter((s) => s.match).map((s) => s.text)).toEqual(['Nothing'])
  })
})

describe('search (CLI)', () => {
  it('prints ranked hits; no words exits 2', async () => {
    expect((await runCli(env().stack, searchCommand, [])).code).toBe(EXIT.badInput)
    const out = await runCli(env().stack, searchCommand, ['coffee', 'roasting'])
    expect(out).toMatchObject({ code: EXIT.ok, lines: [{ hits: [{ title: 'Coffee roasting' }] }] })
  })
})

describe('article list (IPC)', () => {
  it('carries a one-line plain-text snippet and sorts oldest first on request, paging with the cursor', async () => {
    const page = async (request: unknown) => {
      const answer = await env().app.handlers[IpcChannel.ArticlesList](request)
      if (!answer.ok) throw new Error(answer.error.message)
      return answer.data
    }
    const newest = await page({})
    expect(newest.articles.map((a) => a.title)).toEqual([
      'Unrelated',
      'Un café à Paris',
      'Gardening notes',
      'Coffee roasting',
    ])
    expect(newest.articles[1]!.snippet).toBe('Where to drink coffee & read.')
    expect(newest.articles[2]!.snippet).toBe('Tomatoes need sunlight and a little coffee grounds. Harvest')
    const first = await page({ sort: 'oldest', limit: 2 })
    expect(first.articles.map((a) => a.title)).toEqual(['Coffee roasting', 'Gardening notes'])
    const second = await page({ sort: 'oldest', limit: 2, cursor: first.nextCursor })
    expect(second.articles.map((a) => a.title)).toEqual(['Un café à Paris', 'Unrelated'])
  })
})
