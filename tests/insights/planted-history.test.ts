/**
 * The Insights figures (sql/033 through src/core/insights) on a planted 90-day history of 200
 * feeds, with failures planted at known hours: every figure is compared with the value this file
 * computes from its own plan (not by asking the database again).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readInsights } from '../../src/core/insights'
import type { Insights } from '../../src/shared/insights'
import { startSyncStack, type SyncStack } from '../sync/support'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const FEEDS = 200
const DAYS = 90
const ME = 'this-host'

let env: SyncStack
/** The moment the plan is relative to: syncs sit half an hour off the hour, far from a range's edge. */
const now = Date.now()
const utcDay = (t: number): string => new Date(t).toISOString().slice(0, 10)
const today = Date.parse(utcDay(now))
const weekStart = (t: number): number => {
  const day = Date.parse(utcDay(t))
  return day - ((new Date(day).getUTCDay() + 6) % 7) * DAY
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  const at = p * (sorted.length - 1)
  const lo = Math.floor(at)
  const hi = Math.ceil(at)
  return Math.round(sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo))
}

// ---- The plan: syncs ----------------------------------------------------------------------
interface PlannedSync {
  id: string
  finishedAt: number
  trigger: 'button' | 'schedule' | 'cli'
  device: string
  outcome: 'completed' | 'failed' | 'interrupted'
  durationMs: number
  articlesNew: number
  peakRss: number
  cpuMs: number
}
/** Every 3 hours for 90 days, half an hour past. */
const syncs: PlannedSync[] = Array.from({ length: (DAYS * 24) / 3 }, (_, i) => ({
  id: `sync_${(1000 + i).toString(36)}aaa_${String(i).padStart(22, 'x')}`,
  finishedAt: now - (i * 3 + 0.5) * HOUR,
  trigger: (['button', 'schedule', 'cli'] as const)[i % 3]!,
  device: i % 10 === 3 ? 'other-host' : ME,
  outcome: i % 50 === 7 ? 'failed' : i % 97 === 11 ? 'interrupted' : 'completed',
  durationMs: 800 + ((i * 37) % 1500),
  articlesNew: i % 11,
  peakRss: 100_000_000 + i * 1000,
  cpuMs: 200 + (i % 40),
}))

// ---- The plan: feeds and their days --------------------------------------------------------
interface PlannedDay {
  feed: number
  k: number // days ago (0 = today)
  fetches: number
  ok: number
  notModified: number
  failures: number
  newArticles: number
  bytes: number
  totalMsSum: number
  kinds: Partial<Record<string, number>>
  errorHours: number[] | null
  transitions: number
  firstOk: boolean
  lastOk: boolean
  streakFailures: number
  streakSince: number | null
  lastErrorKind: string | null
}

const FETCH_HOURS = [0, 3, 6, 9, 12, 15, 18, 21]
/** Feeds 0–9 fail every fetch of the last 3 days (0–4 DNS, 5–9 HTTP 5xx): failing, since 2 days ago 00:00. */
const failingNow = (f: number): boolean => f < 10
/** Feeds 10–19 fail at 12:00 UTC only, each of the last 20 days (timeouts): flapping, errors at hour 12. */
const flapper = (f: number): boolean => f >= 10 && f < 20
/** Feed 20 failed once, its latest fetch (4xx): not failing "repeatedly". */
const onceFailed = 20
const newPerDay = (f: number): number => f % 4
const bytesPerBody = (f: number): number => 1000 * (1 + (f % 17))

