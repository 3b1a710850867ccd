import { createHash } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import pg from 'pg'

export interface MigrationResult {
  applied: string[]
  skipped: string[]
}

export class MigrationError extends Error {}

const LEDGER = `create table if not exists public.tidings_migrations (
  name text primary key,
  checksum text not null,
  applied_at timestamptz not null default now()
)`

/**
 * Applies `sql/NNN_*.sql` in name order, each once, each in its own transaction, and records
 * name + checksum in `tidings_migrations`. Works on the embedded cluster and on a hosted
 * Supabase database (pass its connection string).
 */
export async function runMigrations(connectionString: string, sqlDir: string): Promise<MigrationResult> {
  const files = (await readdir(sqlDir)).filter((f) => /^\d+_.+\.sql$/.test(f)).sort()
  const client = new pg.Client({ connectionString })
  await client.connect()
  const result: MigrationResult = { applied: [], skipped: [] }
  try {
    await client.query(LEDGER)
    await client.query('revoke all on public.tidings_migrations from public')
    // The ledger is the runner's alone, but PostgREST exposes every table in `public`, and on a
    // hosted project Supabase's default privileges grant new tables to anon and authenticated:
    // anyone with the anon key could read, forge or delete ledger rows. RLS with no policy (and
    // revoking those grants where the roles exist) keeps it private everywhere.
    await client.query('alter table public.tidings_migrations enable row level security')
    await client.query(`do $$
      begin
        if exists (select 1 from pg_roles where rolname = 'anon') then revoke all on public.tidings_migrations from anon; end if;
        if exists (select 1 from pg_roles where rolname = 'authenticated') then revoke all on public.tidings_migrations from authenticated; end if;
        -- service_role bypasses RLS, so only a missing grant keeps it out.
        if exists (select 1 from pg_roles where rolname = 'service_role') then revoke all on public.tidings_migrations from service_role; end if;
      end
      $$`)
    const { rows } = await client.query<{ name: string; checksum: string }>(
      'select name, checksum from public.tidings_migrations',
    )
    const done = new Map(rows.map((r) => [r.name, r.checksum]))
    for (const file of files) {
      const sql = await readFile(join(sqlDir, file), 'utf8')
      const checksum = createHash('sha256').update(sql).digest('hex')
      const previous = done.get(file)
      if (previous === checksum) {
        result.skipped.push(file)
        continue
      }
      if (previous) {
        throw new MigrationError(
          `Migration ${file} changed after it was applied; add a new migration instead`,
        )
      }
      try {
        await client.query('begin')
        await client.query(sql)
        await client.query('insert into public.tidings_migrations (name, checksum) values ($1, $2)', [
          file,
          checksum,
        ])
        await client.query('commit')
      } catch (error) {
        await client.query('rollback').catch(() => undefined)
        throw new MigrationError(`Migration ${file} failed: ${(error as Error).message}`)
      }
      result.applied.push(file)
    }
    // PostgREST caches the schema; tell it to reload (harmless when none listens).
    if (result.applied.length) await client.query(`notify pgrst, 'reload schema'`)
  } finally {
    await client.end()
  }
  return result
}
