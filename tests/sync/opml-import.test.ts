import type { ChildProcess } from 'node:child_process'
import { rmSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { cliEnv, killAll, spawnCli } from '../faults/support'
import { makeDataDir } from '../support/temp-dir'
import { startSyncStack, type SyncStack } from './support'

/**
 * Large OPML imports through the real CLI: limits are checked before the file is parsed (or, for
 * its size, read), and what passes is saved in chunks with a progress line per chunk.
 */
let env: SyncStack
const children = new Set<ChildProcess>()
const dirs: string[] = []

beforeAll(async () => {
  env = await startSyncStack()
})
afterEach(async () => {
  killAll(children)
  await env.reset()
})
afterAll(async () => {
  await env?.close()
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

function tempDir(): string {
  const dir = makeDataDir('tidings-opml-')
  dirs.push(dir)
  return dir
}

/** `folders` folders of `perFolder` feeds each: folders × (perFolder + 1) outlines. */
function opml(folders: number, perFolder: number, { truncated = false } = {}): string {
  const body = Array.from({ length: folders }, (_, f) => {
    const feeds = Array.from(
      { length: perFolder },
      (_, i) =>
        `<outline type="rss" text="Feed ${f}-${i}" xmlUrl="https://site${f}.example/feeds/${i}.xml"/>`,
    )
    return `<outline text="Folder ${f}">${feeds.join('\n')}</outline>`
  }).join('\n')
  const doc = `<?xml version="1.0"?>\n<opml version="2.0"><head><title>big</title></head><body>\n${body}\n</body></opml>`
  // Cut off mid-element: a parser would call this malformed.
  return truncated ? doc.slice(0, -20) : doc
}

async function importFile(text: string | { sizeBytes: number }) {
  const dir = tempDir()
  const file = join(dir, 'subscriptions.opml')
  if (typeof text === 'string') writeFileSync(file, text)
  else {
    writeFileSync(file, '')
    truncateSync(file, text.sizeBytes)
  }
  const cli = spawnCli(['feeds', 'import', file, '--json'], cliEnv(env, tempDir()), children)
  const { code } = await cli.exited
  return { code, lines: cli.lines, stderr: cli.stderr() }
}

async function feedCount(): Promise<number> {
  const { rows } = await env.db.query<{ n: string }>('select count(*) as n from public.feeds')
  return Number(rows[0]!.n)
}

describe('OPML import limits', () => {
  it('20 000 outlines (20 folders of 999 feeds): every feed saved with its folder, in chunks of 1 000 with progress', async () => {
    const { code, lines, stderr } = await importFile(opml(20, 999))
    expect(code, stderr).toBe(0)
    expect(lines.at(-1)).toMatchObject({ added: 19_980, skipped: 0, invalid: [] })
    const progress = lines.filter((l) => l.event === 'progress')
    expect(progress).toHaveLength(20)
    expect(progress.at(-1)).toMatchObject({ saved: 19_980, total: 19_980 })
    expect(progress.map((p) => p.saved)).toEqual(
      Array.from({ length: 20 }, (_, i) => Math.min((i + 1) * 1_000, 19_980)),
    )
    const { rows } = await env.db.query<{ folder: string; n: string }>(
      'select folder, count(*) as n from public.feeds group by folder order by folder',
    )
    expect(rows).toHaveLength(20)
    expect(rows.every((r) => Number(r.n) === 999)).toBe(true)
  })

  it('100 000 outlines are refused before parsing, with a clear message, and nothing is added', async () => {
    // The document is also cut off: had it been parsed, the error would say "malformed".
    const { code, lines } = await importFile(opml(100, 999, { truncated: true }))
    expect(lines.at(-1)).toMatchObject({
      exitCode: 2,
      error: expect.stringMatching(/100 ?000 outlines.*at most 20 ?000/),
    })
    expect(code).toBe(2)
    expect(await feedCount()).toBe(0)
  })

  it('a file over 10 MB is refused before it is read', async () => {
    const { code, lines } = await importFile({ sizeBytes: 50 * 1024 * 1024 })
    expect(lines.at(-1)).toMatchObject({
      exitCode: 2,
      error: expect.stringMatching(/50(\.0)? MB.*at most 10 MB/),
    })
    expect(code).toBe(2)
    expect(await feedCount()).toBe(0)
  })
})