function plannedDay(f: number, k: number): PlannedDay {
  const day = today - k * DAY
  const outcomes = FETCH_HOURS.map((h) => {
    if (failingNow(f) && k <= 2) return { h, ok: false, kind: f < 5 ? 'dns' : '5xx' }
    if (flapper(f) && k < 20 && h === 12) return { h, ok: false, kind: 'timeout' }
    if (f === onceFailed && k === 0 && h === 21) return { h, ok: false, kind: '4xx' }
    return { h, ok: true, kind: null }
  })
  const failed = outcomes.filter((o) => !o.ok)
  const successes = outcomes.length - failed.length
  // Of the successes, the first (f % 3) + 1 returned a body, the rest a 304.
  const ok = Math.min(successes, (f % 3) + 1)
  let transitions = 0
  let streak = 0
  let streakSince: number | null = null
  outcomes.forEach((o, i) => {
    if (i > 0 && outcomes[i - 1]!.ok !== o.ok) transitions++
    if (o.ok) {
      streak = 0
      streakSince = null
    } else {
      streak++
      streakSince ??= day + o.h * HOUR
    }
  })
  const kinds: Partial<Record<string, number>> = {}
  for (const o of failed) kinds[o.kind!] = (kinds[o.kind!] ?? 0) + 1
  return {
    feed: f,
    k,
    fetches: outcomes.length,
    ok,
    notModified: successes - ok,
    failures: failed.length,
    newArticles: successes > 0 ? newPerDay(f) : 0,
    bytes: ok * bytesPerBody(f),
    totalMsSum: outcomes.length * (100 + f + (k % 7) * 10),
    kinds,
    errorHours: failed.length
      ? Array.from({ length: 24 }, (_, h) => failed.filter((o) => o.h === h).length)
      : null,
    transitions,
    firstOk: outcomes[0]!.ok,
    lastOk: outcomes.at(-1)!.ok,
    streakFailures: streak,
    streakSince,
    lastErrorKind: failed.at(-1)?.kind ?? null,
  }
}
const days: PlannedDay[] = []
for (let f = 0; f < FEEDS; f++) for (let k = 0; k < DAYS; k++) days.push(plannedDay(f, k))

/** Feeds 150–199 were subscribed 30 days ago; the others 200 days ago. */
const createdAt = (f: number): number => now - (f >= 150 ? 30 : 200) * DAY
/** Articles: feeds with new ones get one every 9 days (first seen 1 h past the hour); f % 4 = 0 old ones only. */
function plannedArticles(f: number): number[] {
  if (f % 8 === 0) return [] // never anything: dead when old enough
  if (f % 4 === 0) return [now - 190 * DAY, now - 185 * DAY] // last one 185 days ago: dead when old enough
  return Array.from({ length: 1 + (f % 5) }, (_, j) => now - (j * 9 + (f % 7)) * DAY - HOUR)
}

