import { randomBytes } from 'node:crypto'
import { chmod, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { SignJWT } from 'jose'
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

/** Keys shaped like Supabase's: HS256 JWTs whose `role` claim PostgREST switches to. */
export async function signApiKeys({ jwtSecret, issuedAt }: StackSecrets): Promise<ApiKeys> {
  const key = new TextEncoder().encode(jwtSecret)
  const tenYears = 10 * 365 * 24 * 3600
  const sign = (role: string): Promise<string> =>
    new SignJWT({ role, iss: 'supabase' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + tenYears)
      .sign(key)
  return { anonKey: await sign('anon'), serviceRoleKey: await sign('service_role') }
}

/** The keys of a data folder's embedded stack, as a running stack (or `stack start`) serves them. */
export async function localStackKeys(dataDir: string): Promise<ApiKeys> {
  return signApiKeys(await loadOrCreateSecrets(secretsFile(dataDir)))
}
