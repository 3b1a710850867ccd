import type { Reporter, TestCase, TestModule } from 'vitest/node'
import type { Vitest } from 'vitest/node'
import './skip-when'

/** The reason a skipped test carries: ctx.skip(note), or skipWhen()'s on the test or an enclosing suite. */
function skipReason(test: TestCase): string | undefined {
  const result = test.result()
  if (result.state === 'skipped' && result.note) return result.note
  for (let node: TestCase | TestCase['parent'] = test; node.type !== 'module'; node = node.parent) {
    const reason = node.meta().skipReason
    if (reason) return reason
  }
  return undefined
}

/**
 * Ends the run with every skipped test by name and reason, then one plain line,
 * `Tests: N passed, N failed, N skipped`, that any CI can read. Tests left out by a name filter
 * (`-t`) are counted, not listed.
 */
export default class SummaryReporter implements Reporter {
  private nameFilter = false

  onInit(vitest: Vitest): void {
    this.nameFilter = vitest.config.testNamePattern !== undefined
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const count = { passed: 0, failed: 0, skipped: 0 }
    const skipped: string[] = []
    let filteredOut = 0
    for (const module of modules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state
        if (state === 'passed') count.passed++
        else if (state === 'failed') count.failed++
        else {
          count.skipped++
          const reason = skipReason(test)
          if (!reason && this.nameFilter) filteredOut++
          else
            skipped.push(
              `  ${module.moduleId.replace(`${process.cwd()}/`, '')} > ${test.fullName}: ${reason ?? 'skipped without a reason'}`,
            )
        }
      }
    }
    if (skipped.length > 0) process.stdout.write(`\nSkipped:\n${skipped.join('\n')}\n`)
    if (filteredOut > 0) process.stdout.write(`\n${filteredOut} not selected by the name filter\n`)
    process.stdout.write(
      `\nTests: ${count.passed} passed, ${count.failed} failed, ${count.skipped} skipped\n`,
    )
  }
}
