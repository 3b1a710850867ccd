/**
 * The failure patterns of Insights (issue #21) in plain words: "3 feeds have timed out, 40 of 42
 * failed fetches between 02:00 and 03:00 every night (your local time), over the last 7 days: A, B
 * and C". History counts hours in UTC; the reader is shown their own clock, and told so.
 */
import type { FailurePatterns, FetchErrorKind } from '../../../shared/insights'

/** What a feed "has …" when it fails this way. */
const HAS: Record<FetchErrorKind, string> = {
  dns: 'not been found (DNS)',
  timeout: 'timed out',
  '4xx': 'answered with a client error (4xx)',
  '5xx': 'had server errors',
  parse: 'not been readable as a feed',
  too_large: 'been too large',
  network: 'had network errors',
  other: 'failed',
}

/** The kind as a heading: "Timed out: 42 failed fetches from 3 feeds." */
export const KIND_LABEL: Record<FetchErrorKind, string> = {
  dns: 'Not found (DNS)',
  timeout: 'Timed out',
  '4xx': 'Client errors (4xx)',
  '5xx': 'Server errors (5xx)',
  parse: 'Not a readable feed',
  too_large: 'Too large',
  network: 'Network errors',
  other: 'Other errors',
}

/** A run of hours holds "most" failures from this share on. */
const CLUSTER_SHARE = 0.8
/** Wider than this, failures are spread over the day: no cluster. */
const CLUSTER_MAX_HOURS = 3
/** Fewer failures than this make no pattern worth a sentence. */
const CLUSTER_MIN_FAILURES = 3
const NAMED_MAX = 5
const DAY_MS = 86_400_000

export interface WordsOptions {
  now: Date
  /** The reader's offset from UTC in minutes (east positive: UTC+1 is 60). */
  offsetMinutes: number
  /** The range the figures cover. */
  days: number
}

const count = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`

/** "A", "A and B", "A, B, C, D, E and 3 more". */
function names(list: string[]): string {
  const shown = list.slice(0, NAMED_MAX)
  const rest = list.length - shown.length
  if (rest > 0) return `${shown.join(', ')} and ${rest} more`
  return shown.length <= 1 ? (shown[0] ?? '') : `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}`
}

/**
 * The narrowest run of consecutive UTC hours (midnight wraps) holding CLUSTER_SHARE of all failures,
 * at most CLUSTER_MAX_HOURS wide; the fullest (then earliest) run of that width. Null when spread out.
 */
export function hourCluster(byHour: number[]): { start: number; hours: number; failures: number } | null {
  const total = byHour.reduce((a, b) => a + b, 0)
  if (total === 0) return null
  for (let width = 1; width <= CLUSTER_MAX_HOURS; width++) {
    let best: { start: number; hours: number; failures: number } | null = null
    for (let start = 0; start < 24; start++) {
      let failures = 0
      for (let i = 0; i < width; i++) failures += byHour[(start + i) % 24] ?? 0
      if (!best || failures > best.failures) best = { start, hours: width, failures }
    }
    if (best && best.failures >= CLUSTER_SHARE * total) return best
  }
  return null
}

/** A UTC hour on the reader's clock: "02:00", "23:30". */
function localClock(utcHour: number, offsetMinutes: number): string {
  const minutes = (((utcHour * 60 + offsetMinutes) % 1440) + 1440) % 1440
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`
}

function partOfDay(localStartMinutes: number): string {
  const hour = Math.floor(localStartMinutes / 60)
  if (hour >= 23 || hour < 5) return 'night'
  if (hour < 12) return 'morning'
  if (hour < 17) return 'afternoon'
  return 'evening'
}

/**
 * The feeds a cluster is about: those failing in its hours with CLUSTER_SHARE of their own failures
 * there (a feed that failed once at noon is not "failing at night"), most failures there first.
 */
function clusterFeeds(
  patterns: FailurePatterns,
  cluster: { start: number; hours: number },
): { name: string; kind: FetchErrorKind; inside: number }[] {
  return patterns.hoursByFeed
    .map((feed) => {
      let inside = 0
      for (let i = 0; i < cluster.hours; i++) inside += feed.hours[(cluster.start + i) % 24] ?? 0
      const all = feed.hours.reduce((a, b) => a + b, 0)
      return { name: feed.name, kind: feed.kind, inside, all }
    })
    .filter((f) => f.inside > 0 && f.inside >= CLUSTER_SHARE * f.all)
    .sort((a, b) => b.inside - a.inside)
}

