/**
 * Where a sync's save time goes: the sync bench's 10 000 articles (its 200 feeds × 50 items, parsed
 * by our parser) stored again and again in the embedded stack, changing one thing at a time.
 *   npx tsx bench/save-path-bench.ts        (starts its own embedded stack)
 * `npm run bench` passes the stack it started. Only its own feeds (and articles) are created and removed.
 */
import { pathToFileURL } from 'node:url'
import pg from 'pg'
import { sqlDir } from '../src/core/config/app-root'
import { parseFeed } from '../src/core/sources/local/parse-feed'
import { startLocalStack, type LocalStack } from '../src/core/stack/local-stack'
import {
  ARTICLE_BATCH_SIZE,
  saveArticleBatch,
  toRow,
  type ArticleToSave,
} from '../src/core/storage/article-writer'
import { createSupabaseClient } from '../src/core/storage/supabase-client'
import { formatTable, median, ms, ratio, type Table } from './stats'
import { makeDataDir, removeBenchStack, rssFeed } from './sync-bench'

const FEEDS = 200
const ITEMS = 50
/** As the sync saves (sync-run.ts: DB_CONCURRENCY). */
const IN_FLIGHT = 4
const ROUNDS = 3
const URL_PREFIX = 'http://127.0.0.1:9/save-path-'

export interface SavePathOptions {
  url: string
  serviceRoleKey: string
  databaseUrl: string
}

export interface Measured {
  what: string
  ms: number[]
}

export interface SavePathResult {
  articles: number
  /** Through PostgREST with saveArticleBatch, as the sync saves; the first row is the sync's own setting. */
  rest: Measured[]
  /** The same INSERT … ON CONFLICT DO NOTHING RETURNING over direct connections. */
  direct: Measured
  /** One connection, one transaction per variant (rolled back), batches in turn: the database's own work. */
  database: Measured[]
  /** Re-saving rows that are all there already (a re-sync of changed feeds), as the sync does. */
  resave: Measured
  /** Main's share: building the rows (snippet included) and JSON, without sending. */
  mainMs: number[]
}

/** The columns a sync writes, as saveArticleBatch sends them. */
const INSERT = (snippet: 'main' | 'database', conflict: boolean) => `
  insert into public.articles (feed_id, item_key, title, url, author, summary, content, ${snippet === 'main' ? 'snippet, ' : ''}media, published_at, updated_at)
  select feed_id, item_key, title, url, author, summary, content, ${snippet === 'main' ? 'snippet, ' : ''}media, published_at, updated_at
  from json_populate_recordset(null::public.articles, $1)
  ${conflict ? 'on conflict (feed_id, item_key) do nothing' : ''}
  returning feed_id, item_key`

/** The rows saveArticleBatch sends for a batch of new articles (snippets included). */
const rowsOf = (batch: ArticleToSave[], stamp: string) => batch.map((article) => toRow(article, stamp))

const batchesOf = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size))

/** Runs `work` over the batches with `inFlight` workers taking the next batch as they finish. */
async function pool<T>(
  batches: T[][],
  inFlight: number,
  work: (batch: T[], worker: number) => Promise<void>,
) {
  const queue = [...batches]
  await Promise.all(
    Array.from({ length: inFlight }, async (_, worker) => {
      for (let batch = queue.shift(); batch; batch = queue.shift()) await work(batch, worker)
    }),
  )
}

