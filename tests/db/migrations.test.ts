import { randomBytes } from 'node:crypto'
import { copyFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { sqlDir } from '../../src/core/config/app-root'
import { runMigrations } from '../../src/core/stack/migrate'
import { stack } from '../support/clients'
import { makeDataDir } from '../support/temp-dir'

/** Runs `fn` with a client on a database of its own in the shared cluster, dropped afterwards. */
async function withFreshDatabase(fn: (url: string, client: pg.Client) => Promise<void>): Promise<void> {
  const name = `migrate_${randomBytes(4).toString('hex')}`
  const cluster = new pg.Client({ connectionString: stack().databaseUrl })
  await cluster.connect()
  try {
    await cluster.query(`create database ${name}`)
    const url = stack().databaseUrl.replace(/\/[^/]+$/, `/${name}`)
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    try {
      await fn(url, client)
    } finally {
      await client.end()
    }
  } finally {
    await cluster.query(`drop database if exists ${name} with (force)`)
    await cluster.end()
  }
}

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

  it('adds accounts (sql/019) to a database that has feeds and articles, keeping every row', async () => {
    await withFreshDatabase(async (url, client) => {
      // The database as 018 left it: the files before 019 only.
      const before = makeDataDir('tidings-sql-')
      for (const f of readdirSync(sqlDir()).filter((f) => f.endsWith('.sql') && f < '019'))
        copyFileSync(join(sqlDir(), f), join(before, f))
      await runMigrations(url, before)
      await client.query(
        `insert into feeds (url, title) values ('http://127.0.0.1:9/a.xml', 'A'), ('http://127.0.0.1:9/b.xml', 'B')`,
      )
      await client.query(
        `insert into articles (feed_id, item_key, published_at, is_read) select id, 'k', now(), true from feeds`,
      )
      const { applied } = await runMigrations(url, sqlDir())
      expect(applied).toContain('019_accounts.sql')
      const { rows } = await client.query(
        `select f.url, f.account_id, f.remote_id, v.unread_count, a.is_read, a.remote_id as article_remote_id
         from feeds f join articles a on a.feed_id = f.id join feed_unread_counts v on v.id = f.id order by f.url`,
      )
      expect(rows).toEqual([
        {
          url: 'http://127.0.0.1:9/a.xml',
          account_id: null,
          remote_id: null,
          unread_count: 0,
          is_read: true,
          article_remote_id: null,
        },
        {
          url: 'http://127.0.0.1:9/b.xml',
          account_id: null,
          remote_id: null,
          unread_count: 0,
          is_read: true,
          article_remote_id: null,
        },
      ])
      // A local URL is still unique among local feeds; an account may repeat it.
      await expect(
        client.query(`insert into feeds (url) values ('http://127.0.0.1:9/a.xml')`),
      ).rejects.toMatchObject({
        code: '23505',
      })
      await client.query(
        `insert into accounts (kind, name, base_url, username) values ('greader', 'FreshRSS', 'http://127.0.0.1:8481/api/greader.php', 'u')`,
      )
      await client.query(
        `insert into feeds (url, account_id, remote_id) select 'http://127.0.0.1:9/a.xml', id, 'feed/1' from accounts`,
      )
      // An account feed needs its server id, and a local feed has none.
      await expect(
        client.query(
          `insert into feeds (url, account_id) select 'http://127.0.0.1:9/c.xml', id from accounts`,
        ),
      ).rejects.toMatchObject({ code: '23514' })
      await expect(
        client.query(`insert into feeds (url, remote_id) values ('http://127.0.0.1:9/c.xml', 'feed/2')`),
      ).rejects.toMatchObject({ code: '23514' })
    })
  })

  it('moves read and starred state to article_state (sql/023) on a database that has them, with exact unread counts', async () => {
    await withFreshDatabase(async (url, client) => {
      // The database as 022 left it.
      const before = makeDataDir('tidings-sql-')
      for (const f of readdirSync(sqlDir()).filter((f) => f.endsWith('.sql') && f < '023'))
        copyFileSync(join(sqlDir(), f), join(before, f))
      await runMigrations(url, before)
      await client.query(
        `insert into feeds (url, folder) values ('http://127.0.0.1:9/a.xml', 'News'), ('http://127.0.0.1:9/b.xml', null), ('http://127.0.0.1:9/empty.xml', null)`,
      )
      // Article n of each feed: read when n % 3 = 0, starred when n % 4 = 0.
      await client.query(
        `insert into articles (feed_id, item_key, published_at, is_read, is_starred)
         select f.id, 'k' || n, now(), n % 3 = 0, n % 4 = 0 from feeds f, generate_series(1, 12) n where f.url not like '%empty%'`,
      )
      const stateOf = `select f.url, a.item_key, a.is_read, a.is_starred from articles a join feeds f on f.id = a.feed_id order by 1, 2`
      const stateBefore = (await client.query(stateOf)).rows
      expect(stateBefore.filter((r) => r.is_read)).toHaveLength(8)

      const { applied } = await runMigrations(url, sqlDir())
      expect(applied).toContain('023_read_state.sql')
      // Read the same way (articles.is_read is now computed from article_state).
      expect((await client.query(stateOf)).rows).toEqual(stateBefore)
      const { rows: counts } = await client.query(
        'select url, unread_count from feed_unread_counts order by url',
      )
      expect(counts).toEqual([
        { url: 'http://127.0.0.1:9/a.xml', unread_count: 8 },
        { url: 'http://127.0.0.1:9/b.xml', unread_count: 8 },
        { url: 'http://127.0.0.1:9/empty.xml', unread_count: 0 },
      ])
      // The columns are gone from the wide row; a new article gets its state row.
      const { rows: columns } = await client.query(
        `select column_name from information_schema.columns where table_name = 'articles' and column_name in ('is_read', 'is_starred')`,
      )
      expect(columns).toEqual([])
      await client.query(
        `insert into articles (feed_id, item_key, published_at) select id, 'new', now() from feeds where url like '%empty%'`,
      )
      expect(
        (await client.query(`select unread_count from feed_unread_counts where url like '%empty%'`)).rows,
      ).toEqual([{ unread_count: 1 }])
    })
  })
})
