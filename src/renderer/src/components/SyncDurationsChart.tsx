/** The health panel's chart of recent sync durations (uPlot), completed and failed apart, oldest first. */
import { useMemo, type ReactElement } from 'react'
import { formatDuration } from '../../../shared/format'
import type { RecentSync } from '../../../shared/sync-status'
import { UPlotChart, type ChartSeries } from './UPlotChart'

const SERIES: ChartSeries[] = [
  { label: 'completed', color: 'var(--ok)', kind: 'bars' },
  { label: 'failed / interrupted', color: 'var(--bad)', kind: 'bars' },
  { label: 'running', color: 'var(--accent)', kind: 'bars' },
]
const seconds = (value: number): string => formatDuration(value)

export function SyncDurationsChart({ syncs }: { syncs: RecentSync[] }): ReactElement {
  const shown = useMemo(() => {
    const data = [...syncs].sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt)).slice(-30)
    const of = (match: (s: RecentSync) => boolean): (number | null)[] =>
      data.map((s) => (match(s) ? s.duration : null))
    const failed = (s: RecentSync): boolean => s.status === 'failed' || s.status === 'interrupted'
    const running = (s: RecentSync): boolean => s.status === 'pending' || s.status === 'in_progress'
    return {
      count: data.length,
      max: Math.max(0, ...data.map((s) => s.duration)),
      data: [
        data.map((s) => Date.parse(s.startedAt) / 1000),
        of((s) => !failed(s) && !running(s)),
        of(failed),
        of(running),
      ] as [number[], ...(number | null)[][]],
    }
  }, [syncs])
  if (shown.count === 0) return <p className="muted">No syncs to chart yet.</p>
  return (
    <UPlotChart
      testId="duration-chart"
      series={SERIES}
      data={shown.data}
      format={seconds}
      height={110}
      caption={`Durations of the last ${shown.count} syncs; longest ${formatDuration(shown.max)}`}
    />
  )
}
