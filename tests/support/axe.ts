import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Page } from 'playwright'

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: { target: unknown[]; failureSummary?: string }[]
}

/**
 * Serious and critical axe violations on the page as it is now, as readable lines. axe is injected
 * as an inline script: the page's context needs `bypassCSP`, since the app's CSP rightly forbids it.
 */
export async function axeProblems(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.addScriptTag({ content: AXE_SOURCE })
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: { run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[] }> }
      }
    ).axe
    const result = await axe.run((globalThis as unknown as { document: unknown }).document, {
      resultTypes: ['violations'],
    })
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }))
  })
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => `${JSON.stringify(n.target)} (${(n.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 200)})`).join(', ')}`,
    )
}

/**
 * Resolves when every CSS transition the last style change started has finished or was cancelled
 * (getAnimations flushes styles): axe then reads the colours a theme ends on, not ones half-way.
 */
export function transitionsSettled(page: Page): Promise<unknown> {
  return page.evaluate(() => {
    const doc = (globalThis as unknown as { document: { getAnimations(): { finished: Promise<unknown> }[] } })
      .document
    // A transition replaced by another (the theme changing again) rejects: it is over too.
    return Promise.all(
      doc
        .getAnimations()
        // Only transitions end: a spinner's animation runs for as long as it shows.
        .filter((a) => a.constructor.name === 'CSSTransition')
        .map((a) => a.finished.catch(() => undefined)),
    )
  })
}
