import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { childEnv, peerTables, peerTargets, TIDINGS_CLI } from '../../bench/peer-bench'
import { formatTable } from '../../bench/stats'

describe('bench/peer-bench', () => {
  it('times the CLI with the command `npm run tidings` runs (one constant to point at the built CLI)', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      scripts: Record<string, string>
    }
    expect(TIDINGS_CLI.join(' ')).toBe(pkg.scripts.tidings)
  })

  it('gives the timed programs a home of their own and no proxy, so nothing reaches the real home or leaves loopback', () => {
    const env = childEnv(
      {
        PATH: '/usr/bin',
        HOME: '/root',
        http_proxy: 'http://10.0.0.1:3128',
        HTTPS_PROXY: 'http://10.0.0.1:3128',
        ALL_PROXY: 'socks5://10.0.0.1',
        SUPABASE_URL: 'https://x.example',
        XDG_CONFIG_HOME: '/root/.config',
      },
      '/tmp/peer-x',
    )
    expect(env).toEqual({
      PATH: '/usr/bin',
      HOME: '/tmp/peer-x',
      XDG_CONFIG_HOME: '/tmp/peer-x/.config',
      XDG_DATA_HOME: '/tmp/peer-x/.local/share',
      XDG_CACHE_HOME: '/tmp/peer-x/.cache',
      NO_PROXY: '*',
    })
  })

  it('without newsboat, says so and how to enable it, and sets no target', () => {
    const skipped = { skipped: 'newsboat is not on the PATH' }
    expect(peerTargets(skipped)).toEqual([])
    const text = peerTables(skipped).map(formatTable).join('\n')
    expect(text).toContain('Skipped: newsboat is not on the PATH')
    expect(text).toContain('apt-get install newsboat')
  })

  it('calls a run in which either side stored less than every article not comparable, never a PASS', () => {
    const run = (ms: number, stored: number, ok = 2) => ({ ms, stored, served: { ok, notModified: 0 } })
    const full = { first: [run(1_000, 20)], resync: [run(1_000, 20)] }
    const result = {
      newsboatVersion: 'newsboat 2.21.0',
      feeds: 2,
      articles: 20,
      newsboat: full,
      tidings: { first: [run(100, 19)], resync: [run(100, 20)] },
    }
    expect(peerTargets(result)).toMatchObject([
      { pass: false, value: 'not comparable: tidings did not store all 20 articles' },
    ])
    expect(
      peerTargets({ ...result, tidings: { first: [run(100, 20)], resync: [run(100, 20)] } }),
    ).toMatchObject([{ pass: true }])
  })

  it('without sqlite3 to count what newsboat stored, calls the ratio unverified (neither PASS nor MISS)', () => {
    const run = (ms: number, stored: number | null) => ({ ms, stored, served: { ok: 2, notModified: 0 } })
    const tidings = { first: [run(100, 20)], resync: [run(100, 20)] }
    const result = {
      newsboatVersion: 'newsboat 2.21.0',
      feeds: 2,
      articles: 20,
      newsboat: { first: [run(1_000, null)], resync: [run(1_000, null)] },
      tidings,
    }
    const [check] = peerTargets(result)
    expect(check).toMatchObject({ pass: null })
    expect(check!.value).toMatch(
      /^not verified: newsboat's items could not be counted \(install sqlite3\); ×0\.10/,
    )
  })
})
