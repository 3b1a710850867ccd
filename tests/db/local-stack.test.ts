import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { createSupabaseClient } from '../../src/core/storage/supabase-client'
import { startLocalStack } from '../../src/core/stack/local-stack'
import { sqlDir } from '../../src/core/config/app-root'
import { PortInUseError } from '../../src/core/stack/ports'
import { startOwnStack } from '../support/own-stack'
import { makeDataDir } from '../support/temp-dir'
import { stack as sharedStack } from '../support/clients'

const processesUsing = (dataDir: string): string =>
  execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes(dataDir) && !l.includes('ps -eo'))
    .join('\n')

describe('embedded local stack', () => {
  it('restarts over an existing data folder with the same URL, keys and rows', async () => {
    const first = await startOwnStack()
    const { dataDir } = first
    const admin = createSupabaseClient({ url: first.url, key: first.serviceRoleKey })
    expect(
      (await admin.from('feeds').insert({ url: 'https://example.org/keep.xml', title: 'Kept' })).error,
    ).toBeNull()
    await first.stop()
    expect(processesUsing(dataDir)).toBe('')

    const second = await startLocalStack({ dataDir, sqlDir: sqlDir() })
    try {
      expect(second.url).toBe(first.url)
      expect(second.anonKey).toBe(first.anonKey)
      expect(second.migrations.applied).toEqual([])
      const again = createSupabaseClient({ url: second.url, key: second.serviceRoleKey })
      const rows = await again.from('feeds').select('title').eq('url', 'https://example.org/keep.xml')
      expect(rows.data).toEqual([{ title: 'Kept' }])
    } finally {
      await second.stop()
      await first.dispose()
    }
  })

  it('answers 503 while PostgREST is down and recovers when it is back', async () => {
    const own = await startOwnStack()
    try {
      await own.stopPostgrest()
      const down = await fetch(`${own.url}/rest/v1/sync_status?select=sync_id`, {
        headers: { apikey: own.anonKey },
      })
      expect(down.status).toBe(503)
      await own.startPostgrest()
      const up = await fetch(`${own.url}/rest/v1/sync_status?select=sync_id`, {
        headers: { apikey: own.anonKey },
      })
      expect(up.status).toBe(200)
    } finally {
      await own.dispose()
    }
  })

  it('/health checks the database: 503 while Postgres is down, 200 once it is back', async () => {
    const own = await startOwnStack()
    const health = async () => {
      const res = await fetch(`${own.url}/health`)
      return { status: res.status, body: await res.json() }
    }
    try {
      expect(await health()).toEqual({ status: 200, body: { gateway: 'ok', rest: 'ok', database: 'ok' } })
      await own.stopPostgres()
      // PostgREST, without its database, is down too.
      expect(await health()).toEqual({ status: 503, body: { gateway: 'ok', rest: 'down', database: 'down' } })
      await own.startPostgres()
      // PostgREST reconnects on its own schedule.
      await expect
        .poll(health, { timeout: 30_000, interval: 200 })
        .toEqual({ status: 200, body: { gateway: 'ok', rest: 'ok', database: 'ok' } })
    } finally {
      await own.dispose()
    }
  })

  it('fails clearly when the requested gateway port is taken', async () => {
    const port = Number(new URL(sharedStack().url).port)
    const dataDir = makeDataDir()
    await expect(startLocalStack({ dataDir, sqlDir: sqlDir(), gatewayPort: port })).rejects.toBeInstanceOf(
      PortInUseError,
    )
    expect(processesUsing(dataDir)).toBe('')
  })
})
