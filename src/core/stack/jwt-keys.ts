import { createHmac, randomBytes } from 'node:crypto'
import { chmod, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { stackDir } from '../config/paths'
import { readPrivateFile } from '../config/private-path'

export const secretsFile = (dataDir: string): string => join(stackDir(dataDir), 'secrets.json')

export interface StackSecrets {
  jwtSecret: string
  /** Password of the `authenticator` login role PostgREST connects as. */
  authenticatorPassword: string
  /** Superuser password of the embedded cluster (loopback only). */
  superuserPassword: string
  /** Set once the superuser password was rotated after initdb (clusters made before lack it). */
  superuserRotatedAt?: string
  /** The password a rotation is setting right now: if we died mid-way, one of the two is valid. */
  pendingSuperuserPassword?: string
  /** Seconds since epoch; fixed so the signed keys are identical on every start. */
  issuedAt: number
}

export interface ApiKeys {
  anonKey: string
  serviceRoleKey: string
}

/**
 * Generated once per data folder, then reused so keys stay stable across restarts. Only a file
 * that is ours and 0600 is believed: a secret someone else could have written signs keys they hold.
 */
export async function loadOrCreateSecrets(file: string): Promise<StackSecrets> {
  const stored = await readPrivateFile(file, 'private')
  if (stored !== null) return JSON.parse(stored) as StackSecrets
  const secrets: StackSecrets = {
    jwtSecret: randomBytes(48).toString('base64url'),
    authenticatorPassword: randomBytes(24).toString('base64url'),
    superuserPassword: randomBytes(24).toString('base64url'),
    issuedAt: Math.floor(Date.now() / 1000),
  }
  await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: 'wx' })
  await chmod(file, 0o600)
  return secrets
}

/** Replaces the secrets file atomically (private temp file, then rename), so it is never half-written. */
export async function saveSecrets(file: string, secrets: StackSecrets): Promise<void> {
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`
  await writeFile(temp, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: 'wx' })
  await rename(temp, file)
}

const base64url = (json: unknown): string => Buffer.from(JSON.stringify(json)).toString('base64url')

/**
 * Keys shaped like Supabase's: HS256 JWTs whose `role` claim PostgREST switches to. Signed with
 * node:crypto's HMAC, the same bytes jose gave (tests/db/jwt-keys.test.ts): every command that
 * uses the embedded stack signs these first, and loading jose and setting up WebCrypto for two
 * signatures was a measurable part of each `tidings` start.
 */
export async function signApiKeys({ jwtSecret, issuedAt }: StackSecrets): Promise<ApiKeys> {
  const tenYears = 10 * 365 * 24 * 3600
  const sign = (role: string): string => {
    const body = `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url({ role, iss: 'supabase', iat: issuedAt, exp: issuedAt + tenYears })}`
    return `${body}.${createHmac('sha256', jwtSecret).update(body).digest('base64url')}`
  }
  return { anonKey: sign('anon'), serviceRoleKey: sign('service_role') }
}

/** The keys of a data folder's embedded stack, as a running stack (or `stack start`) serves them. */
export async function localStackKeys(dataDir: string): Promise<ApiKeys> {
  return signApiKeys(await loadOrCreateSecrets(secretsFile(dataDir)))
}
