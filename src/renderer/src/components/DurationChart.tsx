/** Inline SVG bar chart of sync durations, oldest on the left. No chart library. */
import type { ReactElement } from 'react'
import { formatDuration } from '../../../shared/format'
import type { RecentSync } from '../../../shared/sync-status'

const WIDTH = 320
const HEIGHT = 96
const PAD_TOP = 14
const PAD_BOTTOM = 4

export function DurationChart({ syncs }: { syncs: RecentSync[] }): ReactElement {
  const data = [...syncs].sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt)).slice(-30)
  if (data.length === 0) return <p className="muted">No syncs to chart yet.</p>
  const max = Math.max(1, ...data.map((s) => s.duration))
  const slot = WIDTH / Math.max(data.length, 8)
  const bar = Math.max(2, slot * 0.7)
  const usable = HEIGHT - PAD_TOP - PAD_BOTTOM
  return (
    <figure className="duration-chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={`Durations of the last ${data.length} syncs; longest ${formatDuration(max)}`}
        preserveAspectRatio="none"
      >
        <line x1={0} x2={WIDTH} y1={HEIGHT - PAD_BOTTOM} y2={HEIGHT - PAD_BOTTOM} className="axis" />
        <text x={0} y={10} className="chart-label">
          {formatDuration(max)}
        </text>
        {data.map((sync, i) => {
          const h = Math.max(2, (sync.duration / max) * usable)
          const x = i * slot + (slot - bar) / 2
          return (
            <rect
              key={sync.syncId}
              x={x}
              y={HEIGHT - PAD_BOTTOM - h}
              width={bar}
              height={h}
              rx={1.5}
              className={`bar sync-state-${sync.status}`}
            >
              <title>
                {`${new Date(sync.startedAt).toLocaleString()} — ${sync.status}, ${formatDuration(sync.duration)}, ${sync.articlesNew} new`}
              </title>
            </rect>
          )
        })}
      </svg>
      <figcaption className="chart-legend">
        <span className="legend ok">completed</span>
        <span className="legend bad">failed / interrupted</span>
        <span className="legend run">running</span>
      </figcaption>
    </figure>
  )
}