beforeAll(async () => {
  env = await startSyncStack()
  const feeds = Array.from({ length: FEEDS }, (_, f) => ({
    url: `http://127.0.0.1:9/planted/${f}.xml`,
    title: `Feed ${f}`,
    created_at: new Date(createdAt(f)).toISOString(),
  }))
  const { rows } = await env.db.query<{ id: string }>(
    `insert into feeds (url, title, created_at)
     select url, title, created_at from jsonb_to_recordset($1::jsonb) as x(url text, title text, created_at timestamptz)
     order by url returning id, url`,
    [JSON.stringify(feeds)],
  )
  expect(rows).toHaveLength(FEEDS)
  const ids = new Map(
    (await env.db.query<{ id: string; url: string }>('select id, url from feeds')).rows.map((r) => [
      r.url,
      Number(r.id),
    ]),
  )
  feedId = (f) => ids.get(feeds[f]!.url)!
  await env.db.query(
    `insert into sync_history (sync_id, finished_at, started_at, type, trigger, outcome, device, instance,
       duration_ms, articles_new, peak_rss_bytes, cpu_ms)
     select id, finished_at, finished_at - make_interval(secs => duration_ms / 1000.0), 'incremental', trigger,
       outcome, device, device || ':1:x', duration_ms, articles_new, peak_rss, cpu_ms
     from jsonb_to_recordset($1::jsonb) as x(id text, finished_at timestamptz, trigger text, outcome text,
       device text, duration_ms integer, articles_new integer, peak_rss bigint, cpu_ms integer)`,
    [
      JSON.stringify(
        syncs.map((s) => ({
          id: s.id,
          finished_at: new Date(s.finishedAt).toISOString(),
          trigger: s.trigger,
          outcome: s.outcome,
          device: s.device,
          duration_ms: s.durationMs,
          articles_new: s.articlesNew,
          peak_rss: s.peakRss,
          cpu_ms: s.cpuMs,
        })),
      ),
    ],
  )
  await env.db.query(
    `insert into feed_fetch_daily (feed_id, day, fetches, ok, not_modified, failures, new_articles, bytes,
       ttfb_ms_sum, total_ms_sum, err_dns, err_timeout, err_4xx, err_5xx, error_hours, transitions,
       first_ok, last_ok, streak_failures, streak_since, last_error_kind)
     select feed_id, day, fetches, ok, not_modified, failures, new_articles, bytes, total_ms_sum / 2,
       total_ms_sum, dns, timeout, c4xx, c5xx, error_hours, transitions, first_ok, last_ok,
       streak_failures, streak_since, last_error_kind
     from jsonb_to_recordset($1::jsonb) as x(feed_id bigint, day date, fetches integer, ok integer,
       not_modified integer, failures integer, new_articles integer, bytes bigint, total_ms_sum bigint,
       dns smallint, timeout smallint, c4xx smallint, c5xx smallint, error_hours smallint[],
       transitions integer, first_ok boolean, last_ok boolean, streak_failures integer,
       streak_since timestamptz, last_error_kind text)`,
    [
      JSON.stringify(
        days.map((d) => ({
          feed_id: feedId(d.feed),
          day: utcDay(today - d.k * DAY),
          fetches: d.fetches,
          ok: d.ok,
          not_modified: d.notModified,
          failures: d.failures,
          new_articles: d.newArticles,
          bytes: d.bytes,
          total_ms_sum: d.totalMsSum,
          dns: d.kinds.dns ?? 0,
          timeout: d.kinds.timeout ?? 0,
          c4xx: d.kinds['4xx'] ?? 0,
          c5xx: d.kinds['5xx'] ?? 0,
          error_hours: d.errorHours,
          transitions: d.transitions,
          first_ok: d.firstOk,
          last_ok: d.lastOk,
          streak_failures: d.streakFailures,
          streak_since: d.streakSince === null ? null : new Date(d.streakSince).toISOString(),
          last_error_kind: d.lastErrorKind,
        })),
      ),
    ],
  )
  const articles = Array.from({ length: FEEDS }, (_, f) =>
    plannedArticles(f).map((t, j) => ({ feed_id: feedId(f), key: `a${j}`, at: new Date(t).toISOString() })),
  ).flat()
  await env.db.query(
    `insert into articles (feed_id, item_key, published_at, created_at)
     select feed_id, key, at, at from jsonb_to_recordset($1::jsonb) as x(feed_id bigint, key text, at timestamptz)`,
    [JSON.stringify(articles)],
  )
  insights90 = await readInsights(env.admin, { days: 90, device: ME })
  insights30 = await readInsights(env.admin, { days: 30, device: ME })
}, 180_000)
afterAll(async () => {
  await env?.close()
})

let feedId: (f: number) => number
let insights90: Insights
let insights30: Insights

