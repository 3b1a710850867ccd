import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { createJsonlLog } from '../../src/core/logging/jsonl-log'
import { makeDataDir } from '../support/temp-dir'

const MODULE = fileURLToPath(new URL('../../src/core/logging/jsonl-log.ts', import.meta.url))
const lines = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>)

describe('JSON-lines logs written off the hot path', () => {
  it('appends the lines of a tick later, in order, all there once flushed; private file in a private folder', async () => {
    const file = join(makeDataDir('tidings-jsonl-'), 'logs', 'sync-cron.jsonl')
    const log = createJsonlLog(file, { sync: false })
    for (let i = 0; i < 1_000; i++) log.write({ i })
    // Nothing was written while the caller waited: the lines go out after this turn.
    expect(existsSync(file) ? readFileSync(file, 'utf8') : '').toBe('')
    log.write({ i: 1_000, timestamp: 'given' })
    await log.flush()
    const written = lines(file)
    expect(written.map((l) => l.i)).toEqual(Array.from({ length: 1_001 }, (_, i) => i))
    expect(written[0]).toHaveProperty('timestamp')
    expect(written.at(-1)?.timestamp).toBe('given')
    expect((statSync(file).mode & 0o777).toString(8)).toBe('600')
    expect((statSync(join(file, '..')).mode & 0o777).toString(8)).toBe('700')
  })

  it('writes lines still queued when the process exits', () => {
    const dir = makeDataDir('tidings-jsonl-exit-')
    const file = join(dir, 'logs', 'sync-cron.jsonl')
    const script = join(dir, 'exit.mjs')
    writeFileSync(
      script,
      `const { createJsonlLog } = await import(${JSON.stringify(MODULE)})
const log = createJsonlLog(${JSON.stringify(file)}, { sync: false })
for (let i = 0; i < 100; i++) log.write({ i })
process.exit(0)
`,
    )
    execFileSync(process.execPath, ['--import', 'tsx', script], { stdio: 'pipe' })
    expect(lines(file).map((l) => l.i)).toEqual(Array.from({ length: 100 }, (_, i) => i))
  })
})
