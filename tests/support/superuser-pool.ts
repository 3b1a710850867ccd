import pg from 'pg'

/**
 * A superuser pool on a test stack. When the stack stops, Postgres terminates connections (57P01)
 * that may still be closing after `end()`; pg then emits 'error' on a client the pool no longer
 * listens to, which would surface as an uncaught exception in whatever test runs next.
 */
export function superuserPool(databaseUrl: string, max = 2): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max })
  pool.on('connect', (client) => client.on('error', () => undefined))
  return pool
}
