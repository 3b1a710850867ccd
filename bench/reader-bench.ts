/**
 * Reader actions at scale: full-text search latency on 100 000 stored articles, the time to mark
 * 10 000 read (and undo it) and the sidebar's unread counts, through the same service-role path the
 * IPC handlers use (supabase-js → gateway → PostgREST → the sql/011 and sql/023 functions and the
 * feed_unread_counts view). Baselines from the same run: one page of the article list, and marking
 * one article.
 *
 *   npx tsx bench/reader-bench.ts   (starts its own embedded stack)
 */
import { rmSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import pg from 'pg'
import { sqlDir } from '../src/core/config/app-root'
import { startLocalStack } from '../src/core/stack/local-stack'
import { createSupabaseClient } from '../src/core/storage/supabase-client'
import { createArticleSearch, type ArticleSearch } from '../src/core/storage/article-search'
import { createArticlesRepo } from '../src/core/storage/articles-repo'
import { createReadMarks } from '../src/core/storage/read-marks'
import { createFeedsRepo } from '../src/core/storage/feeds-repo'
import { makeDataDir } from './sync-bench'
import {
  elapsedNs,
  formatTable,
  median,
  ms,
  quantile,
  ratio,
  TARGET_HEADERS,
  targetRow,
  type Table,
  type TargetCheck,
} from './stats'

export const READER_TARGETS = { searchP95Ms: 50, markAllMs: 150, undoMs: 150, unreadCountsMs: 10 } as const

const ARTICLES = 100_000
const FEEDS = 100
const MARKED = 10_000
/** Shared with bench/scale-bench.ts: the same words, drawn the same way, searched the same way. */
export const VOCABULARY = 5_000
export const WORDS_PER_ARTICLE = 80
export const SEARCH_ROUNDS = 10
const MARK_ROUNDS = 5
const COUNT_ROUNDS = 100

export interface ReaderBenchOptions {
  url: string
  serviceRoleKey: string
  databaseUrl: string
}

export interface ReaderBenchResult {
  articles: number
  seedMs: number
  queries: number
  searchMs: { p50: number; p95: number; max: number; samples: number }
  commonWordMs: { p50: number; p95: number }
  listPageMs: number
  markAllMs: number
  undoMs: number
  markOneMs: number
  /** The sidebar's feeds with unread counts (feeds:list), median over COUNT_ROUNDS calls. */
  unreadCountsMs: number
  feeds: number
}

/** Where the seeded feeds point (port 9, discard: never fetched); how a later part finds the seed. */
const SEED_FEED_PREFIX = 'http://127.0.0.1:9/bench-'

/** w1 … w5000, every 50th with an accent (café50, …): what the seeds draw their words from. */
export const vocabularyWords = (): string[] =>
  Array.from({ length: VOCABULARY }, (_, i) => (i % 50 === 49 ? `café${i + 1}` : `w${i + 1}`))

/**
 * SQL for `count` words drawn log-uniformly from the vocabulary passed as $3 (its size as $4):
 * word = vocabulary[floor(V^random())]. The subquery names k (a column of the row being made) and
 * g so it runs per row, not once, and string_agg is its own.
 */
export const randomWordsSql = (count: string): string =>
  `(select string_agg(($3::text[])[least($4::int, floor(power($4::float, random()))::int + g * 0 + k * 0)], ' ') from generate_series(1, ${count}) g)`

/**
 * 100 000 articles in 10 batched INSERT … SELECTs, words drawn log-uniformly from a vocabulary
 * (a few words in nearly every article, most in few: roughly how words spread in real text),
 * some with accents. Feeds 1-10 are the folder "Ten thousand" (10 000 articles).
 */
export async function seedReaderArticles(db: pg.Pool): Promise<void> {
  await db.query(`select setseed(0.42)`)
  await db.query(
    `insert into feeds (url, title, folder)
     select $2 || n || '.xml', 'Bench feed ' || n, case when n <= 10 then 'Ten thousand' end
     from generate_series(1, $1::int) n`,
    [FEEDS, SEED_FEED_PREFIX],
  )
  const vocabulary = vocabularyWords()
  const perFeed = ARTICLES / FEEDS
  const words = randomWordsSql
  for (let batch = 0; batch < 10; batch++) {
    await db.query(
      `with f as (select id, row_number() over (order by id) as rn from feeds),
       a as (select f.id as feed_id, k from f, generate_series(1, $1::int) k where f.rn % 10 = $2)
       insert into articles (feed_id, item_key, title, author, content, published_at)
       select feed_id, 'k' || k, ${words('6')}, 'Author ' || (k % 97), '<p>' || ${words('$5::int')} || '</p>', now() - k * interval '1 minute'
       from a`,
      [perFeed, batch, vocabulary, VOCABULARY, WORDS_PER_ARTICLE],
    )
  }
  await db.query('analyze articles')
}

/**
 * The reader seed's articles, seeded now unless an earlier part of this run (the reader bench, on
 * the same stack) did; returns how many articles the database holds in all.
 */
export async function ensureReaderArticles(
  db: pg.Pool,
): Promise<{ seededMs: number | null; articles: number }> {
  const { rows } = await db.query<{ n: number }>(
    `select count(*)::int as n from articles a join feeds f on f.id = a.feed_id where f.url like $1 || '%'`,
    [SEED_FEED_PREFIX],
  )
  let seededMs: number | null = null
  if (rows[0]!.n === 0) {
    const t = process.hrtime.bigint()
    await seedReaderArticles(db)
    seededMs = msOf(t)
  } else if (rows[0]!.n !== ARTICLES) {
    throw new Error(`found ${rows[0]!.n} seeded articles, expected 0 or ${ARTICLES}`)
  }
  const all = await db.query<{ n: number }>('select count(*)::int as n from articles')
  return { seededMs, articles: all.rows[0]!.n }
}

/**
 * Words by how many documents hold them, from the tsvectors `vectors` selects (by default every
 * article's; the scale bench passes its pool of distinct bodies, which its articles repeat evenly).
 */
export async function queryWords(
  db: pg.Pool,
  documents: number,
  vectors = 'select search_vector from articles',
): Promise<{ rare: string[]; common: string }> {
  const { rows } = await db.query<{ word: string; ndoc: number }>(
    `select word, ndoc from ts_stat($1) order by ndoc desc`,
    [vectors],
  )
  // Distinctive words, the kind people search for: held by 0.05-2 % of articles.
  const distinctive = rows
    .filter((r) => r.ndoc >= documents * 0.0005 && r.ndoc <= documents * 0.02)
    .map((r) => r.word)
  const step = Math.max(1, Math.floor(distinctive.length / 40))
  return { rare: distinctive.filter((_, i) => i % step === 0).slice(0, 40), common: rows[0]!.word }
}

/** One-word, two-word (either), phrase-free AND of two, an exclusion and an accent-free spelling. */
export function searchQueries(rare: string[]): string[] {
  return [
    ...rare,
    ...rare.slice(0, 10).map((w, i) => `${w} ${rare[(i + 7) % rare.length]}`),
    ...rare.slice(0, 10).map((w, i) => `${w} or ${rare[(i + 3) % rare.length]}`),
    `${rare[0]} -${rare[1]}`,
    'cafe50',
    'café100',
  ]
}

/** Every query once to warm up (plans and pages), then `rounds` timed rounds of first pages of 20. */
export async function timeSearches(
  search: ArticleSearch,
  queries: string[],
  rounds = SEARCH_ROUNDS,
): Promise<{ p50: number; p95: number; max: number; samples: number }> {
  for (const query of queries) await search.search({ query })
  const samples: number[] = []
  for (let round = 0; round < rounds; round++) {
    for (const query of queries) {
      const t = process.hrtime.bigint()
      await search.search({ query, limit: 20 })
      samples.push(msOf(t))
    }
  }
  return {
    p50: quantile(samples, 0.5),
    p95: quantile(samples, 0.95),
    max: quantile(samples, 1),
    samples: samples.length,
  }
}

const msOf = (start: bigint): number => elapsedNs(start) / 1e6

export async function runReaderBench(options: ReaderBenchOptions): Promise<ReaderBenchResult> {
  const db = new pg.Pool({ connectionString: options.databaseUrl, max: 2 })
  const admin = createSupabaseClient({ url: options.url, key: options.serviceRoleKey })
  const search = createArticleSearch(admin)
  const articles = createArticlesRepo(admin)
  const readMarks = createReadMarks(admin)
  const feeds = createFeedsRepo(admin)
  try {
    const seeded = process.hrtime.bigint()
    await seedReaderArticles(db)
    const seedMs = msOf(seeded)

    const { rare, common } = await queryWords(db, ARTICLES)
    const queries = searchQueries(rare)
    const searchMs = await timeSearches(search, queries)
    const commonSamples: number[] = []
    for (let i = 0; i < 10; i++) {
      const t = process.hrtime.bigint()
      await search.search({ query: common, limit: 20 })
      commonSamples.push(msOf(t))
    }
    const listSamples: number[] = []
    for (let i = 0; i < 50; i++) {
      const t = process.hrtime.bigint()
      await articles.list({ limit: 20 })
      listSamples.push(msOf(t))
    }

    // The sidebar asks for every feed with its unread count on each refresh (feeds:list).
    for (let i = 0; i < 5; i++) await feeds.list() // warm-up
    const countSamples: number[] = []
    let listed = 0
    for (let i = 0; i < COUNT_ROUNDS; i++) {
      const t = process.hrtime.bigint()
      listed = (await feeds.list()).length
      countSamples.push(msOf(t))
    }

    const { rows } = await db.query<{ id: string }>('select id from articles order by id limit 1')
    const oneId = Number(rows[0]!.id)
    const markOne: number[] = []
    for (let i = 0; i < 50; i++) {
      const t = process.hrtime.bigint()
      await articles.mark(oneId, { isRead: i % 2 === 0 })
      markOne.push(msOf(t))
    }
    const markAll: number[] = []
    const undo: number[] = []
    for (let round = 0; round < MARK_ROUNDS; round++) {
      let t = process.hrtime.bigint()
      const result = await readMarks.markAllRead({ folder: 'Ten thousand' })
      markAll.push(msOf(t))
      if (result.marked !== MARKED) throw new Error(`marked ${result.marked}, expected ${MARKED}`)
      t = process.hrtime.bigint()
      await readMarks.undo(result.undoToken)
      undo.push(msOf(t))
    }

    return {
      articles: ARTICLES,
      seedMs,
      queries: queries.length,
      searchMs,
      commonWordMs: { p50: quantile(commonSamples, 0.5), p95: quantile(commonSamples, 0.95) },
      listPageMs: median(listSamples),
      markAllMs: median(markAll),
      undoMs: median(undo),
      markOneMs: median(markOne),
      unreadCountsMs: median(countSamples),
      feeds: listed,
    }
  } finally {
    await db.end()
  }
}

export function readerTargets(r: ReaderBenchResult): TargetCheck[] {
  return [
    {
      measure: `search p95 on ${r.articles.toLocaleString('en')} articles`,
      value: `${ms(r.searchMs.p95, 1)} (${ratio(r.searchMs.p95, r.listPageMs)} of a list page)`,
      target: `≤ ${ms(READER_TARGETS.searchP95Ms)}`,
      pass: r.searchMs.p95 <= READER_TARGETS.searchP95Ms,
    },
    {
      measure: `mark ${MARKED.toLocaleString('en')} read (one folder), median of ${MARK_ROUNDS}`,
      value: `${ms(r.markAllMs, 1)} (${ratio(r.markAllMs, r.markOneMs, 0)} of marking one)`,
      target: `≤ ${ms(READER_TARGETS.markAllMs)}`,
      pass: r.markAllMs <= READER_TARGETS.markAllMs,
    },
    {
      measure: `↳ undo it, median of ${MARK_ROUNDS}`,
      value: ms(r.undoMs, 1),
      target: `≤ ${ms(READER_TARGETS.undoMs)}`,
      pass: r.undoMs <= READER_TARGETS.undoMs,
    },
    {
      measure: `sidebar unread counts at ${r.articles.toLocaleString('en')} articles (${r.feeds} feeds), median of ${COUNT_ROUNDS}`,
      value: ms(r.unreadCountsMs, 1),
      target: `≤ ${ms(READER_TARGETS.unreadCountsMs)}`,
      pass: r.unreadCountsMs <= READER_TARGETS.unreadCountsMs,
    },
  ]
}

export function readerTables(r: ReaderBenchResult): Table[] {
  const [p95, markAll, undo, unreadCounts] = readerTargets(r).map(targetRow)
  return [
    {
      title: `Search and mark all read on ${r.articles.toLocaleString('en')} articles`,
      note:
        `Seeded in ${ms(r.seedMs)} (batched INSERT … SELECT, generated tsvector and GIN index maintained on the way). Search: ${r.queries} queries × ${SEARCH_ROUNDS} rounds ` +
        `of distinctive words (held by 0.05-2 % of articles), pairs, "or", an exclusion and accent-free spellings, first page of 20 with highlights, through supabase-js → PostgREST → search_articles. ` +
        `Mark all read and undo: one request each through mark_all_read / undo_mark_read on the read-state table (sql/023). ` +
        `Sidebar counts: feeds:list (feeds with unread_count from the trigger-kept counters), ${COUNT_ROUNDS} calls. ` +
        `Baselines from this run: a 20-row article list page, marking one article.`,
      headers: TARGET_HEADERS,
      rows: [
        p95!,
        [
          '↳ search p50 / max',
          `${ms(r.searchMs.p50, 1)} / ${ms(r.searchMs.max, 1)} (${r.searchMs.samples} samples)`,
          '—',
          '—',
        ],
        ['↳ list page (baseline)', ms(r.listPageMs, 1), '—', '—'],
        [
          'search for the commonest word (in ~every article) p50 / p95',
          `${ms(r.commonWordMs.p50, 1)} / ${ms(r.commonWordMs.p95, 1)}`,
          '—',
          '—',
        ],
        markAll!,
        undo!,
        ['↳ mark one article (baseline)', ms(r.markOneMs, 1), '—', '—'],
        unreadCounts!,
      ],
    },
  ]
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const dataDir = makeDataDir('tidings-reader-bench-')
  const stack = await startLocalStack({ dataDir, sqlDir: sqlDir() })
  try {
    const r = await runReaderBench({
      url: stack.url,
      serviceRoleKey: stack.serviceRoleKey,
      databaseUrl: stack.databaseUrl,
    })
    console.log(readerTables(r).map(formatTable).join('\n\n'))
  } finally {
    await stack.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
  process.exit(0)
}
