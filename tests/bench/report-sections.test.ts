import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { renderReport, SECTION_HEADINGS, type MachineFacts } from '../../bench/report'

describe('bench/REPORT.md', () => {
  it('has a section for every section bench/run.ts prints, in the same order (a report from an older run lacks the newer ones)', () => {
    const report = readFileSync(new URL('../../bench/REPORT.md', import.meta.url), 'utf8')
    const headings = [...report.matchAll(/^## (.+)$/gm)].map((m) => m[1]!)
    const printed: string[] = Object.values(SECTION_HEADINGS)
    expect(headings.filter((h) => printed.includes(h))).toEqual(printed)
  })

  it('lists each target a run did not meet with its value, its target and what was tried; none when all are met', () => {
    const machine: MachineFacts = {
      date: '2026-12-05T00:00:00.000Z',
      cores: 2,
      cpuModel: 'test',
      memoryGb: 1,
      node: 'v20',
      os: 'linux',
      loadStart: 0,
      loadEnd: 0,
      stackStartMs: 1,
      durationS: 1,
    }
    const met = { measure: 'met', value: '1 ms', target: '≤ 2 ms', pass: true, tried: 'not shown' }
    const missed = {
      measure: 'missed',
      value: '9 ms',
      target: '≤ 2 ms',
      pass: false,
      tried: 'Tried X; next Y.',
    }
    const unsure = { measure: 'unsure', value: '2 ± 5 ms', target: '≤ 2 ms', pass: null }
    const report = renderReport(machine, [met, missed, unsure], [])
    const notMet = report.split('### Not met in this run')[1]?.split('\n## ')[0] ?? ''
    expect(notMet).toMatch(/\| missed +\| +9 ms \| +≤ 2 ms \| +MISS \| +Tried X; next Y\. \|/)
    expect(notMet).toMatch(/\| unsure .*INCONCLUSIVE \| noise in this run wider than the target \|/)
    expect(notMet).not.toContain('not shown')
    expect(renderReport(machine, [met], [])).not.toContain('Not met in this run')
  })
})