export async function runSavePathBench(opts: SavePathOptions): Promise<SavePathResult> {
  const db = new pg.Pool({ connectionString: opts.databaseUrl, max: IN_FLIGHT })
  const admin = createSupabaseClient({ url: opts.url, key: opts.serviceRoleKey })
  try {
    await db.query(`delete from public.feeds where url like $1`, [`${URL_PREFIX}%`])
    const { rows: feedRows } = await db.query<{ id: string }>(
      `insert into public.feeds (url, title) select $1 || n || '.xml', 'Save path ' || n
       from generate_series(0, $2::int - 1) n order by n returning id`,
      [URL_PREFIX, FEEDS],
    )
    const fetchedAt = new Date()
    const items: ArticleToSave[] = feedRows.flatMap((row, n) =>
      parseFeed(Buffer.from(rssFeed(n, ITEMS)), { feedUrl: `${URL_PREFIX}${n}.xml`, fetchedAt }).items.map(
        (item) => ({ feedId: Number(row.id), item }),
      ),
    )
    const feedIds = feedRows.map((r) => Number(r.id))
    const clear = async () => {
      await db.query('delete from public.articles where feed_id = any($1)', [feedIds])
      await db.query('vacuum analyze public.articles')
    }
    const stored = async () =>
      Number(
        (await db.query('select count(*) from public.articles where feed_id = any($1)', [feedIds])).rows[0]
          .count,
      )
    /** Times `work` from empty, and checks it stored every article: every variant does the same work. */
    const timed = async (work: () => Promise<number | void>): Promise<number> => {
      await clear()
      const t = performance.now()
      const inserted = await work()
      const elapsed = performance.now() - t
      const count = inserted ?? (await stored())
      if (count !== items.length)
        throw new Error(`save-path bench: ${count} of ${items.length} articles stored`)
      return elapsed
    }
    const viaRest = (size: number, inFlight: number) => () =>
      pool(batchesOf(items, size), inFlight, async (batch) => {
        await saveArticleBatch(admin, batch, new Date())
      })
    const restVariants = [
      {
        what: `PostgREST, batches of ${ARTICLE_BATCH_SIZE}, ${IN_FLIGHT} in flight (the sync's setting)`,
        size: ARTICLE_BATCH_SIZE,
        inFlight: IN_FLIGHT,
      },
      {
        what: `PostgREST, batches of ${ARTICLE_BATCH_SIZE}, 1 in flight`,
        size: ARTICLE_BATCH_SIZE,
        inFlight: 1,
      },
      { what: `PostgREST, batches of 250, ${IN_FLIGHT} in flight`, size: 250, inFlight: IN_FLIGHT },
      { what: `PostgREST, batches of 1000, ${IN_FLIGHT} in flight`, size: 1000, inFlight: IN_FLIGHT },
      { what: `PostgREST, batches of 2000, 2 in flight`, size: 2000, inFlight: 2 },
    ]
    const databaseVariants: {
      what: string
      ddl: string[]
      snippet: 'main' | 'database'
      conflict: boolean
    }[] = [
      { what: 'as stored now (snippet from main)', ddl: [], snippet: 'main', conflict: true },
      {
        what: 'snippet computed by the database (before sql/024)',
        ddl: [],
        snippet: 'database',
        conflict: true,
      },
      {
        what: 'without the search GIN index',
        ddl: ['drop index public.articles_search_idx'],
        snippet: 'main',
        conflict: true,
      },
      {
        what: 'without the search vector (column and index)',
        ddl: ['alter table public.articles drop column search_vector'],
        snippet: 'main',
        conflict: true,
      },
      {
        what: "without the read-state rows (sql/023's insert trigger)",
        ddl: ['alter table public.articles disable trigger articles_add_state'],
        snippet: 'main',
        conflict: true,
      },
      {
        what: "without the retention tombstone check (sql/025's row trigger)",
        ddl: ['alter table public.articles disable trigger articles_skip_purged'],
        snippet: 'main',
        conflict: true,
      },
      { what: 'without ON CONFLICT (plain insert)', ddl: [], snippet: 'main', conflict: false },
    ]
    const result: SavePathResult = {
      articles: items.length,
      rest: restVariants.map((v) => ({ what: v.what, ms: [] })),
      direct: {
        what: `direct SQL, the same statement, batches of ${ARTICLE_BATCH_SIZE}, ${IN_FLIGHT} connections`,
        ms: [],
      },
      database: databaseVariants.map((v) => ({ what: v.what, ms: [] })),
      resave: { what: `re-save, every article already there (PostgREST, as the sync)`, ms: [] },
      mainMs: [],
    }
    for (let round = 0; round <= ROUNDS; round++) {
      const keep = round > 0 // round 0 warms caches and connections up, and is discarded
      const record = (m: Measured, value: number) => keep && m.ms.push(value)
      for (const [i, v] of restVariants.entries())
        record(result.rest[i]!, await timed(viaRest(v.size, v.inFlight)))
      record(
        result.direct,
        await timed(async () => {
          const stamp = new Date().toISOString()
          const clients = await Promise.all(Array.from({ length: IN_FLIGHT }, () => db.connect()))
          let inserted = 0
          try {
            await pool(batchesOf(items, ARTICLE_BATCH_SIZE), IN_FLIGHT, async (batch, worker) => {
              const reply = await clients[worker]!.query(INSERT('main', true), [
                JSON.stringify(rowsOf(batch, stamp)),
              ])
              inserted += reply.rowCount ?? 0
            })
          } finally {
            for (const c of clients) c.release()
          }
          return inserted
        }),
      )
      for (const [i, v] of databaseVariants.entries()) {
        await clear()
        const client = await db.connect()
        try {
          await client.query('begin')
          for (const statement of v.ddl) await client.query(statement)
          const stamp = new Date().toISOString()
          const payloads = batchesOf(items, ARTICLE_BATCH_SIZE).map((batch) =>
            JSON.stringify(
              rowsOf(batch, stamp).map((r) => (v.snippet === 'main' ? r : { ...r, snippet: null })),
            ),
          )
          const t = performance.now()
          let inserted = 0
          for (const payload of payloads)
            inserted += (await client.query(INSERT(v.snippet, v.conflict), [payload])).rowCount ?? 0
          const elapsed = performance.now() - t
          if (inserted !== items.length) throw new Error(`save-path bench: ${v.what} stored ${inserted}`)
          record(result.database[i]!, elapsed)
        } finally {
          await client.query('rollback')
          client.release()
        }
      }
      await timed(viaRest(ARTICLE_BATCH_SIZE, IN_FLIGHT))
      const t = performance.now()
      await viaRest(ARTICLE_BATCH_SIZE, IN_FLIGHT)()
      record(result.resave, performance.now() - t)
      const m = performance.now()
      const stamp = new Date().toISOString()
      for (const batch of batchesOf(items, ARTICLE_BATCH_SIZE)) JSON.stringify(rowsOf(batch, stamp))
      if (keep) result.mainMs.push(performance.now() - m)
    }
    return result
  } finally {
    await db.query(`delete from public.feeds where url like $1`, [`${URL_PREFIX}%`]).catch(() => {})
    await db.end()
  }
}

