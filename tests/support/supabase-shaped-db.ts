/**
 * A plain Postgres database shaped like a hosted Supabase project — its roles, `auth.role()`, and
 * the default privileges that grant every new table, sequence and function in `public` to anon
 * and authenticated — with Tidings' migrations applied on top and served by its own PostgREST and
 * gateway. What passes here holds on hosted Supabase, where nothing is revoked for us.
 */
import { randomBytes } from 'node:crypto'
import { rmSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import pg from 'pg'
import { sqlDir } from '../../src/core/config/app-root'
import { startGateway } from '../../src/core/stack/gateway'
import { signApiKeys, type StackSecrets } from '../../src/core/stack/jwt-keys'
import { runMigrations } from '../../src/core/stack/migrate'
import { PostgrestServer } from '../../src/core/stack/postgrest-server'
import { makeDataDir } from './temp-dir'

// As supabase/postgres sets up schema public and auth.role() for every project.
const SUPABASE_SETUP = `
grant usage on schema public to postgres, anon, authenticated, service_role;
alter default privileges in schema public grant all on tables to postgres, anon, authenticated, service_role;
alter default privileges in schema public grant all on functions to postgres, anon, authenticated, service_role;
alter default privileges in schema public grant all on sequences to postgres, anon, authenticated, service_role;
create schema if not exists auth;
grant usage on schema auth to anon, authenticated, service_role;
create or replace function auth.role() returns text language sql stable as $$
  select coalesce(current_setting('request.jwt.claim.role', true), (current_setting('request.jwt.claims', true)::jsonb ->> 'role'))::text
$$;
`

export interface SupabaseShapedDb {
  url: string
  anonKey: string
  serviceRoleKey: string
  databaseUrl: string
  dispose(): Promise<void>
}

/** Creates the database in the cluster behind `clusterUrl` (a superuser URL), with the stack's secrets. */
export async function startSupabaseShapedDb(
  clusterUrl: string,
  secrets: StackSecrets,
): Promise<SupabaseShapedDb> {
  const name = `supabase_shaped_${randomBytes(4).toString('hex')}`
  const withClient = async (url: string, sql: string): Promise<void> => {
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    try {
      await client.query(sql)
    } finally {
      await client.end()
    }
  }
  const asDb = (url: string, db: string): string => url.replace(/\/[^/]+$/, `/${db}`)
  await withClient(clusterUrl, `create database ${name}`)
  const databaseUrl = asDb(clusterUrl, name)
  const dir = makeDataDir('tidings-supabase-shaped-')
  const socketPath = join(dir, 'rest.sock')
  let postgrest: PostgrestServer | null = null
  let gateway: Awaited<ReturnType<typeof startGateway>> | null = null
  const dispose = async (): Promise<void> => {
    await new Promise<void>((resolve) => (gateway ? gateway.close(() => resolve()) : resolve()))
    gateway?.closeAllConnections()
    await postgrest?.stop()
    await withClient(clusterUrl, `drop database if exists ${name} with (force)`)
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    await withClient(databaseUrl, SUPABASE_SETUP)
    await runMigrations(databaseUrl, sqlDir())
    const keys = await signApiKeys(secrets)
    const authenticator = new URL(asDb(clusterUrl, name))
    authenticator.username = 'authenticator'
    authenticator.password = encodeURIComponent(secrets.authenticatorPassword)
    postgrest = new PostgrestServer({
      socketPath,
      dbUri: authenticator.toString(),
      jwtSecret: secrets.jwtSecret,
      probeToken: keys.anonKey,
      log: () => undefined,
    })
    await postgrest.start()
    const rest = postgrest
    // Its database is a database of the shared cluster: PostgREST answering is the whole health here.
    gateway = await startGateway({
      port: 0,
      keys,
      upstreamSocket: () => socketPath,
      health: async () => ({ rest: await rest.serves(), database: true }),
    })
    const { port } = gateway.address() as AddressInfo
    return { url: `http://127.0.0.1:${port}`, ...keys, databaseUrl, dispose }
  } catch (error) {
    await dispose().catch(() => undefined)
    throw error
  }
}