function clusterSentence(patterns: FailurePatterns, options: WordsOptions): string | null {
  const cluster = hourCluster(patterns.byHour)
  const total = patterns.byHour.reduce((a, b) => a + b, 0)
  if (!cluster) return null
  const feeds = clusterFeeds(patterns, cluster)
  const inside = feeds.reduce((sum, f) => sum + f.inside, 0)
  if (inside < CLUSTER_MIN_FAILURES) return null
  const localStart = (((cluster.start * 60 + options.offsetMinutes) % 1440) + 1440) % 1440
  const when =
    `between ${localClock(cluster.start, options.offsetMinutes)} and ` +
    `${localClock(cluster.start + cluster.hours, options.offsetMinutes)} every ${partOfDay(localStart)} (your local time)`
  const range = options.days === 1 ? 'the last day' : `the last ${options.days} days`
  // CLUSTER_MIN_FAILURES: always several fetches.
  const share = `${inside} of ${total} failed fetches`
  // Named by its kind only when it is the kind of every one of these feeds.
  const kinds = new Set(feeds.map((f) => f.kind))
  const [kind] = kinds.size === 1 ? kinds : []
  const [only] = feeds
  const subject = feeds.length === 1 && only ? `${only.name} has` : `${feeds.length} feeds have`
  const who = `${subject} ${kind ? HAS[kind] : 'failed'}`
  const listed = feeds.length > 1 && feeds.length <= NAMED_MAX ? `: ${names(feeds.map((f) => f.name))}` : ''
  return `${who}, ${share} ${when}, over ${range}${listed}.`
}

function failingSentences(patterns: FailurePatterns, now: Date): string[] {
  const groups = new Map<FetchErrorKind, FailurePatterns['failingFeeds']>()
  for (const feed of patterns.failingFeeds)
    groups.set(feed.errorKind, [...(groups.get(feed.errorKind) ?? []), feed])
  return [...groups].map(([kind, feeds]) => {
    const latest = Math.max(...feeds.map((f) => Date.parse(f.failingSince)))
    const days = Math.floor((now.getTime() - latest) / DAY_MS)
    const span = days < 1 ? 'for less than a day' : `for ${count(days, 'day')}`
    const [only] = feeds
    if (feeds.length === 1 && only)
      return `${only.name} has ${HAS[kind]} on every fetch ${span} (${only.streak} in a row).`
    const atLeast = days < 1 ? span : `for at least ${count(days, 'day')}`
    return `${feeds.length} feeds have ${HAS[kind]} on every fetch ${atLeast}: ${names(feeds.map((f) => f.name))}.`
  })
}

function flappingSentence(patterns: FailurePatterns): string | null {
  const feeds = patterns.flapping
  const [only] = feeds
  if (!only) return null
  if (feeds.length === 1)
    return `${only.name} keeps switching between working and failing (${count(only.transitions, 'change')}).`
  const listed = names(feeds.map((f) => `${f.name} (${count(f.transitions, 'change')})`))
  return `${feeds.length} feeds keep switching between working and failing: ${listed}.`
}

/** Every pattern worth saying, most telling first; one sentence when nothing failed. */
export function failureSentences(patterns: FailurePatterns, options: WordsOptions): string[] {
  const sentences = [
    clusterSentence(patterns, options),
    ...failingSentences(patterns, options.now),
    flappingSentence(patterns),
    ...[...patterns.byKind]
      .sort((a, b) => b.failures - a.failures)
      .map(
        (k) =>
          `${KIND_LABEL[k.kind]}: ${count(k.failures, 'failed fetch', 'failed fetches')} from ${count(k.feeds, 'feed')}.`,
      ),
  ].filter((s): s is string => s !== null)
  if (sentences.length > 0) return sentences
  return [`No feed failed in ${options.days === 1 ? 'the last day' : `the last ${options.days} days`}.`]
}
