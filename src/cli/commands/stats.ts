import { readInsights } from '../../core/insights'
import {
  INSIGHTS_DAYS_DEFAULT,
  INSIGHTS_DAYS_MAX,
  INSIGHTS_DAYS_MIN,
  insightsSummaryLine,
  type Insights,
} from '../../shared/insights'
import { CliError, EXIT, parseOptions, type Command } from '../cli-kit'
import { withAdmin } from '../database-session'

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`
const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`
const percent = (share: number): string => `${Math.round(share * 100)} %`

/** The figures as text: the summary line first (the issue's shape), then one block per figure group. */
export function describeInsights(insights: Insights): string {
  const { trends, failures, feedHealth, resources } = insights
  const dead = feedHealth.feeds.filter((f) => f.dead)
  const heavy = feedHealth.feeds.filter((f) => f.heavy)
  const peak = Math.max(0, ...resources.perSync.map((s) => s.peakRssBytes ?? 0))
  const cpu = resources.perSync.map((s) => s.cpuMs ?? 0)
  const db = resources.database
  const busiestHour = failures.byHour.indexOf(Math.max(...failures.byHour))
  const busiestFeeds = failures.hoursByFeed.filter((f) => (f.hours[busiestHour] ?? 0) > 0).length
  const lines = [
    insightsSummaryLine(insights.summary),
    '',
    `Syncs: failure rate ${percent(trends.failureRate)}; ${trends.byTrigger.map((t) => `${t.syncs} ${t.trigger}`).join(', ') || 'none'}`,
    ...trends.perWeek.map(
      (w) => `  week of ${w.week}: ${w.syncs} syncs, median ${seconds(w.medianMs)}, p95 ${seconds(w.p95Ms)}`,
    ),
    `New articles: ${trends.perDay.reduce((sum, d) => sum + d.newArticles, 0)} in ${trends.perDay.length} days with syncs`,
    '',
    `Failing feeds (${failures.failingFeeds.length}):`,
    ...failures.failingFeeds.map(
      (f) => `  ${f.name}: ${f.errorKind}, ${f.streak} failures in a row since ${f.failingSince}`,
    ),
    `Failures by kind: ${failures.byKind.map((k) => `${k.kind} ${k.failures} (${k.feeds} feeds)`).join(', ') || 'none'}`,
    ...(failures.byHour.some((n) => n > 0)
      ? [
          `Failures peak at ${String(busiestHour).padStart(2, '0')}:00 UTC (${failures.byHour[busiestHour]}, ` +
            `from ${busiestFeeds} ${busiestFeeds === 1 ? 'feed' : 'feeds'})`,
        ]
      : []),
    ...(failures.flapping.length
      ? [`Flapping: ${failures.flapping.map((f) => `${f.name} (${f.transitions} changes)`).join(', ')}`]
      : []),
    '',
    `Dead feeds (${dead.length}): ${dead.map((f) => f.name).join(', ') || 'none'}`,
    `Heavy feeds (${heavy.length}): ${heavy.map((f) => `${f.name} (${Math.round((f.bytesPerNewArticle ?? 0) / 1024)} KiB per new article)`).join(', ') || 'none'}`,
    '',
    `Resources: peak memory ${mib(peak)}, CPU per sync median ${seconds(median(cpu))}`,
    `Database: ${mib(db.totalBytes)}; articles ${mib(db.articlesBytes)}, search index ${mib(db.searchIndexBytes)}, history ${mib(db.historyBytes)}`,
  ]
  return lines.join('\n')
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  const high = sorted[mid] ?? 0
  return sorted.length % 2 ? high : ((sorted[mid - 1] ?? 0) + high) / 2
}

export const statsCommand: Command = {
  async run(ctx) {
    const { values } = parseOptions({ args: ctx.argv, options: { days: { type: 'string' } } })
    const days = values.days === undefined ? INSIGHTS_DAYS_DEFAULT : Number(values.days)
    if (!Number.isInteger(days) || days < INSIGHTS_DAYS_MIN || days > INSIGHTS_DAYS_MAX)
      throw new CliError(
        `--days must be a whole number from ${INSIGHTS_DAYS_MIN} to ${INSIGHTS_DAYS_MAX}`,
        EXIT.badInput,
      )
    await withAdmin(ctx, async (admin) => {
      const insights = await readInsights(admin, { days })
      ctx.out.result(insights, describeInsights(insights))
    })
  },
}