describe('sync trends', () => {
  for (const range of [90, 30]) {
    it(`counts the last ${range} days' syncs per day and week, failure rate and triggers`, () => {
      const insights = range === 90 ? insights90 : insights30
      const inRange = syncs.filter((s) => s.finishedAt > now - range * DAY)
      expect(insights.summary.syncs).toBe(inRange.length)
      expect(insights.summary.medianMs).toBe(
        percentile(
          inRange.map((s) => s.durationMs),
          0.5,
        ),
      )
      const failed = inRange.filter((s) => s.outcome !== 'completed').length
      expect(failed).toBeGreaterThan(0)
      expect(insights.trends.failureRate).toBeCloseTo(failed / inRange.length, 10)

      const perDay = new Map<string, { day: string; syncs: number; failed: number; newArticles: number }>()
      for (const s of inRange) {
        const day = utcDay(s.finishedAt)
        const e = perDay.get(day) ?? { day, syncs: 0, failed: 0, newArticles: 0 }
        e.syncs++
        e.failed += s.outcome === 'completed' ? 0 : 1
        e.newArticles += s.articlesNew
        perDay.set(day, e)
      }
      expect(insights.trends.perDay).toEqual([...perDay.values()].sort((a, b) => a.day.localeCompare(b.day)))

      const perWeek = new Map<string, number[]>()
      for (const s of inRange) {
        const week = utcDay(weekStart(s.finishedAt))
        perWeek.set(week, [...(perWeek.get(week) ?? []), s.durationMs])
      }
      expect(insights.trends.perWeek).toEqual(
        [...perWeek.entries()]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([week, d]) => ({
            week,
            syncs: d.length,
            medianMs: percentile(d, 0.5),
            p95Ms: percentile(d, 0.95),
          })),
      )

      const byTrigger = new Map<string, number>()
      for (const s of inRange) {
        const who = s.device === ME ? s.trigger : 'another-device'
        byTrigger.set(who, (byTrigger.get(who) ?? 0) + 1)
      }
      expect(insights.trends.byTrigger).toEqual(
        [...byTrigger.entries()]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([trigger, n]) => ({ trigger, syncs: n })),
      )
    })
  }
})

