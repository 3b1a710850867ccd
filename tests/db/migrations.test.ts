import { readdirSync } from 'node:fs'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { sqlDir } from '../../src/core/config/app-root'
import { runMigrations } from '../../src/core/stack/migrate'
import { stack } from '../support/clients'

describe('migration runner', () => {
  it('records what ran and applies nothing twice', async () => {
    const again = await runMigrations(stack().databaseUrl, sqlDir())
    expect(again.applied).toEqual([])
    // Every migration file in sql/ ran once and is recorded, none left out.
    const files = readdirSync(sqlDir())
      .filter((f) => f.endsWith('.sql'))
      .sort()
    expect(files.length).toBeGreaterThan(0)
    expect(again.skipped).toEqual(files)
    const client = new pg.Client({ connectionString: stack().databaseUrl })
    await client.connect()
    try {
      const { rows } = await client.query<{ name: string }>(
        'select name from public.tidings_migrations order by name',
      )
      expect(rows.map((r) => r.name)).toEqual(again.skipped)
    } finally {
      await client.end()
    }
  })

  it('gives auth.role() the JWT role claim, as Supabase does', async () => {
    const client = new pg.Client({ connectionString: stack().databaseUrl })
    await client.connect()
    try {
      await client.query('begin')
      await client.query(`select set_config('request.jwt.claims', '{"role":"service_role"}', true)`)
      const { rows } = await client.query<{ role: string }>('select auth.role() as role')
      expect(rows[0]?.role).toBe('service_role')
      await client.query('rollback')
    } finally {
      await client.end()
    }
  })
})
