/**
 * Insights (issue #21): how syncing went over a range of days (charts, each with its numbers in
 * words), the failure patterns in plain words, and every feed with its health figures in Manage
 * feeds' table, filtered to the dead, heavy or failing ones for pruning.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useMemo, useState, type ReactElement } from 'react'
import { formatBytes, formatDuration, plural } from '../../../shared/format'
import { insightsSummaryLine, type Insights } from '../../../shared/insights'
import type { Account } from '../../../shared/accounts'
import type { Feed } from '../../../shared/models'
import { call, errorMessage, getApi } from '../lib/api'
import { INSIGHTS_COLUMNS, INSIGHTS_FILTERS } from '../lib/insights-columns'
import { failureSentences } from '../lib/insights-words'
import { Dialog } from './Dialog'
import { ManageFeedsView } from './ManageFeedsView'
import { RetryableError } from './RetryableError'
import { UPlotChart, type ChartSeries } from './UPlotChart'
import '../styles/insights.css'

export const INSIGHTS_RANGES = [7, 30, 90, 180] as const

interface Props {
  feeds: Feed[]
  accounts: Account[]
  folders: string[]
  onClose(): void
  onChanged(): void
  onRetry(feedIds: number[]): void
}

const SYNC_SERIES: ChartSeries[] = [
  { label: 'Syncs', color: 'var(--accent)', kind: 'bars' },
  { label: 'Failed', color: 'var(--bad)', kind: 'bars' },
]
const DURATION_SERIES: ChartSeries[] = [
  { label: 'Median', color: 'var(--accent)', kind: 'line' },
  { label: '95th percentile', color: 'var(--warn)', kind: 'line' },
]
const ARTICLE_SERIES: ChartSeries[] = [{ label: 'New articles', color: 'var(--ok)', kind: 'bars' }]
const RESOURCE_SERIES: ChartSeries[] = [
  { label: 'Peak memory', color: 'var(--accent)', kind: 'line' },
  { label: 'CPU time', color: 'var(--warn)', kind: 'line', right: true },
]
const MB = 1024 * 1024
const seconds = (iso: string): number => Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso) / 1000
const dayLabel = (day: string): string =>
  new Date(`${day}T00:00:00Z`).toLocaleDateString(undefined, {
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  })
const msLabel = (ms: number): string => formatDuration(ms / 1000)
const mbLabel = (mb: number): string => `${Math.round(mb)} MB`
const cpuLabel = (s: number): string => formatDuration(s)
const median = (values: number[]): number | null => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted.length === 0 ? null : (sorted[Math.floor((sorted.length - 1) / 2)] ?? null)
}
const busiest = <T,>(rows: T[], value: (row: T) => number): T | undefined =>
  rows.reduce<T | undefined>(
    (best, row) => (best === undefined || value(row) > value(best) ? row : best),
    undefined,
  )

/** Each chart's data and its caption (the numbers a reader would take from it). */
function charts(insights: Insights) {
  const { perDay, perWeek, failureRate } = insights.trends
  const range = insights.days === 1 ? 'the last day' : `the last ${insights.days} days`
  const syncs = perDay.reduce((n, d) => n + d.syncs, 0)
  const failed = perDay.reduce((n, d) => n + d.failed, 0)
  const topSyncs = busiest(perDay, (d) => d.syncs)
  const newArticles = perDay.reduce((n, d) => n + d.newArticles, 0)
  const topArticles = busiest(perDay, (d) => d.newArticles)
  const lastWeek = perWeek.at(-1)
  const slowest = busiest(perWeek, (w) => w.medianMs)
  const perSync = [...insights.resources.perSync].reverse()
  const rss = perSync.flatMap((s) => (s.peakRssBytes === null ? [] : [s.peakRssBytes]))
  const rssMedian = median(rss)
  const cpu = perSync.flatMap((s) => (s.cpuMs === null ? [] : [s.cpuMs]))
  return {
    syncs: {
      data: [perDay.map((d) => seconds(d.day)), perDay.map((d) => d.syncs), perDay.map((d) => d.failed)] as [
        number[],
        ...number[][],
      ],
      caption:
        syncs === 0 || !topSyncs
          ? `No syncs in ${range}.`
          : `${plural(syncs, 'sync')} in ${range}, ${failed} failed (${Math.round(failureRate * 100)} %); ` +
            `busiest day ${dayLabel(topSyncs.day)} with ${topSyncs.syncs}.`,
    },
    durations: {
      data: [
        perWeek.map((w) => seconds(w.week)),
        perWeek.map((w) => w.medianMs),
        perWeek.map((w) => w.p95Ms),
      ] as [number[], ...number[][]],
      caption:
        lastWeek && slowest
          ? `Week of ${dayLabel(lastWeek.week)}: median ${msLabel(lastWeek.medianMs)}, 95th percentile ` +
            `${msLabel(lastWeek.p95Ms)}; slowest week's median ${msLabel(slowest.medianMs)} (week of ${dayLabel(slowest.week)}).`
          : `No finished syncs in ${range}.`,
    },
    articles: {
      data: [perDay.map((d) => seconds(d.day)), perDay.map((d) => d.newArticles)] as [
        number[],
        ...number[][],
      ],
      caption:
        newArticles === 0 || !topArticles
          ? `No new articles in ${range}.`
          : `${plural(newArticles, 'new article')} in ${range}; busiest day ${dayLabel(topArticles.day)} with ${topArticles.newArticles}.`,
    },
    resources: {
      data: [
        perSync.map((s) => seconds(s.finishedAt)),
        perSync.map((s) => (s.peakRssBytes === null ? null : s.peakRssBytes / MB)),
        perSync.map((s) => (s.cpuMs === null ? null : s.cpuMs / 1000)),
      ] as [number[], ...(number | null)[][]],
      caption:
        rssMedian === null
          ? `No memory figures in ${range}.`
          : `Peak memory of a sync up to ${formatBytes(Math.max(...rss))} (median ${formatBytes(rssMedian)}); ` +
            `CPU time up to ${formatDuration(Math.max(0, ...cpu) / 1000)} per sync, over ${plural(perSync.length, 'sync')}.`,
    },
  }
}