describe('failure patterns', () => {
  it('names the feeds failing repeatedly with their kind and since when, not the one that failed once', () => {
    const expected = Array.from({ length: 10 }, (_, f) => ({
      feedId: feedId(f),
      name: `Feed ${f}`,
      errorKind: f < 5 ? 'dns' : '5xx',
      failingSince: today - 2 * DAY,
      streak: 3 * FETCH_HOURS.length,
    }))
    const got = insights90.failures.failingFeeds.map((f) => ({
      ...f,
      failingSince: Date.parse(f.failingSince),
    }))
    expect(got).toEqual(expected)
    expect(insights90.summary.failingFeeds).toBe(10)
    expect(got.some((f) => f.feedId === feedId(onceFailed))).toBe(false)
  })

  for (const range of [90, 30]) {
    it(`groups the last ${range} days' failures by kind and by hour, and finds the flapping feeds`, () => {
      const insights = range === 90 ? insights90 : insights30
      const inRange = days.filter((d) => d.k < range)
      const kinds = new Map<string, { failures: number; feeds: Set<number> }>()
      for (const d of inRange)
        for (const [kind, n] of Object.entries(d.kinds)) {
          const e = kinds.get(kind) ?? { failures: 0, feeds: new Set<number>() }
          e.failures += n!
          e.feeds.add(d.feed)
          kinds.set(kind, e)
        }
      expect(insights.failures.byKind).toEqual(
        [...kinds.entries()]
          .map(([kind, e]) => ({ kind, failures: e.failures, feeds: e.feeds.size }))
          .sort((a, b) => b.failures - a.failures || a.kind.localeCompare(b.kind)),
      )

      const byHour = Array.from({ length: 24 }, () => 0)
      for (const d of inRange) d.errorHours?.forEach((n, h) => (byHour[h] = (byHour[h] ?? 0) + n))
      expect(insights.failures.byHour).toEqual(byHour)
      // Planted at noon: the flappers' 10 feeds × 20 days, and the failing feeds' own noon fetches.
      expect(byHour[12]).toBe(10 * 20 + 10 * 3)

      // Per feed: its failures per UTC hour and its most frequent kind (ties: the kind's name first).
      const perFeed = new Map<number, { hours: number[]; kinds: Map<string, number> }>()
      for (const d of inRange) {
        if (!d.errorHours) continue
        const e = perFeed.get(d.feed) ?? { hours: Array.from({ length: 24 }, () => 0), kinds: new Map() }
        d.errorHours.forEach((n, h) => (e.hours[h] = e.hours[h]! + n))
        for (const [kind, n] of Object.entries(d.kinds)) e.kinds.set(kind, (e.kinds.get(kind) ?? 0) + n!)
        perFeed.set(d.feed, e)
      }
      const hoursByFeed = [...perFeed.entries()]
        .map(([f, e]) => ({
          feedId: feedId(f),
          name: `Feed ${f}`,
          kind: [...e.kinds.entries()].sort(([a, m], [b, n]) => n - m || a.localeCompare(b))[0]![0],
          hours: e.hours,
          failures: e.hours.reduce((a, b) => a + b, 0),
        }))
        .sort((a, b) => b.failures - a.failures || a.feedId - b.feedId)
        .map(({ failures: _, ...rest }) => rest)
      expect(insights.failures.hoursByFeed).toEqual(hoursByFeed)
      // By hand: the failing feeds failed at each of their 8 fetch hours on 3 days, the flappers at
      // noon on 20 days, feed 20 once at 21:00; nobody else failed.
      const at = (cells: Record<number, number>): number[] =>
        Array.from({ length: 24 }, (_, h) => cells[h] ?? 0)
      const every3h = at(Object.fromEntries(FETCH_HOURS.map((h) => [h, 3])))
      const byFeed = new Map(insights.failures.hoursByFeed.map((e) => [e.feedId, e]))
      expect(byFeed.size).toBe(21)
      expect(byFeed.get(feedId(0))).toEqual({
        feedId: feedId(0),
        name: 'Feed 0',
        kind: 'dns',
        hours: every3h,
      })
      expect(byFeed.get(feedId(9))).toEqual({
        feedId: feedId(9),
        name: 'Feed 9',
        kind: '5xx',
        hours: every3h,
      })
      expect(byFeed.get(feedId(13))).toEqual({
        feedId: feedId(13),
        name: 'Feed 13',
        kind: 'timeout',
        hours: at({ 12: 20 }),
      })
      expect(byFeed.get(feedId(onceFailed))).toEqual({
        feedId: feedId(onceFailed),
        name: `Feed ${onceFailed}`,
        kind: '4xx',
        hours: at({ 21: 1 }),
      })
      expect(insights.failures.hoursByFeed.at(-1)!.feedId).toBe(feedId(onceFailed))

      const flapping: { feedId: number; name: string; transitions: number }[] = []
      for (let f = 0; f < FEEDS; f++) {
        const mine = inRange.filter((d) => d.feed === f).sort((a, b) => b.k - a.k)
        let n = 0
        mine.forEach((d, i) => {
          n += d.transitions
          if (i > 0 && mine[i - 1]!.lastOk !== d.firstOk) n++
        })
        if (n >= 4) flapping.push({ feedId: feedId(f), name: `Feed ${f}`, transitions: n })
      }
      expect(flapping.map((f) => f.feedId)).toEqual(Array.from({ length: 10 }, (_, i) => feedId(10 + i)))
      expect(insights.failures.flapping).toEqual(
        flapping.sort((a, b) => b.transitions - a.transitions || a.feedId - b.feedId),
      )
    })
  }
})