export function savePathTables(r: SavePathResult): Table[] {
  const sync = median(r.rest[0]!.ms)
  const base = median(r.database[0]!.ms)
  const row = (m: Measured, against: number, label: string) => [
    m.what,
    ms(median(m.ms)),
    ratio(median(m.ms), against),
    label,
  ]
  return [
    {
      title: `Save path: where storing ${r.articles} articles goes`,
      note:
        `The sync bench's articles (200 feeds × 50 items, parsed by our parser) stored from empty, changing one thing at a time; every variant checked to store all ${r.articles}. ` +
        `Medians of ${r.rest[0]!.ms.length} rounds after a discarded warm-up round. PostgREST and direct rows are wall clock with requests in flight together; ` +
        `the database rows run the same INSERT … ON CONFLICT DO NOTHING RETURNING on one connection in one transaction (rolled back), batches in turn: the database's own work, variant by variant. ` +
        `The icon step is not on this path: it runs after the feeds' work, in the app only (the CLI's sync has none), bounded by a 5 s budget and only for sites due (30 days after an icon was found).`,
      headers: ['what', 'median', 'ratio', 'against'],
      rows: [
        ...r.rest.map((m, i) => row(m, sync, i === 0 ? '—' : "the sync's setting")),
        row(r.direct, sync, "the sync's setting (PostgREST and its JSON: the difference)"),
        row(r.resave, sync, 'storing them new'),
        ...r.database.map((m, i) => row(m, base, i === 0 ? '—' : 'as stored now')),
        [
          "main's share: rows with snippets and their JSON, no sending",
          ms(median(r.mainMs)),
          ratio(median(r.mainMs), sync),
          "the sync's setting",
        ],
      ],
    },
  ]
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const dataDir = makeDataDir('tidings-bench-')
  let stack: LocalStack | null = null
  try {
    stack = await startLocalStack({ dataDir, sqlDir: sqlDir() })
    const r = await runSavePathBench({
      url: stack.url,
      serviceRoleKey: stack.serviceRoleKey,
      databaseUrl: stack.databaseUrl,
    })
    console.log(savePathTables(r).map(formatTable).join('\n\n'))
  } finally {
    await removeBenchStack(stack, dataDir)
  }
  process.exit(0)
}