export function InsightsView({ feeds, accounts, folders, onClose, onChanged, onRetry }: Props): ReactElement {
  const client = useQueryClient()
  const [days, setDays] = useState<number>(30)
  const insights = useQuery({
    queryKey: ['insights', days],
    queryFn: () => call(() => getApi().insightsGet({ days })),
  })
  const data = insights.data
  const shown = useMemo(() => (data ? charts(data) : null), [data])
  const sentences = useMemo(
    () =>
      data
        ? failureSentences(data.failures, {
            now: new Date(data.generatedAt),
            offsetMinutes: -new Date().getTimezoneOffset(),
            days: data.days,
          })
        : [],
    [data],
  )
  const health = useMemo(() => new Map((data?.feedHealth.feeds ?? []).map((f) => [f.feedId, f])), [data])
  const db = data?.resources.database

  return (
    <Dialog title="Insights" onClose={onClose} testId="insights" wide>
      <div className="insights-head">
        <div className="insights-range" role="group" aria-label="Range">
          {INSIGHTS_RANGES.map((d) => (
            <button
              key={d}
              type="button"
              className="btn btn-small"
              aria-pressed={days === d}
              onClick={() => setDays(d)}
              data-testid={`insights-range-${d}`}
            >
              {d} days
            </button>
          ))}
        </div>
        <p className="muted" role="status" data-testid="insights-summary">
          {data ? insightsSummaryLine(data.summary) : insights.isPending ? 'Loading…' : ''}
        </p>
      </div>
      {insights.error && (
        <RetryableError
          message={`Could not load insights: ${errorMessage(insights.error)}`}
          onRetry={() => void insights.refetch()}
        />
      )}
      {shown && (
        <>
          <h3>Syncs</h3>
          <div className="insights-charts">
            <section aria-label="Syncs per day">
              <h4>Syncs per day</h4>
              <UPlotChart testId="chart-syncs" series={SYNC_SERIES} {...shown.syncs} />
            </section>
            <section aria-label="Sync duration per week">
              <h4>Duration per week</h4>
              <UPlotChart
                testId="chart-durations"
                series={DURATION_SERIES}
                format={msLabel}
                {...shown.durations}
              />
            </section>
            <section aria-label="New articles per day">
              <h4>New articles per day</h4>
              <UPlotChart testId="chart-articles" series={ARTICLE_SERIES} {...shown.articles} />
            </section>
            <section aria-label="Memory and CPU per sync">
              <h4>Memory and CPU per sync</h4>
              <UPlotChart
                testId="chart-resources"
                series={RESOURCE_SERIES}
                format={mbLabel}
                formatRight={cpuLabel}
                {...shown.resources}
              />
            </section>
          </div>
          {db && (
            <p className="muted small" data-testid="insights-database">
              Database {formatBytes(db.totalBytes)}: articles {formatBytes(db.articlesBytes)}, search index{' '}
              {formatBytes(db.searchIndexBytes)}, history {formatBytes(db.historyBytes)}.
            </p>
          )}
          <h3>Failure patterns</h3>
          <ul className="insights-patterns" data-testid="insights-patterns">
            {sentences.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ul>
        </>
      )}
      <h3>Feeds</h3>
      <ManageFeedsView
        embedded
        feeds={feeds}
        accounts={accounts}
        folders={folders}
        columns={INSIGHTS_COLUMNS}
        health={health}
        quickFilters={INSIGHTS_FILTERS}
        onClose={onClose}
        onChanged={() => {
          onChanged()
          void client.invalidateQueries({ queryKey: ['insights'] })
        }}
        onRetry={onRetry}
      />
    </Dialog>
  )
}
