/**
 * One uPlot chart (canvas) with its text alternative: a caption that gives the key numbers, and a
 * legend of our own (uPlot's legend is a table of inline-styled cells that screen readers read
 * as data). Colours come from the app's CSS variables, resolved so light and dark both work.
 */
import { useEffect, useRef, useSyncExternalStore, type ReactElement } from 'react'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import '../styles/insights.css'

export interface ChartSeries {
  label: string
  /** A CSS colour, usually a variable: 'var(--bad)'. */
  color: string
  kind: 'bars' | 'line'
  /** The right-hand axis (a second unit). */
  right?: boolean
}

interface Props {
  /** x as Unix seconds, then one array per series (null: no value). */
  data: [number[], ...(number | null)[][]]
  series: ChartSeries[]
  /** The key numbers in words: the chart's text alternative. */
  caption: string
  /** Axis labels of the left and right values: "s", "MB". */
  format?: (value: number) => string
  formatRight?: (value: number) => string
  testId?: string
  height?: number
}

/** A CSS colour (light-dark() and variables included) as the browser resolves it here. */
function resolve(host: HTMLElement, color: string): string {
  const probe = document.createElement('span')
  probe.style.color = color
  host.appendChild(probe)
  const resolved = getComputedStyle(probe).color
  probe.remove()
  return resolved
}

const DARK = '(prefers-color-scheme: dark)'
const subscribeScheme = (changed: () => void): (() => void) => {
  const query = window.matchMedia(DARK)
  query.addEventListener('change', changed)
  return () => query.removeEventListener('change', changed)
}
/** The canvas keeps the colours it was drawn with: a theme change redraws it. */
const useDark = (): boolean => useSyncExternalStore(subscribeScheme, () => window.matchMedia(DARK).matches)

export function UPlotChart({
  data,
  series,
  caption,
  format,
  formatRight,
  testId,
  height = 140,
}: Props): ReactElement {
  const host = useRef<HTMLDivElement>(null)
  const dark = useDark()

  useEffect(() => {
    const el = host.current
    if (!el) return
    const text = resolve(el, 'var(--text-muted)')
    const grid = resolve(el, 'var(--border)')
    const axis = (side: 1 | 3, fmt?: (v: number) => string, scale = 'y'): uPlot.Axis => ({
      side,
      scale,
      stroke: text,
      grid: { stroke: grid, width: 1, show: side === 3 },
      ticks: { stroke: grid, width: 1 },
      // Room for the widest label, "200 MB" or "2.0 s", on either side.
      size: 64,
      ...(fmt ? { values: (_u: uPlot, ticks: number[]) => ticks.map(fmt) } : {}),
    })
    const bars = uPlot.paths.bars?.({ size: [0.7, 24] })
    el.dataset.scheme = dark ? 'dark' : 'light'
    const plot = new uPlot(
      {
        width: Math.max(240, el.clientWidth),
        height,
        legend: { show: false },
        cursor: { show: true, points: { show: false } },
        scales: {
          // One point (a single sync or day) would otherwise span years: an hour either side.
          x: { time: true, range: (_u, min, max) => (min === max ? [min - 3600, max + 3600] : [min, max]) },
          y: { range: (_u, _min, max) => [0, max > 0 ? max : 1] },
        },
        axes: [
          { stroke: text, grid: { show: false }, ticks: { stroke: grid, width: 1 } },
          axis(3, format),
          ...(series.some((s) => s.right) ? [axis(1, formatRight, 'right')] : []),
        ],
        series: [
          {},
          ...series.map((s): uPlot.Series => {
            const color = resolve(el, s.color)
            return {
              label: s.label,
              stroke: color,
              width: s.kind === 'line' ? 2 : 0,
              ...(s.right ? { scale: 'right' } : {}),
              ...(s.kind === 'bars' ? { fill: color, paths: bars, points: { show: false } } : {}),
              spanGaps: s.kind === 'line',
            }
          }),
        ],
      },
      data as uPlot.AlignedData,
      el,
    )
    // The figure follows the view's width (the drawer and the dialog resize with the window).
    const observer = new ResizeObserver(() => plot.setSize({ width: Math.max(240, el.clientWidth), height }))
    observer.observe(el)
    return () => {
      observer.disconnect()
      plot.destroy()
    }
  }, [data, series, format, formatRight, height, dark])

  return (
    <figure className="uplot-chart" data-testid={testId}>
      {/* The canvas is a picture of the caption's numbers: hidden from screen readers, not from sight. */}
      <div ref={host} className="uplot-host" aria-hidden="true" />
      <figcaption>
        <span className="chart-keys" aria-hidden="true">
          {series.map((s) => (
            <span key={s.label} className="chart-key">
              <span className="chart-swatch" style={{ background: s.color }} />
              {s.label}
            </span>
          ))}
        </span>
        <span className="chart-caption" data-testid={testId ? `${testId}-caption` : undefined}>
          {caption}
        </span>
      </figcaption>
    </figure>
  )
}
