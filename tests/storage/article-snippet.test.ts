import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { parseFeed } from '../../src/core/sources/local/parse-feed'
import { articleSnippet } from '../../src/core/storage/article-snippet'
import { saveArticleBatch } from '../../src/core/storage/article-writer'
import { createSupabaseClient } from '../../src/core/storage/supabase-client'
import { useReaderEnv } from '../reader/support'

const env = useReaderEnv()
const FIXTURES = fileURLToPath(new URL('../fixtures/feeds', import.meta.url))

/** sql/012's generated column, the snippet every row had before main computed it. */
const SQL_SNIPPET = `left(btrim(regexp_replace(regexp_replace(regexp_replace(left(coalesce(b.content, b.summary, ''), 20000),
    '<{1,1}?(script|style)\\M.*?</(script|style)\\s*>', ' ', 'gi'), '<[^>]*>', ' ', 'g'), '\\s+', ' ', 'g')), 300)`

interface Body {
  content: string | null
  summary: string | null
}

function corpusBodies(): Body[] {
  const files = readdirSync(FIXTURES, { recursive: true, encoding: 'utf8' }).filter((f) =>
    /\.(xml|json|rss|atom|rdf)$/.test(f),
  )
  return files.flatMap((file) => {
    try {
      const feed = parseFeed(readFileSync(join(FIXTURES, file)), {
        feedUrl: 'https://corpus.example/feed',
        fetchedAt: new Date('2026-01-01T00:00:00Z'),
      })
      return feed.items.map(({ content, summary }) => ({ content, summary }))
    } catch {
      return [] // malformed beyond recovery: no items to store
    }
  })
}

const CRAFTED: Body[] = [
  { content: `<p>a</p><SCRIPT type="x">var s = "<p>no</p>";\n</script >b<style>p{}</style>c`, summary: 'x' },
  { content: '<scriptx>kept</scriptx> and <script>gone</script> and <script>open', summary: null },
  { content: null, summary: '  <b>Only</b>\t\n a   summary\f ' },
  { content: null, summary: null },
  { content: '', summary: 'not used: the content is there, if empty' },
  { content: `${'😀'.repeat(299)}é<i>x</i>${'😀'.repeat(10)}`, summary: null },
  { content: `<p>${'word '.repeat(5000)}</p>`, summary: null },
  { content: `a\u00a0\u00a0b\u2028c <p>d</p>`, summary: null },
  { content: `${'x'.repeat(19_998)}<script>cut at 20000`, summary: null },
]

describe('article snippet', () => {
  it('is what the database computed before, for every item of the feed corpus and the edge cases', async () => {
    const bodies = [...corpusBodies(), ...CRAFTED]
    expect(bodies.length).toBeGreaterThan(500)
    const { rows } = await env().db.query<{ snippet: string }>(
      `select ${SQL_SNIPPET} as snippet
       from unnest($1::text[], $2::text[]) with ordinality as b(content, summary, n) order by n`,
      [bodies.map((b) => b.content), bodies.map((b) => b.summary)],
    )
    const differing = bodies
      .map((b, i) => ({ ...b, main: articleSnippet(b.content, b.summary), database: rows[i]!.snippet }))
      .filter((d) => d.main !== d.database)
    expect(differing).toEqual([])
  })

  it('is stored by the sync, and filled by the database for rows written without one', async () => {
    const { stack, db } = env()
    const admin = createSupabaseClient({ url: stack.url, key: stack.serviceRoleKey })
    const {
      rows: [feed],
    } = await db.query<{ id: number }>(
      `insert into feeds (url) values ('http://127.0.0.1:9/snippet.xml') returning id::integer`,
    )
    if (!feed) throw new Error('no feed')
    const item = (key: string, content: string) => ({
      key,
      title: key,
      url: null,
      author: null,
      summary: null,
      content,
      publishedAt: '2026-01-01T00:00:00.000Z',
      dateKnown: true,
      media: null,
    })
    await saveArticleBatch(
      admin,
      [{ feedId: feed.id, item: item('synced', '<p>From  the\nsync</p>') }],
      new Date(),
    )
    await db.query(
      `insert into articles (feed_id, item_key, content, published_at) values ($1, 'by-sql', '<b>By</b> SQL', now())`,
      [feed.id],
    )
    const snippets = async () =>
      Object.fromEntries(
        (await db.query('select item_key, snippet from articles where feed_id = $1', [feed.id])).rows.map(
          (r: { item_key: string; snippet: string }) => [r.item_key, r.snippet],
        ),
      )
    expect(await snippets()).toEqual({ synced: 'From the sync', 'by-sql': 'By SQL' })
    // An edit that leaves the snippet as it was gets it recomputed; one that sends its own keeps it.
    await db.query(
      `update articles set content = '<i>Edited</i>' where feed_id = $1 and item_key = 'by-sql'`,
      [feed.id],
    )
    await saveArticleBatch(
      admin,
      [{ feedId: feed.id, item: item('synced', '<p>Edited   too</p>') }],
      new Date(),
    )
    expect(await snippets()).toEqual({ synced: 'Edited too', 'by-sql': 'Edited' })
  })
})