describe('feed health', () => {
  it('gives each feed its articles per week, last new article, fetch cost, and the dead and heavy flags', () => {
    const range = 90
    const thisWeek = weekStart(now)
    const weighed = Array.from({ length: FEEDS }, (_, f) => {
      const mine = days.filter((d) => d.feed === f && d.k < range)
      const bytes = mine.reduce((s, d) => s + d.bytes, 0)
      const news = mine.reduce((s, d) => s + d.newArticles, 0)
      return { f, perNew: bytes / Math.max(news, 1) }
    }).sort((a, b) => b.perNew - a.perNew || feedId(a.f) - feedId(b.f))
    const heavy = new Set(weighed.slice(0, Math.ceil(0.05 * FEEDS)).map((w) => w.f))
    expect(heavy.size).toBe(10)

    const expected = Array.from({ length: FEEDS }, (_, f) => {
      const mine = days.filter((d) => d.feed === f && d.k < range)
      const articles = plannedArticles(f)
      const perWeek = Array.from({ length: 12 }, () => 0)
      for (const t of articles) {
        const ago = Math.round((thisWeek - weekStart(t)) / (7 * DAY))
        if (ago < 12) perWeek[11 - ago]!++
      }
      const newestArticle = articles.length ? Math.max(...articles) : null
      const newDays = mine.filter((d) => d.newArticles > 0).map((d) => today - d.k * DAY)
      const newestDay = newDays.length ? Math.max(...newDays) : null
      const lastNew =
        newestArticle === null && newestDay === null ? null : Math.max(newestArticle ?? 0, newestDay ?? 0)
      const sum = (key: 'bytes' | 'ok' | 'notModified' | 'fetches' | 'newArticles'): number =>
        mine.reduce((s, d) => s + d[key], 0)
      return {
        feedId: feedId(f),
        name: `Feed ${f}`,
        articlesPerWeek: perWeek,
        lastNewArticleAt: lastNew,
        medianFetchMs: percentile(
          mine.map((d) => d.totalMsSum / d.fetches),
          0.5,
        ),
        bytesPerFetch: Math.round(sum('bytes') / sum('ok')),
        notModifiedShare: sum('notModified') / sum('fetches'),
        bytesPerNewArticle: Math.round(sum('bytes') / Math.max(sum('newArticles'), 1)),
        dead: createdAt(f) <= now - 180 * DAY && (lastNew === null || lastNew < now - 180 * DAY),
        heavy: heavy.has(f),
      }
    }).sort((a, b) => a.feedId - b.feedId)
    const got = insights90.feedHealth.feeds.map((r) => ({
      ...r,
      lastNewArticleAt: r.lastNewArticleAt === null ? null : Date.parse(r.lastNewArticleAt),
      notModifiedShare: r.notModifiedShare,
    }))
    for (const [i, row] of got.entries()) {
      const want = expected[i]!
      expect({ ...row, notModifiedShare: 0 }).toEqual({ ...want, notModifiedShare: 0 })
      expect(row.notModifiedShare).toBeCloseTo(want.notModifiedShare, 10)
    }
    const dead = expected.filter((e) => e.dead).length
    expect(dead).toBeGreaterThan(0)
    expect(insights90.summary.deadFeeds).toBe(dead)
  })
})

describe('resource use', () => {
  it("lists each sync's peak memory and CPU, newest first, and the database's size by part", () => {
    const inRange = syncs.filter((s) => s.finishedAt > now - 30 * DAY)
    expect(insights30.resources.perSync.map((s) => ({ ...s, finishedAt: Date.parse(s.finishedAt) }))).toEqual(
      inRange.map((s) => ({
        syncId: s.id,
        finishedAt: s.finishedAt,
        trigger: s.device === ME ? s.trigger : 'another-device',
        durationMs: s.durationMs,
        peakRssBytes: s.peakRss,
        cpuMs: s.cpuMs,
      })),
    )
    const db = insights30.resources.database
    expect(db.historyBytes).toBeGreaterThan(0)
    expect(db.searchIndexBytes).toBeGreaterThan(0)
    expect(db.articlesBytes).toBeGreaterThan(0)
    expect(db.totalBytes).toBeGreaterThan(db.historyBytes + db.articlesBytes + db.searchIndexBytes)
  })
})
