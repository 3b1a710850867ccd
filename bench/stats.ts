/**
 * Shared measuring and formatting for the benchmarks, so every table uses the same median, the
 * same p99 and the same PASS/MISS rule.
 */

export interface Timing {
  medianUs: number
  p99Us: number
  maxUs: number
  samples: number
}

export const round = (n: number, digits = 2): number => Number(n.toFixed(digits))

/** Nearest-rank quantile (no interpolation: every figure reported is a sample that happened). */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!
}

export const median = (values: readonly number[]): number => quantile(values, 0.5)

export function timingFromNs(samplesNs: readonly number[]): Timing {
  return {
    medianUs: round(quantile(samplesNs, 0.5) / 1e3),
    p99Us: round(quantile(samplesNs, 0.99) / 1e3),
    maxUs: round(quantile(samplesNs, 1) / 1e3),
    samples: samplesNs.length,
  }
}

/** Elapsed nanoseconds since `start` (a process.hrtime.bigint() reading), as a plain number. */
export const elapsedNs = (start: bigint): number => Number(process.hrtime.bigint() - start)

/**
 * Times `op` one call at a time. The first `warmup` calls (JIT, connection pool, page cache) are
 * run but not recorded.
 */
export async function timeEach(
  samples: number,
  op: (i: number) => Promise<unknown>,
  warmup = Math.min(50, samples),
): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await op(i)
  const ns: number[] = []
  for (let i = 0; i < samples; i++) {
    const t = process.hrtime.bigint()
    await op(i)
    ns.push(elapsedNs(t))
  }
  return timingFromNs(ns)
}

// ---- formatting -----------------------------------------------------------------------------

export type Mark = 'PASS' | 'MISS' | 'INCONCLUSIVE'
/** null: the measurement's noise straddles the target, so it supports neither verdict. */
export const mark = (ok: boolean | null): Mark => (ok === null ? 'INCONCLUSIVE' : ok ? 'PASS' : 'MISS')

/**
 * `value ± noise` against an upper bound: MISS when even value − noise exceeds it; PASS when even
 * value + noise meets it and the noise is finer than the bound (a measurement that cannot resolve
 * the bound proves nothing by landing under it); else null (inconclusive).
 */
export function checkWithNoise(value: number, noise: number, limit: number): boolean | null {
  if (value - noise > limit) return false
  return value + noise <= limit && noise <= limit ? true : null
}

/** `value / base` as "×1.23"; "n/a" when there is no base to compare with. */
export function ratio(value: number | null | undefined, base: number | null | undefined, digits = 2): string {
  if (value == null || base == null || base === 0) return 'n/a'
  return `×${(value / base).toFixed(digits)}`
}

/** Ratio of a measured value to a claimed range, e.g. "×0.10–0.25". */
export function ratioToRange(value: number | null | undefined, low: number, high: number): string {
  if (value == null) return 'n/a'
  return low === high ? ratio(value, low) : `×${(value / high).toFixed(2)}–${(value / low).toFixed(2)}`
}

export const pct = (share: number, digits = 2): string => `${(share * 100).toFixed(digits)} %`
export const ms = (n: number, digits = 0): string => `${n.toFixed(digits)} ms`
export const us = (n: number | null | undefined, digits = 1): string =>
  n == null ? 'n/a' : `${n.toFixed(digits)} µs`
/** Microseconds shown in the unit a reader compares them in: µs below 1 ms, ms above. */
export const duration = (microseconds: number | null | undefined): string =>
  microseconds == null ? 'n/a' : microseconds < 1_000 ? us(microseconds) : ms(microseconds / 1_000, 2)

export interface Table {
  title: string
  /** One line under the title: what was measured and how. */
  note?: string
  headers: string[]
  rows: string[][]
}

/**
 * A Markdown table padded to column width, so the same text reads well in a terminal and renders
 * in REPORT.md. Columns after the first are right-aligned (they hold numbers).
 */
export function formatTable(table: Table): string {
  const widths = table.headers.map((h, c) =>
    Math.max(h.length, ...table.rows.map((r) => (r[c] ?? '').length)),
  )
  const line = (cells: string[]) =>
    `| ${cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join(' | ')} |`
  const rule = `| ${widths.map((w, c) => (c === 0 ? '-'.repeat(w) : `${'-'.repeat(w - 1)}:`)).join(' | ')} |`
  const head = [`### ${table.title}`, '', ...(table.note ? [table.note, ''] : [])]
  return [...head, line(table.headers), rule, ...table.rows.map(line)].join('\n')
}

/** One target from the brief, checked: shown in its section's table and in the report's summary. */
export interface TargetCheck {
  measure: string
  value: string
  target: string
  pass: boolean | null
  /** What was done for this target and what is left, shown in the report when it is not met. */
  tried?: string
}

export const TARGET_HEADERS = ['measure', 'value', 'target', 'result']
export const targetRow = (check: TargetCheck): string[] => [
  check.measure,
  check.value,
  check.target,
  mark(check.pass),
]
