import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { SECTION_HEADINGS } from '../../bench/report'

describe('bench/REPORT.md', () => {
  it('has a section for every section bench/run.ts prints, in the same order (a report from an older run lacks the newer ones)', () => {
    const report = readFileSync(new URL('../../bench/REPORT.md', import.meta.url), 'utf8')
    const headings = [...report.matchAll(/^## (.+)$/gm)].map((m) => m[1]!)
    const printed: string[] = Object.values(SECTION_HEADINGS)
    expect(headings.filter((h) => printed.includes(h))).toEqual(printed)
  })
})
